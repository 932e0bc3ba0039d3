package io.hypersdk.cli.export;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Whether a standard stream is a terminal. On Linux from what {@code /proc/self/fd/N} points to (a
 * {@code /dev/pts/*}, {@code /dev/tty*} or {@code /dev/console} device), without a native call:
 * jnr-posix's isatty(3) makes jnr-ffi generate classes at run time, a few hundred milliseconds of
 * every start-up (issue 15). Elsewhere isatty(3) through jnr-posix; false when neither answers.
 */
final class Tty {
    private Tty() {}

    static boolean isTerminal(FileDescriptor fd) {
        int n =
                fd == FileDescriptor.in
                        ? 0
                        : fd == FileDescriptor.out ? 1 : fd == FileDescriptor.err ? 2 : -1;
        Path link = Path.of("/proc/self/fd/" + n);
        if (n >= 0 && Files.isSymbolicLink(link)) {
            try {
                return isTerminalDevice(Files.readSymbolicLink(link).toString());
            } catch (IOException e) {
                return false;
            }
        }
        try {
            POSIX posix = POSIXFactory.getNativePOSIX();
            return posix.isNative() && posix.isatty(fd);
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** A terminal's device path, as {@code /proc/self/fd/N} names it. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/")
                || target.startsWith("/dev/tty")
                || target.equals("/dev/console");
    }
}
