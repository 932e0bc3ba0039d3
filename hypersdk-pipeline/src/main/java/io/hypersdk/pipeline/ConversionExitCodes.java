package io.hypersdk.pipeline;

import java.util.Objects;

/**
 * The process exit code a front-end gives a {@link ConversionOutcome}: one mapping, so {@code
 * hyperexport --pipeline} and {@code hyperctl job wait} exit alike for the same outcome and a
 * script can treat a reattached wait like the exporter's own.
 *
 * <pre>{@code
 * PipelineResult r = executor.execute(...);
 * System.exit(ConversionExitCodes.of(r.outcome()));
 * }</pre>
 */
public final class ConversionExitCodes {
    /**
     * {@link ConversionOutcome.Converted}, and {@link ConversionOutcome.Queued} (nothing failed).
     */
    public static final int CONVERTED = 0;

    /** {@link ConversionOutcome.Failed}: the converter, the daemon or libvirt reported an error. */
    public static final int FAILED = 4;

    /** {@link ConversionOutcome.TimedOut}: the time limit passed. */
    public static final int TIMED_OUT = 5;

    /** {@link ConversionOutcome.Cancelled}: the caller cancelled (SIGINT's 128 + 2). */
    public static final int CANCELLED = 130;

    private ConversionExitCodes() {}

    /**
     * The exit code for an outcome.
     *
     * @param outcome what happened, never null
     * @return {@link #CONVERTED}, {@link #FAILED}, {@link #TIMED_OUT} or {@link #CANCELLED}
     */
    public static int of(ConversionOutcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome instanceof ConversionOutcome.Converted
                || outcome instanceof ConversionOutcome.Queued) {
            return CONVERTED;
        }
        if (outcome instanceof ConversionOutcome.TimedOut) {
            return TIMED_OUT;
        }
        if (outcome instanceof ConversionOutcome.Cancelled) {
            return CANCELLED;
        }
        return FAILED;
    }
}
