package io.hypersdk.core.settings;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which program converts the disks. */
public enum Converter {
    /** hyper2kvm: guest repair and conversion (the default) ({@code hyper2kvm}). */
    HYPER2KVM("hyper2kvm"),
    /** plain qemu-img convert, no guest repair; only when chosen explicitly ({@code qemu-img}). */
    QEMU_IMG("qemu-img");

    private final String id;

    Converter(String id) {
        this.id = id;
    }

    /**
     * The setting's text form (JSON, CLI, unit environment).
     *
     * @return for example {@code "hyper2kvm"}
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
    public static Converter parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Converter v : values()) {
            if (v.id.equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "unknown converter \"" + text + "\": use one of " + allowed());
    }

    /**
     * The allowed texts, comma separated.
     *
     * @return for example {@code "hyper2kvm, ..."}
     */
    public static String allowed() {
        return Arrays.stream(values()).map(Converter::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
