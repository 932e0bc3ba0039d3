package io.hypersdk.core.progress;

import java.util.Objects;

/**
 * The operation entered a new phase.
 *
 * @param phase the phase entered
 * @param detail a short human-readable detail, may be empty, never null
 */
public record PhaseChanged(Phase phase, String detail) implements ProgressEvent {
    /** Checks for nulls. */
    public PhaseChanged {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(detail, "detail");
    }
}
