package io.hypersdk.cli.export;

import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, rates and durations for progress and results. */
final class Units {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {}

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
    }

    static String rate(double bytesPerSecond) {
        if (!(bytesPerSecond > 0) || Double.isInfinite(bytesPerSecond)) {
            return "-- B/s";
        }
        return bytes((long) bytesPerSecond) + "/s";
    }

    /** 0:07, 12:30, 1:02:03. */
    static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** 1.2s, 45s, 3m12s. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 10_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        return DurationConverter.format(Duration.ofSeconds(d.toSeconds()));
    }

    /** A bar of {@code width} cells for {@code done} of {@code total}. */
    static String bar(long done, long total, int width) {
        int filled =
                total <= 0 ? 0 : (int) Math.min(width, Math.round((double) done * width / total));
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    static int percent(long done, long total) {
        if (total <= 0) {
            return 0;
        }
        return (int) Math.min(100, done * 100 / total);
    }
}
