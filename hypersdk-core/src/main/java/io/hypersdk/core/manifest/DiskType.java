package io.hypersdk.core.manifest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Role of a manifest disk ({@code disks[].disk_type}). */
public enum DiskType {
    /** The boot disk ({@code boot}). */
    BOOT("boot"),
    /** A data disk ({@code data}). */
    DATA("data"),
    /** Not known ({@code unknown}). */
    UNKNOWN("unknown");

    private final String id;

    DiskType(String id) {
        this.id = id;
    }

    /**
     * The JSON string of this value.
     *
     * @return for example {@code "boot"}
     */
    public String id() {
        return id;
    }

    /**
     * Parses the JSON string (case-insensitive, surrounding blanks ignored).
     *
     * @param text the text to parse
     * @return the value
     * @throws IllegalArgumentException naming the text and the allowed values
     */
    public static DiskType parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (DiskType v : values()) {
            if (v.id.equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" must be one of: " + allowed());
    }

    /**
     * The allowed JSON strings, comma separated.
     *
     * @return for example {@code "boot, ..."}
     */
    public static String allowed() {
        return Arrays.stream(values()).map(DiskType::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
