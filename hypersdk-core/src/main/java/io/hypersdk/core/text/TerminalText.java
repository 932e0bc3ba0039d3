package io.hypersdk.core.text;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Objects;

/**
 * Text that came from outside (VM, disk, file and network names from a descriptor or a hypervisor,
 * provider error texts, unit properties) made safe to print on a terminal.
 *
 * <p>An OVF may carry {@code &#x1b;} (XML 1.1) or {@code &#10;} in a name: printed raw, {@code
 * ESC[31m} recolours the operator's terminal, {@code ESC]0;TITLE} retitles it, and a newline forges
 * a line of output. {@link #escape} shows every such character as a visible escape instead, so one
 * string always prints as one inert line.
 *
 * <p>The characters escaped ({@link #isControl}): C0 controls including TAB, CR and LF, DEL, the C1
 * controls U+0080..U+009F (U+009B is an 8-bit CSI), the line and paragraph separators
 * U+2028/U+2029, and the bidirectional formatting controls (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) that reorder what the operator reads. {@code \n}, {@code \r} and {@code \t} are
 * written as those two characters, every other one as {@code \}{@code uXXXX} (lower-case hex).
 * Everything else, including any letter of any script, is left as it is.
 *
 * <p>Written out rather than with Guava's {@code CharMatcher} and {@code Escapers}: those
 * precompute a table over all 65,536 UTF-16 units when the class initializes, about 25 ms of every
 * CLI run's start-up (issue 15), for a test of a few ranges.
 */
public final class TerminalText {

    private TerminalText() {}

    /**
     * The text with every control character shown as a visible escape: a name holding ESC, {@code
     * [31m}, a line feed and {@code x} prints as the 13 characters {@code \}{@code u001b[31m\nx},
     * one inert line.
     *
     * @param text text from outside, never null
     * @return the text itself when it holds no control character, else its escaped form
     */
    public static String escape(String text) {
        Objects.requireNonNull(text, "text");
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else {
                appendUnicodeEscape(b, c);
            }
        }
        return b.toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Appends {@code \}{@code uXXXX} (four lower-case hex digits) for {@code c}. */
    private static StringBuilder appendUnicodeEscape(StringBuilder b, char c) {
        return b.append("\\u")
                .append(HEX[c >> 12])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }

    private static int firstControl(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Like {@link #escape(String)} for a message that quotes what the user gave: at most {@code
     * maxCodePoints} code points of the text are kept, and {@code ...} marks a cut.
     *
     * @param text text from outside, never null
     * @param maxCodePoints how many code points to keep, at least 1
     * @return the escaped (and perhaps shortened) text
     */
    public static String escape(String text, int maxCodePoints) {
        Objects.requireNonNull(text, "text");
        if (maxCodePoints < 1) {
            throw new IllegalArgumentException(
                    "maxCodePoints " + maxCodePoints + " must be at least 1");
        }
        if (text.codePointCount(0, text.length()) <= maxCodePoints) {
            return escape(text);
        }
        return escape(text.substring(0, text.offsetByCodePoints(0, maxCodePoints))) + "...";
    }

    /**
     * Whether the text holds a character that {@link #escape} would escape; such a name is refused
     * as a file name.
     *
     * @param text text from outside, never null
     * @return true if any character of it is a control character
     */
    public static boolean hasControl(CharSequence text) {
        return firstControl(Objects.requireNonNull(text, "text")) >= 0;
    }

    /**
     * Whether one UTF-16 unit is a control character in the sense of this class.
     *
     * @param c the character
     * @return true if {@link #escape} escapes it
     */
    public static boolean isControl(char c) {
        return Character.isISOControl(c) // C0, DEL, C1
                || c == '\u061c'
                || c == '\u200e'
                || c == '\u200f'
                || c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }

    /**
     * Character escapes for a Jackson generator that keep JSON output terminal-safe too: Jackson
     * itself escapes only U+0000..U+001F and writes DEL, the C1 controls, the line separators and
     * the bidi controls raw. With these every character {@link #escape} escapes is written as a
     * JSON {@code \}{@code uXXXX} escape (same JSON value, inert on a terminal).
     *
     * @return escapes for {@code JsonFactory.setCharacterEscapes} or {@code
     *     JsonGenerator.setCharacterEscapes}
     */
    public static CharacterEscapes jsonEscapes() {
        return JSON_ESCAPES;
    }

    private static final CharacterEscapes JSON_ESCAPES = new JsonEscapes();

    private static final class JsonEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        JsonEscapes() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii.clone();
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch <= Character.MAX_VALUE && isControl((char) ch)
                    ? new SerializedString(
                            appendUnicodeEscape(new StringBuilder(6), (char) ch).toString())
                    : null;
        }
    }
}
