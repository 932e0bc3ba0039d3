package io.hypersdk.provider.spi;

import java.util.Locale;

/** How the exported VM is laid out in the output directory. */
public enum ExportFormat {
    /** Descriptor ({@code .ovf}) plus separate disk files: what the converter reads directly. */
    OVF,
    /** One {@code .ova} archive (the disks are also kept alongside for the converter). */
    OVA;

    /** The lower-case name, as in {@code --format ovf}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code ovf} or {@code ova} (any case).
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static ExportFormat parse(String s) {
        for (ExportFormat f : values()) {
            if (f.id().equalsIgnoreCase(s.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "export format '" + s + "' is not supported: use ovf or ova");
    }

    /**
     * The {@link #id()}, as the other library enums print themselves (and picocli completes them).
     */
    @Override
    public String toString() {
        return id();
    }
}
