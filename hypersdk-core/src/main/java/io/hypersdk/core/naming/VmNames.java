package io.hypersdk.core.naming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * Safe names derived from untrusted VM names (which come from hypervisors and users and may be
 * {@code ../x}, contain {@code /} or NUL, be empty, or be hundreds of characters long).
 *
 * <h2>The rule</h2>
 *
 * <ol>
 *   <li>Every code point outside the allowed set is replaced by {@code _}. Allowed for file names:
 *       Unicode letters and digits (any script), {@code .}, {@code _}, {@code -}, {@code +}.
 *       Allowed for domain names: ASCII letters and digits, {@code .}, {@code _}, {@code -}. So
 *       {@code /}, {@code \}, NUL, control, format and white-space characters never survive.
 *   <li>A run of dots becomes a single dot, so the result never contains {@code ..}.
 *   <li>A leading {@code .} or {@code -} becomes {@code _} (no hidden files, nothing that looks
 *       like an option).
 *   <li>If step 1-3 changed anything, or the input was empty, or the input already ends in {@code
 *       -} plus 12 lower-case hex digits (the shape of a suffix), the result gets the suffix {@code
 *       -} plus the first 12 hex digits of SHA-256 over the input's UTF-16 code units. The text
 *       before the suffix is cut (at a code point boundary) so the whole name fits the byte limit:
 *       255 UTF-8 bytes for file names, 200 for domain names (libvirt stores {@code <name>.xml}).
 *       An empty input gives {@code vm-<hash>}.
 *   <li>Otherwise (the input was already safe and short enough) it is returned unchanged.
 * </ol>
 *
 * <p>Consequences: the result is never empty, never contains {@code /}, NUL or {@code ..}, never
 * starts with {@code .} or {@code -}, and fits the byte limit. An unchanged name never ends in a
 * suffix shape, and every changed name does, so a changed name never equals an unchanged one; two
 * different changed inputs collide only if their 48-bit hashes collide. Distinct inputs therefore
 * give distinct names (up to that hash collision, about 1 in 2<sup>24</sup> for 4 000 names that
 * all needed changing).
 */
public final class VmNames {
    /** Maximum UTF-8 length of a file name. */
    public static final int MAX_FILE_NAME_BYTES = 255;

    /** Maximum UTF-8 length of a domain name. */
    public static final int MAX_DOMAIN_NAME_BYTES = 200;

    private static final int HASH_HEX = 12;
    private static final Pattern SUFFIX_SHAPE = Pattern.compile(".*-[0-9a-f]{12}");

    private static final IntPredicate FILE_CHARS =
            cp -> Character.isLetterOrDigit(cp) || cp == '.' || cp == '_' || cp == '-' || cp == '+';
    private static final IntPredicate DOMAIN_CHARS =
            cp ->
                    (cp >= 'a' && cp <= 'z')
                            || (cp >= 'A' && cp <= 'Z')
                            || (cp >= '0' && cp <= '9')
                            || cp == '.'
                            || cp == '_'
                            || cp == '-';

    private VmNames() {}

    /**
     * A name safe to use as one path element (a directory or file name) on Linux.
     *
     * @param vmName the untrusted VM name, never null (may be empty)
     * @return a safe, non-empty name of at most 255 UTF-8 bytes
     */
    public static String forFileName(String vmName) {
        return sanitise(vmName, FILE_CHARS, MAX_FILE_NAME_BYTES);
    }

    /**
     * A name safe to use as a libvirt domain name (ASCII letters, digits, {@code . _ -}).
     *
     * @param vmName the untrusted VM name, never null (may be empty)
     * @return a safe, non-empty name of at most 200 bytes
     */
    public static String forDomainName(String vmName) {
        return sanitise(vmName, DOMAIN_CHARS, MAX_DOMAIN_NAME_BYTES);
    }

    /**
     * Bytes the SDK may add around a final file name for its temporary siblings: the longest is
     * {@code .<name>.part.state.tmp} (16 bytes) of a resumable download.
     */
    public static final int TEMPORARY_AFFIX_BYTES = 16;

    /**
     * Maximum UTF-8 length of a file the SDK writes, so that every temporary sibling of it still
     * fits the file system's 255 bytes: 239.
     */
    public static final int MAX_FINAL_NAME_BYTES = MAX_FILE_NAME_BYTES - TEMPORARY_AFFIX_BYTES;

    /**
     * A safe name of at most {@code maxBytes} UTF-8 bytes: the same rule as {@link
     * #forFileName(String)}, with the budget left after the prefixes and suffixes the caller adds
     * (see {@link #budget(String...)}).
     *
     * @param vmName the untrusted VM name, never null (may be empty)
     * @param maxBytes the budget, at least 16 (room for {@code vm-} and the hash)
     * @return a safe, non-empty name of at most {@code maxBytes} UTF-8 bytes
     * @throws IllegalArgumentException when {@code maxBytes} is below 16 or above 255
     */
    public static String forFileName(String vmName, int maxBytes) {
        checkBudget(maxBytes);
        return sanitise(vmName, FILE_CHARS, maxBytes);
    }

    /**
     * The bytes left for a name in a file the SDK writes as {@code prefix + name + suffix}: {@link
     * #MAX_FINAL_NAME_BYTES} minus the affixes' UTF-8 length.
     *
     * @param affixes every prefix and suffix the caller adds ({@code "export-"}, {@code ".ova"})
     * @return the budget for {@link #forFileName(String, int)}
     */
    public static int budget(String... affixes) {
        int used = 0;
        for (String a : affixes) {
            used += utf8Length(a);
        }
        return MAX_FINAL_NAME_BYTES - used;
    }

    /**
     * An already safe file name (for example a member name from an archive) made to fit {@code
     * maxBytes}: unchanged when it fits; otherwise the text before its extension is cut (at a code
     * point boundary) and {@code -} plus 12 hex digits of its SHA-256 added, so two long names that
     * differ only past the cut stay distinct. The extension (up to 16 bytes after the last dot) is
     * kept.
     *
     * @param fileName a file name, never null
     * @param maxBytes the budget, at least 32
     * @return {@code fileName}, or a shortened name of at most {@code maxBytes} UTF-8 bytes
     */
    public static String fitFileName(String fileName, int maxBytes) {
        Objects.requireNonNull(fileName, "fileName");
        if (maxBytes < 32 || maxBytes > MAX_FILE_NAME_BYTES) {
            throw new IllegalArgumentException(
                    "name budget " + maxBytes + " must be between 32 and " + MAX_FILE_NAME_BYTES);
        }
        if (utf8Length(fileName) <= maxBytes) {
            return fileName;
        }
        int dot = fileName.lastIndexOf('.');
        String ext =
                dot > 0 && utf8Length(fileName.substring(dot)) <= 16 ? fileName.substring(dot) : "";
        String suffix = "-" + hash(fileName) + ext;
        return truncate(
                        fileName.substring(0, fileName.length() - ext.length()),
                        maxBytes - utf8Length(suffix))
                + suffix;
    }

    private static void checkBudget(int maxBytes) {
        if (maxBytes < 16 || maxBytes > MAX_FILE_NAME_BYTES) {
            throw new IllegalArgumentException(
                    "name budget "
                            + maxBytes
                            + " must be between 16 and "
                            + MAX_FILE_NAME_BYTES
                            + ": the prefixes and suffixes leave too little room for a name");
        }
    }

    private static String sanitise(String input, IntPredicate allowed, int maxBytes) {
        Objects.requireNonNull(input, "vmName");
        StringBuilder out = new StringBuilder(input.length());
        input.codePoints()
                .forEach(
                        cp -> {
                            int c = allowed.test(cp) ? cp : '_';
                            if (c == '.'
                                    && out.length() > 0
                                    && out.charAt(out.length() - 1) == '.') {
                                return; // collapse runs of dots
                            }
                            out.appendCodePoint(c);
                        });
        if (out.length() > 0 && (out.charAt(0) == '.' || out.charAt(0) == '-')) {
            out.setCharAt(0, '_');
        }
        String cleaned = out.toString();
        boolean altered =
                input.isEmpty()
                        || !cleaned.equals(input)
                        || SUFFIX_SHAPE.matcher(input).matches()
                        || utf8Length(cleaned) > maxBytes;
        if (!altered) {
            return cleaned;
        }
        String suffix = "-" + hash(input);
        String base = cleaned.isEmpty() ? "vm" : truncate(cleaned, maxBytes - suffix.length());
        return base + suffix;
    }

    private static String truncate(String s, int maxBytes) {
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int len = utf8Length(cp);
            if (bytes + len > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        // cutting may leave a trailing dot before "-<hash>": harmless (no "..": the suffix is '-')
        return out.length() == 0 ? "vm" : out.toString();
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int utf8Length(int cp) {
        if (cp < 0x80) {
            return 1;
        } else if (cp < 0x800) {
            return 2;
        } else if (cp < 0x10000) {
            return 3;
        }
        return 4;
    }

    private static String hash(String input) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < input.length(); i++) {
                char c = input.charAt(i);
                sha.update((byte) (c >>> 8));
                sha.update((byte) c);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, HASH_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
