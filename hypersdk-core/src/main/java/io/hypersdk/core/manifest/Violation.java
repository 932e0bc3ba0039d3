package io.hypersdk.core.manifest;

import io.hypersdk.core.text.TerminalText;
import java.util.Objects;

/**
 * One broken rule of a manifest.
 *
 * @param path the field path, for example {@code disks[1].source_format}; {@code $} for the
 *     document as a whole
 * @param message what is wrong, for example {@code "qcow3" must be one of: vmdk, qcow2, ...}
 */
public record Violation(String path, String message) {
    /** Checks for nulls. */
    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /**
     * {@code path: message} on one line: control characters coming from the document (a key or
     * value with a newline, NUL, ...) are shown as escapes such as {@code \n} or {@code \u0000}
     * (the rule of {@link TerminalText#escape}).
     */
    @Override
    public String toString() {
        return TerminalText.escape(path) + ": " + TerminalText.escape(message);
    }
}
