package io.hypersdk.cli.export;

import java.io.FileDescriptor;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** isatty(3) through jnr-posix; false when the native call is unavailable. */
final class Tty {
    private Tty() {}

    static boolean isTerminal(FileDescriptor fd) {
        try {
            POSIX posix = POSIXFactory.getNativePOSIX();
            return posix.isNative() && posix.isatty(fd);
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
