package io.hypersdk.core.manifest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Guest firmware as written in the manifest's {@code vm.firmware}. */
public enum Firmware {
    /** Legacy BIOS ({@code bios}). */
    BIOS("bios"),
    /** UEFI; vSphere's efi is read as this ({@code uefi}). */
    UEFI("uefi"),
    /** Not known ({@code unknown}). */
    UNKNOWN("unknown");

    private final String id;

    Firmware(String id) {
        this.id = id;
    }

    /**
     * The JSON string of this value.
     *
     * @return for example {@code "bios"}
     */
    public String id() {
        return id;
    }

    /**
     * Parses the JSON string (case-insensitive, surrounding blanks ignored). vSphere's {@code efi}
     * is read as {@link #UEFI}.
     *
     * @param text the text to parse
     * @return the value
     * @throws IllegalArgumentException naming the text and the allowed values
     */
    public static Firmware parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("efi")) {
            return UEFI;
        }
        for (Firmware v : values()) {
            if (v.id.equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" must be one of: " + allowed());
    }

    /**
     * The allowed JSON strings, comma separated.
     *
     * @return for example {@code "bios, ..."}
     */
    public static String allowed() {
        return Arrays.stream(values()).map(Firmware::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
