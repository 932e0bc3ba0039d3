package io.hypersdk.core.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The state of a job ({@code status}). */
public enum JobStatus {
    /** Accepted, not started. */
    PENDING,
    /** Running. */
    RUNNING,
    /** Finished successfully. */
    COMPLETED,
    /** Finished with an error. */
    FAILED,
    /** Cancelled by a user. */
    CANCELLED;

    /**
     * The JSON text.
     *
     * @return for example {@code "running"}
     */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the JSON text (case-insensitive).
     *
     * @param text the text
     * @return the status
     * @throws IllegalArgumentException naming the text and the allowed values
     */
    @JsonCreator
    public static JobStatus parse(String text) {
        for (JobStatus s : values()) {
            if (s.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown job status \""
                        + text
                        + "\": use one of pending, running, completed, failed, cancelled");
    }

    /**
     * Whether the job has finished (completed, failed or cancelled).
     *
     * @return true for a final state
     */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    @Override
    public String toString() {
        return id();
    }
}
