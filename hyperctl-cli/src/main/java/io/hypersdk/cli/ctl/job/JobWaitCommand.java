package io.hypersdk.cli.ctl.job;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.JobId;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.pipeline.ConversionExitCodes;
import io.hypersdk.pipeline.ConversionOutcome;
import io.hypersdk.pipeline.RemoteSpoolException;
import io.hypersdk.pipeline.daemon.DaemonSpool;
import io.hypersdk.pipeline.daemon.RemoteSpool;
import io.hypersdk.pipeline.daemon.SpoolJob;
import io.hypersdk.pipeline.daemon.SpoolResult;
import io.hypersdk.pipeline.daemon.SpoolSubmission;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hyperctl job wait ID --spool DIR}: waits for a job someone else submitted (an exporter
 * with {@code --no-wait}, or one that was killed) without resubmitting it; never withdraws it.
 */
@Command(
        name = "wait",
        mixinStandardHelpOptions = true,
        description =
                "Wait for the job's result (polling the spool; the daemon's heartbeat must stay fresh) and exit like hyperexport would have.")
final class JobWaitCommand implements Callable<Integer> {
    @Mixin SpoolOption options;

    @Spec CommandSpec spec;

    @Option(
            names = "--timeout",
            paramLabel = "MINUTES",
            defaultValue = "60",
            description = "How long to wait, 1-240 min (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Option(
            names = "--poll-interval",
            paramLabel = "SECONDS",
            defaultValue = "5",
            description = "How often to look at the spool, 1-60 s (default: ${DEFAULT-VALUE}).")
    int pollSeconds;

    @Override
    public Integer call() {
        JobId id = JobIds.parse(options.id, spec);
        if (timeoutMinutes < 1 || timeoutMinutes > 240) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--timeout must be between 1 and 240 minutes (got: " + timeoutMinutes + ")");
        }
        if (pollSeconds < 1 || pollSeconds > 60) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--poll-interval must be between 1 and 60 seconds (got: " + pollSeconds + ")");
        }
        DaemonSpool spool;
        SpoolJob found;
        try {
            spool =
                    RemoteSpool.open(
                            options.spool, Duration.ofSeconds(pollSeconds), Clock.systemUTC());
            found = spool.find(id);
        } catch (RemoteSpoolException | UnsupportedOperationException e) {
            return JobStatusCommand.unusable(spec, e);
        }
        if (found.state() == SpoolJob.State.FAILED || found.state() == SpoolJob.State.UNKNOWN) {
            return JobStatusCommand.report(spec, options, id, found);
        }
        Optional<SpoolSubmission> s = spool.attach(id);
        if (s.isEmpty()) {
            return JobStatusCommand.report(spec, options, id, spool.find(id));
        }
        Cancellation cancellation = Cancellation.create();
        Thread hook = new Thread(cancellation::cancel, "hyperctl-job-wait-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        SpoolResult r;
        try {
            r =
                    spool.await(
                            s.get(),
                            Duration.ofMinutes(timeoutMinutes),
                            cancellation,
                            ProgressListener.NONE);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook has run
            }
        }
        ConversionOutcome o = r.outcome();
        int code = ConversionExitCodes.of(o);
        JobReport.print(
                spec.commandLine().getOut(),
                options.output.json(),
                id,
                options.spool,
                JobReport.state(o),
                code,
                r.images(),
                o instanceof ConversionOutcome.Failed f
                        ? Optional.of(f.message())
                        : o instanceof ConversionOutcome.TimedOut
                                ? Optional.of(
                                        "no answer within "
                                                + timeoutMinutes
                                                + " min; the job was left in the spool: wait again"
                                                + " or raise --timeout")
                                : Optional.empty());
        return code;
    }
}
