package io.hypersdk.systemd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the captured systemctl outputs in shared/fixtures/systemctl (see docs/systemctl-facts.md
 * section 8).
 */
final class CapturedSamples {
    private CapturedSamples() {}

    /**
     * One captured command: the {@code ###} line (without the marker), its verbatim output and exit
     * code.
     */
    record Section(String file, String command, String output, int exitCode) {
        /** The unit names at the end of a {@code systemctl show ... -p X unit...} command line. */
        List<String> showUnits() {
            String cmd = command.replaceAll("\\s+\\([^)]*\\)\\s*$", "");
            String[] words = cmd.substring(Math.max(0, cmd.indexOf("systemctl"))).split(" ");
            List<String> units = new ArrayList<>();
            for (int i = words.length - 1;
                    i > 0 && words[i].matches("[A-Za-z0-9@._-]+\\.(service|target)");
                    i--) {
                units.add(0, words[i]);
            }
            return units;
        }

        boolean isShow() {
            return command.contains("systemctl show ");
        }
    }

    static Path dir() {
        // the shared directory is where the fixture script lives (hypersdk.shared.dir, or found
        // above the working dir)
        return io.hypersdk.systemd.testing.SystemdFixture.script()
                .getParent()
                .getParent()
                .resolve("fixtures/systemctl");
    }

    static List<Path> files() {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String name) {
        try {
            return Files.readString(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sections of a multi-command file; a file without {@code ###} lines is one section with exit
     * 0.
     */
    static List<Section> sections(String name) {
        String text = read(name);
        List<Section> out = new ArrayList<>();
        if (!text.startsWith("### ")) {
            String unit =
                    name.startsWith("show-all-properties-")
                            ? name.substring(
                                    "show-all-properties-".length(),
                                    name.length() - ".txt".length())
                            : "sleeper.service";
            out.add(new Section(name, "systemctl show " + unit, text, 0));
            return out;
        }
        String command = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("### ")) {
                command = line.substring(4);
                body.setLength(0);
            } else if (line.startsWith("# exit=")) {
                out.add(
                        new Section(
                                name,
                                command,
                                body.toString(),
                                Integer.parseInt(line.substring(7).trim())));
                body.setLength(0);
            } else if (command != null) {
                body.append(line).append('\n');
            }
        }
        return out;
    }

    static Section section(String file, String commandContains) {
        return sections(file).stream()
                .filter(s -> s.command().contains(commandContains))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no section with \"" + commandContains + "\" in " + file));
    }

    static Section showSection(String file, String commandContains) {
        return sections(file).stream()
                .filter(s -> s.isShow() && s.command().contains(commandContains))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no section with \"" + commandContains + "\" in " + file));
    }
}
