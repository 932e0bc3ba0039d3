package io.hypersdk.cli.export;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as the Go tool wrote them (90s, 30m, 1h30m, 250ms) or ISO-8601 (PT30M); positive. */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    @Override
    public Duration convert(String value) {
        Duration d = parse(value);
        if (d.isZero() || d.isNegative()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a positive duration: use e.g. 90s, 30m or 1h30m");
        }
        return d;
    }

    static Duration parse(String value) {
        String v = value.trim();
        if (v.regionMatches(true, 0, "P", 0, 1)) {
            try {
                return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not a duration: use e.g. 90s, 30m, 1h30m or PT30M");
            }
        }
        Matcher m = PART.matcher(v);
        int pos = 0;
        Duration total = Duration.ZERO;
        while (m.find() && m.start() == pos) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is too long a duration");
            }
            Duration part =
                    switch (m.group(2)) {
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "s" -> Duration.ofSeconds(n);
                        default -> Duration.ofMillis(n);
                    };
            total = total.plus(part);
            pos = m.end();
        }
        if (pos == 0 || pos != v.length()) {
            throw new TypeConversionException(
                    "'"
                            + value
                            + "' is not a duration: use a number with a unit, e.g. 90s, 30m or 1h30m");
        }
        return total;
    }

    /** The Go-style spelling of a duration, e.g. 1h30m, 45s. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long h = d.toHours();
        int m = d.toMinutesPart();
        int s = d.toSecondsPart();
        int ms = d.toMillisPart();
        if (h > 0) sb.append(h).append('h');
        if (m > 0) sb.append(m).append('m');
        if (s > 0) sb.append(s).append('s');
        if (ms > 0) sb.append(ms).append("ms");
        return sb.toString();
    }
}
