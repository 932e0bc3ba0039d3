package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.systemd.SystemdClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How to reach systemd: the systemctl executable and the time allowed for its answer. */
final class SystemdOptions {

    static final String ENV_SYSTEMCTL = "HYPERCTL_SYSTEMCTL";

    @Option(
            names = "--systemctl",
            paramLabel = "PATH",
            description =
                    "The systemctl to run (a wrapper may be interposed). Default: $"
                            + ENV_SYSTEMCTL
                            + ", else systemctl from PATH.")
    Path systemctl;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "Seconds to wait for systemctl (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    SystemdOptions orElse(SystemdOptions parent) {
        SystemdOptions merged = new SystemdOptions();
        merged.systemctl = systemctl != null ? systemctl : parent == null ? null : parent.systemctl;
        merged.timeoutSeconds =
                timeoutSeconds != 10 || parent == null ? timeoutSeconds : parent.timeoutSeconds;
        return merged;
    }

    Optional<Path> systemctl() {
        if (systemctl != null) {
            return Optional.of(systemctl);
        }
        String env = System.getenv(ENV_SYSTEMCTL);
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(Path.of(env));
    }

    SystemdClient client(Clock clock) {
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw new IllegalArgumentException(
                    "--timeout " + timeoutSeconds + " is out of range: give 1 to 600 seconds");
        }
        SystemdClient.Builder b =
                SystemdClient.builder().timeout(Duration.ofSeconds(timeoutSeconds)).clock(clock);
        systemctl().ifPresent(b::systemctl);
        return b.build();
    }
}
