package io.hypersdk.core.progress;

import java.util.Objects;

/**
 * A message for the user, for example "hyper2kvm@x.service is not active: using direct mode".
 *
 * @param level how important it is
 * @param message one line of text
 */
public record Notice(Level level, String message) implements ProgressEvent {
    /** Checks for nulls. */
    public Notice {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
    }

    /** Importance of a notice. */
    public enum Level {
        /** Informational. */
        INFO,
        /** Something the user should know about; the operation continues. */
        WARNING,
        /** Something failed. */
        ERROR
    }
}
