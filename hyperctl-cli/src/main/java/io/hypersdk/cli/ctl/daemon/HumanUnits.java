package io.hypersdk.cli.ctl.daemon;

import java.time.Duration;
import java.util.Locale;

/** Durations and sizes the way systemctl shows them ("2h 15min", "118.2M"). */
final class HumanUnits {

    private HumanUnits() {}

    /** The two most significant units: "45s", "3min 5s", "2h 15min", "3d 4h". */
    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long days = s / 86_400;
        long hours = s % 86_400 / 3_600;
        long minutes = s % 3_600 / 60;
        long seconds = s % 60;
        if (days > 0) {
            return hours > 0 ? days + "d " + hours + "h" : days + "d";
        }
        if (hours > 0) {
            return minutes > 0 ? hours + "h " + minutes + "min" : hours + "h";
        }
        if (minutes > 0) {
            return seconds > 0 ? minutes + "min " + seconds + "s" : minutes + "min";
        }
        return seconds + "s";
    }

    /** Binary units with one decimal: "512B", "1.5K", "118.2M", "2.0G". */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String units = "KMGTPE";
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length() - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f%c", v, units.charAt(i));
    }
}
