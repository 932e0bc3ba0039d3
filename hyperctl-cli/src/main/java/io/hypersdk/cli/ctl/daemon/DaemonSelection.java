package io.hypersdk.cli.ctl.daemon;

import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What to show and how, on {@code daemon} and on each of its subcommands: {@code --instance}, the
 * output options ({@code --json}, {@code --quiet}) and how to reach systemd.
 */
final class DaemonSelection {

    @Mixin OutputOptions output;

    @Mixin SystemdOptions systemd;

    @Option(
            names = {"-instance", "--instance"},
            paramLabel = "NAME",
            description =
                    "Only the instance NAME (hyper2kvm@NAME.service; 'default' = hyper2kvm.service).")
    String instance;

    @Option(
            names = "--stuck-after",
            paramLabel = "MINUTES",
            description =
                    "Flag an instance whose claimed job has not moved for longer than this"
                            + " (hyper2kvm 0.0.x locks up; default: 15).")
    Integer stuckAfterMinutes;

    /**
     * Shows {@code operation} for this selection, each part not given here taken from {@code
     * parent}.
     */
    int show(Operation operation, Optional<DaemonSelection> parent, CommandSpec spec) {
        Optional<String> name = Optional.ofNullable(instance).or(() -> parent.map(p -> p.instance));
        Optional<Integer> minutes =
                Optional.ofNullable(stuckAfterMinutes)
                        .or(() -> parent.map(p -> p.stuckAfterMinutes));
        if (minutes.isPresent() && (minutes.get() < 1 || minutes.get() > 10_080)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--stuck-after "
                            + minutes.get()
                            + " is out of range: give 1 to 10080 minutes (default 15)");
        }
        return DaemonView.show(
                operation,
                name,
                output.orElse(parent.map(p -> p.output).orElse(null)),
                systemd.orElse(parent.map(p -> p.systemd).orElse(null)),
                minutes.map(m -> Duration.ofMinutes(m)).orElse(StuckJobs.DEFAULT_THRESHOLD),
                spec);
    }
}
