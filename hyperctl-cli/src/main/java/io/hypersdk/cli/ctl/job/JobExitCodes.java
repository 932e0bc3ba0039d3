package io.hypersdk.cli.ctl.job;

import io.hypersdk.pipeline.ConversionExitCodes;

/**
 * The exit codes of {@code hyperctl job}: hyperexport's for the same outcomes (0 converted, 4
 * failed, 5 timed out, 130 cancelled), so a script treats a reattached wait like the exporter's own
 * ({@link ConversionExitCodes#of} maps a waited-for outcome for both).
 */
final class JobExitCodes {
    static final int CONVERTED = ConversionExitCodes.CONVERTED;
    static final int INTERNAL = 1;
    static final int USAGE = 2;
    static final int PENDING = 3;
    static final int FAILED = ConversionExitCodes.FAILED;
    static final int TIMEOUT = ConversionExitCodes.TIMED_OUT;
    static final int CANCELLED = ConversionExitCodes.CANCELLED;

    static final String L_CONVERTED = "0:the job was converted";
    static final String L_INTERNAL = "1:internal error (a bug; the message says where)";
    static final String L_USAGE =
            "2:bad command line, no such job in the spool, or the spool has no usable descriptor";
    static final String L_PENDING = "3:status only: the job is still queued or running";
    static final String L_FAILED =
            "4:the job failed, or its daemon stopped (stale heartbeat) while waiting";
    static final String L_TIMEOUT =
            "5:wait only: no answer within --timeout (the job is left alone)";
    static final String L_CANCELLED = "130:wait only: interrupted (the job is left alone)";

    private JobExitCodes() {}
}
