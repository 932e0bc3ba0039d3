package io.hypersdk.core.manifest;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A warning recorded during export ({@code warnings[]}).
 *
 * @param stage the stage that warned ({@code stage}, always written)
 * @param message the warning ({@code message}, always written)
 * @param timestamp when ({@code timestamp}, RFC 3339)
 */
public record ManifestWarning(String stage, String message, Optional<Instant> timestamp) {
    /** Checks for nulls. */
    public ManifestWarning {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /**
     * A warning without a timestamp.
     *
     * @param stage stage
     * @param message message
     * @return the warning
     */
    public static ManifestWarning of(String stage, String message) {
        return new ManifestWarning(stage, message, Optional.empty());
    }
}
