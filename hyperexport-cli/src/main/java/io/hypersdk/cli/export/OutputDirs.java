package io.hypersdk.cli.export;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks an export directory before anything is written; the message names the path and the fix.
 */
final class OutputDirs {
    private OutputDirs() {}

    /** Empty when {@code dir} exists as a writable directory or can be created; else why not. */
    static Optional<String> problem(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                return Optional.of(abs + " exists and is not a directory: choose a directory");
            }
            if (!Files.isReadable(abs) || !Files.isWritable(abs) || !Files.isExecutable(abs)) {
                return Optional.of(
                        abs
                                + " is not readable and writable for this user: fix its permissions or choose another directory");
            }
            return Optional.empty();
        }
        Path parent = abs.getParent();
        while (parent != null
                && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)
                && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null) {
            return Optional.of(abs + " cannot be created: no existing parent directory");
        }
        if (!Files.isDirectory(parent)) {
            return Optional.of(abs + " cannot be created: " + parent + " is not a directory");
        }
        if (!Files.isWritable(parent) || !Files.isExecutable(parent)) {
            return Optional.of(
                    abs
                            + " cannot be created: "
                            + parent
                            + " is not writable for this user; choose another directory");
        }
        return Optional.empty();
    }
}
