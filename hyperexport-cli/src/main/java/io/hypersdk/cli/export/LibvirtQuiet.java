package io.hypersdk.cli.export;

import org.libvirt.Connect;
import org.libvirt.jna.Libvirt;

/**
 * libvirt's C library prints every error to stderr by default ("libvirt: Test Driver error : Domain
 * not found"), even those the pipeline expects and handles (looking a domain up before defining
 * it). The errors still reach the pipeline as exceptions; this only stops the library from writing
 * on the user's terminal.
 */
final class LibvirtQuiet {
    // JNA callbacks must stay strongly reachable while native code may call them
    private static final Libvirt.VirErrorCallback IGNORE = (userData, error) -> {};
    private static volatile boolean done;

    private LibvirtQuiet() {}

    static void install() {
        if (done) {
            return;
        }
        try {
            Connect.setErrorCallback(IGNORE);
            done = true;
        } catch (Exception | LinkageError e) {
            // no libvirt library here: the pipeline reports that itself when it needs libvirt
        }
    }
}
