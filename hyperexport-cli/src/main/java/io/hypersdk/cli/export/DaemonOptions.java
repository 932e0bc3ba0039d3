package io.hypersdk.cli.export;

import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.spool.InstanceName;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The systemd-managed hyper2kvm daemon (seed names and defaults). */
final class DaemonOptions {
    static final int DEFAULT_POLL_SECONDS = 5;
    static final int DEFAULT_TIMEOUT_MINUTES = 60;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--hyper2kvm-daemon",
            order = 60,
            description =
                    "Hand the export to the systemd-managed hyper2kvm daemon when its unit is active; when it is not, convert directly and say why (see --require-daemon).")
    boolean daemon;

    String instance;

    @Option(
            names = "--hyper2kvm-instance",
            paramLabel = "NAME",
            order = 61,
            description =
                    "Daemon instance: hyper2kvm@NAME.service, with /var/lib/hyper2kvm/NAME/queue and .../output (default: hyper2kvm.service). Letters, digits, ':', '_', '.', '-'.")
    void instance(String value) {
        if (value == null || value.isEmpty()) {
            this.instance = null;
            return;
        }
        if (!InstanceName.isValid(value)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--hyper2kvm-instance '"
                            + value
                            + "' is not a valid instance name: use "
                            + InstanceName.RULE
                            + ", e.g. vsphere-prod");
        }
        this.instance = value;
    }

    @Option(
            names = "--hyper2kvm-watch-dir",
            paramLabel = "DIR",
            order = 62,
            description =
                    "Daemon queue directory (default: the unit's WATCH_DIR, else /var/lib/hyper2kvm/queue or /var/lib/hyper2kvm/NAME/queue).")
    Path watchDir;

    @Option(
            names = "--hyper2kvm-output-dir",
            paramLabel = "DIR",
            order = 63,
            description =
                    "Daemon output directory (default: the unit's OUTPUT_DIR, else /var/lib/hyper2kvm/output or /var/lib/hyper2kvm/NAME/output).")
    Path outputDir;

    int pollSeconds = DEFAULT_POLL_SECONDS;

    @Option(
            names = "--hyper2kvm-poll-interval",
            paramLabel = "SECONDS",
            defaultValue = "" + DEFAULT_POLL_SECONDS,
            order = 64,
            description =
                    "How often to look for the daemon's result when no file event arrives, 1-60 s (default: ${DEFAULT-VALUE}).")
    void pollSeconds(int value) {
        Ranges.check(spec, "--hyper2kvm-poll-interval", value, 1, 60, "seconds");
        this.pollSeconds = value;
    }

    int timeoutMinutes = DEFAULT_TIMEOUT_MINUTES;

    @Option(
            names = "--hyper2kvm-daemon-timeout",
            paramLabel = "MINUTES",
            defaultValue = "" + DEFAULT_TIMEOUT_MINUTES,
            order = 65,
            description =
                    "How long to wait for the daemon's result, 1-240 min (default: ${DEFAULT-VALUE}); not cut short by --pipeline-timeout.")
    void timeoutMinutes(int value) {
        Ranges.check(spec, "--hyper2kvm-daemon-timeout", value, 1, 240, "minutes");
        this.timeoutMinutes = value;
    }

    @Option(
            names = "--hyper2kvm-queue-layout",
            paramLabel = "workflow|flat|disk-watch",
            order = 66,
            description =
                    "Queue layout the daemon speaks (default: the unit's QUEUE_LAYOUT, else workflow).")
    QueueLayout layout;

    @Option(
            names = "--require-daemon",
            order = 67,
            description =
                    "Fail (exit 4) instead of falling back to direct mode when the daemon unit is not active.")
    boolean requireDaemon;

    @Option(
            names = "--hyper2kvm-poll-only",
            order = 68,
            description = "Watch the queue by polling only, no inotify (for NFS-shared queues).")
    boolean pollOnly;

    @Option(
            names = "--hyper2kvm-remote",
            order = 69,
            description =
                    "The daemon runs on another host that shares the spool (--hyper2kvm-watch-dir as mounted here; implies --hyper2kvm-daemon): no local systemd check; layout and output directory from the spool's descriptor .hypersdk-spool.json (flags override); a stale heartbeat is an error (exit 4) before the export starts; polling only. The job id comes from the VM and the output directory, so the same export run again waits for its job instead of converting twice.")
    boolean remote;

    @Option(
            names = "--no-wait",
            order = 70,
            description =
                    "Daemon mode: submit the job and exit 0 without waiting for it; the job id is printed (and in --json). Wait later with: hyperctl job wait ID --spool DIR.")
    boolean noWait;

    Optional<String> instance() {
        return Optional.ofNullable(instance);
    }

    Optional<Path> watchDir() {
        return Optional.ofNullable(watchDir);
    }

    Optional<Path> outputDir() {
        return Optional.ofNullable(outputDir);
    }

    Optional<QueueLayout> layout() {
        return Optional.ofNullable(layout);
    }
}
