package io.hypersdk.core.io;

import io.hypersdk.core.naming.VmNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Says what the file system really refused when a name is too long (ENAMETOOLONG), so a message
 * does not send the user to free space or permissions. One rule for every module that writes files.
 */
public final class FileNameProblems {
    private static final int SHOWN = 40;

    private FileNameProblems() {}

    /**
     * Why writing {@code path} failed, when the cause is a name the file system cannot hold.
     *
     * @param path the path that was being created or written; never null
     * @param e the failure; never null
     * @return for example {@code "the name 'export-aaaa…' is 262 bytes; the file system allows 255
     *     bytes per name"}, or empty when the failure is something else
     */
    public static Optional<String> nameTooLong(Path path, IOException e) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(e, "e");
        Path p =
                e instanceof FileSystemException f && f.getFile() != null
                        ? Path.of(f.getFile())
                        : path;
        for (Path candidate : new Path[] {p, path}) {
            for (Path component : candidate) {
                int bytes = component.toString().getBytes(StandardCharsets.UTF_8).length;
                if (bytes > VmNames.MAX_FILE_NAME_BYTES) {
                    return Optional.of(describe(component.toString(), bytes));
                }
            }
        }
        String reason =
                e instanceof FileSystemException f
                        ? String.valueOf(f.getReason())
                        : String.valueOf(e.getMessage());
        if (reason.contains("File name too long")) {
            Path name = p.getFileName() == null ? p : p.getFileName();
            return Optional.of(
                    describe(
                            name.toString(),
                            name.toString().getBytes(StandardCharsets.UTF_8).length));
        }
        return Optional.empty();
    }

    private static String describe(String name, int bytes) {
        String shown =
                name.codePointCount(0, name.length()) > SHOWN
                        ? name.substring(0, name.offsetByCodePoints(0, SHOWN)) + "…"
                        : name;
        return "file name too long: '"
                + shown
                + "' is "
                + bytes
                + " bytes; the file system allows at most "
                + VmNames.MAX_FILE_NAME_BYTES
                + " bytes per name: choose a shorter name";
    }
}
