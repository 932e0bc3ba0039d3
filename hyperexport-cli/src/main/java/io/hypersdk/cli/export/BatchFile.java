package io.hypersdk.cli.export;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code --batch} file: one VM per line; {@code #} starts a comment (whole line or after the
 * name, when preceded by whitespace); blank lines are skipped; surrounding whitespace is trimmed.
 */
final class BatchFile {
    private BatchFile() {}

    /**
     * A malformed or unreadable batch file; the message is one line naming the file and the fix.
     */
    static final class BatchFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BatchFileException(String message) {
            super(message);
        }
    }

    static List<String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BatchFileException(
                    "--batch " + file + ": no such file: give a file with one VM per line");
        } catch (MalformedInputException e) {
            throw new BatchFileException(
                    "--batch " + file + ": not UTF-8 text: give a text file with one VM per line");
        } catch (IOException e) {
            throw new BatchFileException(
                    "--batch "
                            + file
                            + ": cannot read it ("
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + ")");
        }
        return parse(file.toString(), lines);
    }

    static List<String> parse(String name, List<String> lines) {
        List<String> vms = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String vm = stripComment(lines.get(i)).strip();
            if (vm.isEmpty()) {
                continue;
            }
            Integer first = seen.putIfAbsent(vm, i + 1);
            if (first != null) {
                throw new BatchFileException(
                        "--batch "
                                + name
                                + ": line "
                                + (i + 1)
                                + " repeats '"
                                + vm
                                + "' from line "
                                + first
                                + ": list each VM once");
            }
            vms.add(vm);
        }
        if (vms.isEmpty()) {
            throw new BatchFileException(
                    "--batch "
                            + name
                            + ": lists no VM: put one VM name per line ('#' starts a comment)");
        }
        return List.copyOf(vms);
    }

    private static String stripComment(String line) {
        String s = line.stripLeading();
        if (s.startsWith("#")) {
            return "";
        }
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) == '#' && Character.isWhitespace(s.charAt(i - 1))) {
                return s.substring(0, i);
            }
        }
        return s;
    }
}
