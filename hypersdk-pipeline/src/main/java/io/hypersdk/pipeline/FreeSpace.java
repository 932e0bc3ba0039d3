package io.hypersdk.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Room on a file system for what is about to be written, checked before writing it. */
final class FreeSpace {
    private FreeSpace() {}

    /**
     * Throws when the file system that holds {@code dir} (or its nearest existing parent) has less
     * usable space than {@code bytes}; 0 bytes checks nothing.
     *
     * @throws PreflightException naming the directory, the space needed and the space free
     */
    static void require(Path dir, long bytes) {
        if (bytes <= 0) {
            return;
        }
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        long free;
        try {
            free = Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return; // an unreadable file store is reported by the write itself
        }
        if (free < bytes) {
            throw new PreflightException(
                    "not enough free space for the export in "
                            + dir
                            + ": the VM"
                            + " declares "
                            + mib(bytes)
                            + " of disks, "
                            + mib(free)
                            + " is free on the file system of "
                            + existing
                            + ": free space there or choose another output directory");
        }
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
