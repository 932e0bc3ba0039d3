package io.hypersdk.core.settings;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The spool protocol a hyper2kvm daemon speaks (see DESIGN.md, daemon mode). */
public enum QueueLayout {
    /** to_be_processed/ processing/ processed/ failed/ (the default) ({@code workflow}). */
    WORKFLOW("workflow"),
    /** the seed's contract: jobId.manifest.json in, vm.qcow2 / vm.error out ({@code flat}). */
    FLAT("flat"),
    /** hyper2kvm 0.0.x: the boot disk renamed into the watch dir ({@code disk-watch}). */
    DISK_WATCH("disk-watch");

    private final String id;

    QueueLayout(String id) {
        this.id = id;
    }

    /**
     * The setting's text form (JSON, CLI, unit environment).
     *
     * @return for example {@code "workflow"}
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
    public static QueueLayout parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (QueueLayout v : values()) {
            if (v.id.equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "unknown queue layout \"" + text + "\": use one of " + allowed());
    }

    /**
     * The allowed texts, comma separated.
     *
     * @return for example {@code "workflow, ..."}
     */
    public static String allowed() {
        return Arrays.stream(values()).map(QueueLayout::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
