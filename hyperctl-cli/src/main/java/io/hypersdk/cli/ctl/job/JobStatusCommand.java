package io.hypersdk.cli.ctl.job;

import io.hypersdk.core.JobId;
import io.hypersdk.pipeline.RemoteSpoolException;
import io.hypersdk.pipeline.daemon.DaemonSpool;
import io.hypersdk.pipeline.daemon.RemoteSpool;
import io.hypersdk.pipeline.daemon.SpoolJob;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hyperctl job status ID --spool DIR}: where the job is, once. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Where the job is: queued, running, converted (with its images) or failed (with the daemon's error).")
final class JobStatusCommand implements Callable<Integer> {
    @Mixin SpoolOption options;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        JobId id = JobIds.parse(options.id, spec);
        try {
            DaemonSpool spool =
                    RemoteSpool.open(options.spool, Duration.ofSeconds(5), Clock.systemUTC());
            return report(spec, options, id, spool.find(id));
        } catch (RemoteSpoolException | UnsupportedOperationException e) {
            return unusable(spec, e);
        }
    }

    /** A spool without a usable descriptor, or of a layout that keeps no job by id: exit 2. */
    static int unusable(CommandSpec spec, RuntimeException e) {
        spec.commandLine().getErr().println("hyperctl: " + e.getMessage());
        spec.commandLine().getErr().flush();
        return JobExitCodes.USAGE;
    }

    /** Prints the job's state; returns its exit code. */
    static int report(CommandSpec spec, SpoolOption options, JobId id, SpoolJob job) {
        int code =
                switch (job.state()) {
                    case CONVERTED -> JobExitCodes.CONVERTED;
                    case FAILED -> JobExitCodes.FAILED;
                    case QUEUED, RUNNING -> JobExitCodes.PENDING;
                    case UNKNOWN -> JobExitCodes.USAGE;
                };
        JobReport.print(
                spec.commandLine().getOut(),
                options.output.json(),
                id,
                options.spool,
                JobReport.state(job),
                code,
                job.images(),
                job.state() == SpoolJob.State.UNKNOWN
                        ? java.util.Optional.of(
                                "no job "
                                        + id
                                        + " in "
                                        + options.spool
                                        + " (not queued, running, converted or failed): check the id and the spool")
                        : job.error());
        return code;
    }
}
