package io.hypersdk.pipeline;

import io.hypersdk.core.settings.SettingText;
import java.time.Duration;
import java.util.Objects;

/**
 * What happened to a conversion: a closed set, so callers can switch over it exhaustively.
 *
 * <pre>{@code
 * if (result.outcome() instanceof ConversionOutcome.Failed f) {
 *   System.err.println(f.message());
 * } else if (result.outcome() instanceof ConversionOutcome.TimedOut t && t.claimed()) {
 *   ... the daemon may still finish the job ...
 * }
 * }</pre>
 */
public sealed interface ConversionOutcome {

    /** Every image was written (see {@link PipelineResult#outputImages()}). */
    record Converted() implements ConversionOutcome {}

    /**
     * The converter (or the daemon, or libvirt) reported an error.
     *
     * @param text one line: what failed, with the converter's own message; the settings it names
     *     are data, so a front-end can name them its own way
     */
    record Failed(SettingText text) implements ConversionOutcome {
        /** Checks for null. */
        public Failed {
            Objects.requireNonNull(text, "text");
        }

        /**
         * A failure whose message names no setting.
         *
         * @param message one line: what failed, with the converter's own message
         */
        public Failed(String message) {
            this(SettingText.of(Objects.requireNonNull(message, "message")));
        }

        /**
         * The message, settings named by their keys.
         *
         * @return one line
         */
        public String message() {
            return text.toString();
        }
    }

    /**
     * The time limit passed: the direct-mode {@code timeout} (the process tree was killed) or the
     * daemon's {@code daemon_timeout}.
     *
     * @param after how long it had run when it was stopped
     * @param claimed daemon mode: the daemon had already taken the job (so it may still finish it;
     *     the submission was left alone). False in direct mode and when the unclaimed submission
     *     was withdrawn.
     */
    record TimedOut(Duration after, boolean claimed) implements ConversionOutcome {
        /** Checks for null. */
        public TimedOut {
            Objects.requireNonNull(after, "after");
        }
    }

    /**
     * The caller cancelled through its {@link io.hypersdk.core.Cancellation}.
     *
     * @param claimed daemon mode: the daemon had already taken the job, so the submission could not
     *     be withdrawn. False in direct mode (the process tree was killed) and when withdrawn.
     */
    record Cancelled(boolean claimed) implements ConversionOutcome {}

    /**
     * Daemon mode with {@code noWait}: the job is in the daemon's spool and nobody waits for it
     * here ({@code hyperctl job wait ID} does, later).
     *
     * @param jobId the job's id in the spool
     * @param alreadyThere the spool held this export's job already (queued, running or converted),
     *     so nothing new was submitted
     */
    record Queued(io.hypersdk.core.JobId jobId, boolean alreadyThere) implements ConversionOutcome {
        /** Checks for null. */
        public Queued {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /**
     * Whether this is {@link Converted}.
     *
     * @return true for a successful conversion
     */
    default boolean succeeded() {
        return this instanceof Converted;
    }
}
