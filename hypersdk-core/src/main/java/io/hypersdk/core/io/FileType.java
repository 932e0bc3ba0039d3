package io.hypersdk.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What is at a path, so that a message can say it truly: a FIFO or a device is called that, not
 * "does not exist".
 */
public enum FileType {
    /** A regular file (after following links). */
    REGULAR("is a regular file"),
    /** A directory (after following links). */
    DIRECTORY("is a directory"),
    /** A FIFO (named pipe). */
    FIFO("is a FIFO (named pipe)"),
    /** A character device. */
    CHARACTER_DEVICE("is a character device"),
    /** A block device. */
    BLOCK_DEVICE("is a block device"),
    /** A Unix socket. */
    SOCKET("is a socket"),
    /** A symbolic link whose target does not exist. */
    DANGLING_LINK("is a symbolic link to something that does not exist"),
    /** Nothing. */
    MISSING("does not exist"),
    /** Something else, or a path whose type cannot be read. */
    OTHER("is not a regular file");

    private final String phrase;

    FileType(String phrase) {
        this.phrase = phrase;
    }

    /**
     * @return words that follow the path in a message, e.g. {@code "is a FIFO (named pipe)"}
     */
    public String phrase() {
        return phrase;
    }

    /**
     * The type of {@code path}, following symbolic links.
     *
     * @param path any path, never null
     * @return its type; never throws for an unreadable path ({@link #OTHER})
     */
    public static FileType of(Path path) {
        if (Files.isRegularFile(path)) {
            return REGULAR;
        }
        if (Files.isDirectory(path)) {
            return DIRECTORY;
        }
        if (!Files.exists(path)) {
            return Files.isSymbolicLink(path) ? DANGLING_LINK : MISSING;
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return switch (mode & 0170000) {
                case 0010000 -> FIFO;
                case 0020000 -> CHARACTER_DEVICE;
                case 0060000 -> BLOCK_DEVICE;
                case 0140000 -> SOCKET;
                default -> OTHER;
            };
        } catch (IOException
                | UnsupportedOperationException
                | IllegalArgumentException
                | SecurityException e) {
            return OTHER;
        }
    }
}
