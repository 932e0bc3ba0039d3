package io.hypersdk.cli.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a cancelled export left in its output directory, read from the directory itself so the
 * sentence is true for every provider (vSphere keeps {@code .part} files for resume; the local
 * provider removes what it wrote).
 */
final class KeptFiles {
    private KeptFiles() {}

    /**
     * For example {@code "partial files kept for resume in /x: .a.vmdk.part"} or {@code "no partial
     * files were kept"}.
     */
    static String describe(Path dir) {
        List<String> partial = new ArrayList<>();
        int finished = 0;
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".part")) {
                        partial.add(name);
                    } else if (Files.isRegularFile(p) && !name.endsWith(".part.state")) {
                        finished++;
                    }
                }
            } catch (IOException e) {
                return "cannot list " + dir + " to say what was kept: " + e.getMessage();
            }
        }
        String text =
                partial.isEmpty()
                        ? "no partial files were kept"
                        : "partial files kept for resume in "
                                + dir
                                + ": "
                                + String.join(", ", partial);
        return finished == 0 ? text : text + "; " + finished + " finished file(s) kept in " + dir;
    }
}
