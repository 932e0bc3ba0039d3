package io.hypersdk.core.settings;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The image format conversion produces. */
public enum TargetFormat {
    /** qcow2 (the default) ({@code qcow2}). */
    QCOW2("qcow2"),
    /** raw ({@code raw}). */
    RAW("raw"),
    /** VirtualBox VDI ({@code vdi}). */
    VDI("vdi");

    private final String id;

    TargetFormat(String id) {
        this.id = id;
    }

    /**
     * The setting's text form (JSON, CLI, unit environment).
     *
     * @return for example {@code "qcow2"}
     */
    public String id() {
        return id;
    }

    /**
     * Parses the text form (case-insensitive, surrounding blanks ignored; {@code _} is accepted for
     * {@code -}).
     *
     * @param text the text
     * @return the value
     * @throws IllegalArgumentException naming the text and the allowed values
     */
    public static TargetFormat parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (TargetFormat v : values()) {
            if (v.id.equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "unknown target format \"" + text + "\": use one of " + allowed());
    }

    /**
     * The allowed texts, comma separated.
     *
     * @return for example {@code "qcow2, ..."}
     */
    public static String allowed() {
        return Arrays.stream(values()).map(TargetFormat::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
