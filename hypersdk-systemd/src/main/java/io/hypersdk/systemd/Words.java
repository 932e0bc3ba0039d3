package io.hypersdk.systemd;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a systemd list value into words the way systemd quotes them when printing: a word is bare,
 * or wrapped in double quotes with C escapes ({@code \"}, {@code \\}, {@code \$}, {@code \t},
 * {@code \xNN}, ...); single quotes are literal. Throws only {@link SystemctlOutputException}.
 */
final class Words {
    private Words() {}

    static List<String> split(String s, String property) {
        List<String> words = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (true) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return words;
            }
            ByteArrayOutputStream w = new ByteArrayOutputStream();
            while (i < n && !isSpace(s.charAt(i))) {
                char c = s.charAt(i);
                if (c == '"' || c == '\'') {
                    int close = i + 1;
                    while (close < n && s.charAt(close) != c) {
                        close += (c == '"' && s.charAt(close) == '\\' && close + 1 < n) ? 2 : 1;
                    }
                    if (close >= n) {
                        throw new SystemctlOutputException(
                                property
                                        + " value has an unterminated "
                                        + c
                                        + " quote: "
                                        + ShowOutput.shorten(s));
                    }
                    if (c == '\'') {
                        utf8(w, s.substring(i + 1, close));
                    } else {
                        unescape(w, s, i + 1, close);
                    }
                    i = close + 1;
                } else if (c == '\\' && i + 1 < n) {
                    int end = i + 2;
                    while (end < n
                            && !isSpace(s.charAt(end))
                            && s.charAt(end) != '"'
                            && s.charAt(end) != '\'') {
                        end++;
                    }
                    unescape(w, s, i, end);
                    i = end;
                } else {
                    int end = i;
                    while (end < n
                            && !isSpace(s.charAt(end))
                            && "\"'\\".indexOf(s.charAt(end)) < 0) {
                        end++;
                    }
                    if (end == i) {
                        end = i + 1; // a lone trailing backslash
                    }
                    utf8(w, s.substring(i, end));
                    i = end;
                }
            }
            words.add(w.toString(StandardCharsets.UTF_8));
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n';
    }

    private static void utf8(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    /** C-unescapes s[from, to) into out; unknown escapes keep the escaped character. */
    private static void unescape(ByteArrayOutputStream out, String s, int from, int to) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= to) {
                int end = i + 1;
                while (end < to && s.charAt(end) != '\\') {
                    end++;
                }
                utf8(out, s.substring(i, end));
                i = end;
                continue;
            }
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a':
                    out.write(7);
                    break;
                case 'b':
                    out.write(8);
                    break;
                case 'f':
                    out.write(12);
                    break;
                case 'n':
                    out.write(10);
                    break;
                case 'r':
                    out.write(13);
                    break;
                case 't':
                    out.write(9);
                    break;
                case 'v':
                    out.write(11);
                    break;
                case 's':
                    out.write(' ');
                    break;
                case 'x':
                    {
                        int v = hex(s, i, Math.min(to, i + 2), 2);
                        if (v >= 0) {
                            out.write(v);
                            i += 2;
                        } else {
                            out.write('x');
                        }
                        break;
                    }
                case 'u':
                case 'U':
                    {
                        int len = e == 'u' ? 4 : 8;
                        int v = hex(s, i, Math.min(to, i + len), len);
                        if (v >= 0 && Character.isValidCodePoint(v)) {
                            utf8(out, new String(Character.toChars(v)));
                            i += len;
                        } else {
                            out.write(e);
                        }
                        break;
                    }
                default:
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        int k = 0;
                        while (k < 2 && i < to && s.charAt(i) >= '0' && s.charAt(i) <= '7') {
                            v = v * 8 + (s.charAt(i) - '0');
                            i++;
                            k++;
                        }
                        out.write(v & 0xFF);
                    } else {
                        utf8(out, String.valueOf(e));
                    }
            }
        }
    }

    private static int hex(String s, int from, int to, int len) {
        if (to - from != len) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
