package io.hypersdk.provider.local;

import io.hypersdk.provider.spi.InvalidSourceException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An OVF package's {@code .mf}: {@code SHA256(file)= hex} (or SHA1, SHA512) per file. */
final class OvfManifestFile {

    private static final Pattern LINE =
            Pattern.compile("\\s*(SHA1|SHA256|SHA512)\\s*\\((.+)\\)\\s*=\\s*([0-9a-fA-F]+)\\s*");

    /** One line: the JDK digest name and the expected lower-case hex. */
    record Entry(String file, String algorithm, String hex) {
        String jdkAlgorithm() {
            return switch (algorithm) {
                case "SHA1" -> "SHA-1";
                case "SHA512" -> "SHA-512";
                default -> "SHA-256";
            };
        }
    }

    private final Map<String, Entry> entries;
    private final String name;

    private OvfManifestFile(String name, Map<String, Entry> entries) {
        this.name = name;
        this.entries = entries;
    }

    String name() {
        return name;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    Optional<Entry> entry(String file) {
        return Optional.ofNullable(entries.get(file));
    }

    static OvfManifestFile parse(byte[] content, String name) {
        Map<String, Entry> m = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : new String(content, StandardCharsets.UTF_8).split("\r?\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Matcher lm = LINE.matcher(line);
            if (!lm.matches()) {
                throw new InvalidSourceException(
                        name
                                + " line "
                                + lineNo
                                + " is not 'SHA256(file)= hex'; the OVF manifest is corrupt");
            }
            String alg = lm.group(1);
            String hex = lm.group(3).toLowerCase(Locale.ROOT);
            int expectedLength =
                    switch (alg) {
                        case "SHA1" -> 40;
                        case "SHA512" -> 128;
                        default -> 64;
                    };
            if (hex.length() != expectedLength) {
                throw new InvalidSourceException(
                        name
                                + " line "
                                + lineNo
                                + ": a "
                                + alg
                                + " digest has "
                                + expectedLength
                                + " hex digits, not "
                                + hex.length());
            }
            String file = lm.group(2).trim();
            m.put(file, new Entry(file, alg, hex));
        }
        return new OvfManifestFile(name, m);
    }
}
