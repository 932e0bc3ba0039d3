package io.hypersdk.systemd;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser of {@code systemctl show} output. Every method throws only {@link
 * SystemctlOutputException}, whatever its input.
 */
final class ShowOutput {
    /** The properties {@link SystemdClient} asks for. */
    static final List<String> PROPERTIES =
            List.of(
                    "Id",
                    "LoadState",
                    "ActiveState",
                    "SubState",
                    "MainPID",
                    "ActiveEnterTimestamp",
                    "NRestarts",
                    "Result",
                    "MemoryCurrent",
                    "UnitFileState",
                    "Environment",
                    "User",
                    "Group",
                    "PrivateTmp",
                    "ProtectHome",
                    "ProtectSystem",
                    "ReadWritePaths",
                    "ReadOnlyPaths",
                    "PrivateUsers",
                    "StateDirectory",
                    "CacheDirectory",
                    "LogsDirectory");

    private static final Set<String> UNSET =
            Set.of("", "[not set]", "[no data]", "n/a", "infinity", "18446744073709551615");
    private static final Pattern UNIX_TS = Pattern.compile("@(\\d{1,12})(?:\\.(\\d{1,9}))?");
    private static final Pattern TEXT_TS =
            Pattern.compile(
                    "(?:[A-Za-z]{3} )?(\\d{4})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(?: (\\S+))?");
    private static final Set<String> UTC_ZONES =
            Set.of("UTC", "GMT", "UCT", "Z", "Etc/UTC", "+0000", "+00");

    private ShowOutput() {}

    /**
     * Splits output into one property map per unit. Blocks are separated by one empty line; a unit
     * whose requested properties all were omitted is an empty map. Empty output is one empty block,
     * a lone newline two.
     */
    static List<Map<String, String>> parseBlocks(String text) {
        if (text == null) {
            throw new SystemctlOutputException("systemctl show produced no output object");
        }
        // each property line ends in \n; an empty line separates units (so two empty blocks print
        // "\n")
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        int lineNo = 0;
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            String line = nl < 0 ? text.substring(from) : text.substring(from, nl);
            from = nl < 0 ? text.length() : nl + 1;
            lineNo++;
            if (line.isEmpty()) {
                blocks.add(current);
                current = new LinkedHashMap<>();
            } else {
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new SystemctlOutputException(
                            "line "
                                    + lineNo
                                    + " of systemctl show output is not Name=Value: \""
                                    + shorten(line)
                                    + "\"");
                }
                current.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        blocks.add(current);
        return blocks;
    }

    /** Builds a status from one block; {@code requested} is used as id when Id= is missing. */
    static UnitStatus toStatus(String requested, Map<String, String> p, Instant now) {
        String id = p.getOrDefault("Id", "");
        if (id.isEmpty()) {
            id = requested;
        }
        String loadState = text(p, "LoadState");
        String activeState = text(p, "ActiveState");
        if (loadState.isEmpty() || activeState.isEmpty()) {
            throw new SystemctlOutputException(
                    "systemctl show reported no LoadState/ActiveState for "
                            + requested
                            + " (got "
                            + p.keySet()
                            + ")");
        }
        Optional<Instant> since = timestamp(p, "ActiveEnterTimestamp");
        boolean active = activeState.equals("active") || activeState.equals("reloading");
        Optional<Duration> uptime =
                active
                        ? since.map(
                                t -> {
                                    Duration d = Duration.between(t, now);
                                    return d.isNegative() ? Duration.ZERO : d;
                                })
                        : Optional.empty();
        return new UnitStatus(
                id,
                loadState,
                activeState,
                text(p, "SubState"),
                number(p, "MainPID", true),
                since,
                uptime,
                number(p, "NRestarts", false).orElse(0),
                text(p, "Result"),
                number(p, "MemoryCurrent", false),
                text(p, "UnitFileState"),
                environment(p.getOrDefault("Environment", "")),
                optionalText(p, "User"),
                optionalText(p, "Group"),
                bool(p, "PrivateTmp"),
                p.getOrDefault("ProtectHome", "no"),
                p.getOrDefault("ProtectSystem", "no"),
                paths(p, "ReadWritePaths"),
                paths(p, "ReadOnlyPaths"),
                bool(p, "PrivateUsers"),
                relativePaths(p, "StateDirectory"),
                relativePaths(p, "CacheDirectory"),
                relativePaths(p, "LogsDirectory"));
    }

    static boolean isUnset(String v) {
        return v == null || UNSET.contains(v);
    }

    private static String text(Map<String, String> p, String key) {
        return p.getOrDefault(key, "");
    }

    private static Optional<String> optionalText(Map<String, String> p, String key) {
        String v = p.get(key);
        return isUnset(v) ? Optional.empty() : Optional.of(v);
    }

    /**
     * An unsigned decimal; placeholders and values beyond a signed long are absent; 0 is absent if
     * asked.
     */
    static OptionalLong number(Map<String, String> p, String key, boolean zeroIsAbsent) {
        String v = p.get(key);
        if (isUnset(v)) {
            return OptionalLong.empty();
        }
        if (v.isEmpty() || v.length() > 20 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new SystemctlOutputException(
                    key + "=" + shorten(v) + " in systemctl show output is not a number");
        }
        long n;
        try {
            n = Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new SystemctlOutputException(
                    key + "=" + shorten(v) + " in systemctl show output is out of range", e);
        }
        if (n < 0 || (zeroIsAbsent && n == 0)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(n);
    }

    static boolean bool(Map<String, String> p, String key) {
        String v = p.get(key);
        if (isUnset(v)) {
            return false;
        }
        switch (v) {
            case "yes":
            case "true":
            case "on":
            case "1":
                return true;
            case "no":
            case "false":
            case "off":
            case "0":
                return false;
            default:
                throw new SystemctlOutputException(
                        key + "=" + shorten(v) + " in systemctl show output is not yes/no");
        }
    }

    /**
     * {@code @seconds[.fraction]}, or {@code [Day ]YYYY-MM-DD HH:MM:SS[.ffffff] UTC}; other zones
     * are rejected.
     */
    static Optional<Instant> timestamp(Map<String, String> p, String key) {
        String v = p.get(key);
        if (isUnset(v)) {
            return Optional.empty();
        }
        try {
            Matcher m = UNIX_TS.matcher(v);
            if (m.matches()) {
                return Optional.of(
                        Instant.ofEpochSecond(Long.parseLong(m.group(1)), nanos(m.group(2))));
            }
            m = TEXT_TS.matcher(v);
            if (m.matches()) {
                String zone = m.group(8);
                if (zone != null && !UTC_ZONES.contains(zone)) {
                    throw new SystemctlOutputException(
                            key
                                    + "="
                                    + shorten(v)
                                    + " is in time zone "
                                    + zone
                                    + ", which cannot be parsed unambiguously: run systemctl with TZ=UTC or --timestamp=unix");
                }
                LocalDateTime t =
                        LocalDateTime.of(
                                Integer.parseInt(m.group(1)),
                                Integer.parseInt(m.group(2)),
                                Integer.parseInt(m.group(3)),
                                Integer.parseInt(m.group(4)),
                                Integer.parseInt(m.group(5)),
                                Integer.parseInt(m.group(6)),
                                nanos(m.group(7)));
                return Optional.of(t.toInstant(ZoneOffset.UTC));
            }
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            throw new SystemctlOutputException(
                    key + "=" + shorten(v) + " in systemctl show output is not a valid time", e);
        }
        throw new SystemctlOutputException(
                key + "=" + shorten(v) + " in systemctl show output is not a timestamp");
    }

    private static int nanos(String fraction) {
        if (fraction == null) {
            return 0;
        }
        String padded = (fraction + "000000000").substring(0, 9);
        return Integer.parseInt(padded);
    }

    /**
     * Environment=: space-separated {@code NAME=value} words, quoted and C-escaped where needed.
     */
    static Map<String, String> environment(String value) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String word : Words.split(value, "Environment")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                env.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return env;
    }

    static List<Path> paths(Map<String, String> p, String key) {
        String v = p.get(key);
        if (isUnset(v)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String w : Words.split(v, key)) {
            String s = w;
            while (s.startsWith("-") || s.startsWith("+")) {
                s = s.substring(1);
            }
            if (s.isEmpty()) {
                continue;
            }
            try {
                out.add(Path.of(s));
            } catch (InvalidPathException e) {
                throw new SystemctlOutputException(
                        key + " entry \"" + shorten(s) + "\" is not a path", e);
            }
        }
        return out;
    }

    /**
     * StateDirectory=-style lists: relative paths under the directory systemd puts in front. A
     * leading {@code /}, an empty entry or {@code ..} (all refused by systemd) is an output error.
     */
    static List<Path> relativePaths(Map<String, String> p, String key) {
        String v = p.get(key);
        if (isUnset(v)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String w : Words.split(v, key)) {
            Path path;
            try {
                path = Path.of(w);
            } catch (InvalidPathException e) {
                throw new SystemctlOutputException(
                        key + " entry \"" + shorten(w) + "\" is not a path", e);
            }
            if (w.isEmpty()
                    || path.isAbsolute()
                    || path.normalize().startsWith("..")
                    || !path.normalize().equals(path)) {
                throw new SystemctlOutputException(
                        key
                                + " entry \""
                                + shorten(w)
                                + "\" in systemctl show output is not a plain relative path");
            }
            out.add(path);
        }
        return out;
    }

    static String shorten(String s) {
        String t = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        StringBuilder b = new StringBuilder();
        t.chars()
                .forEach(
                        c -> {
                            if (c < 0x20 || c == 0x7f) {
                                b.append(String.format("\\x%02x", c));
                            } else {
                                b.append((char) c);
                            }
                        });
        return b.toString();
    }
}
