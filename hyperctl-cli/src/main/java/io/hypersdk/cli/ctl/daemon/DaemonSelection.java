package io.hypersdk.cli.ctl.daemon;

import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What to show and how, on {@code daemon} and on each of its subcommands: {@code --instance}, the
 * output options ({@code --json}, {@code --quiet}) and how to reach systemd.
 */
final class DaemonSelection {

    @Mixin
    OutputOptions output;

    @Mixin
    SystemdOptions systemd;

    @Option(names = {"-instance", "--instance"}, paramLabel = "NAME",
            description = "Only the instance NAME (hyper2kvm@NAME.service; 'default' = hyper2kvm.service).")
    String instance;

    /** Shows {@code operation} for this selection, each part not given here taken from {@code parent}. */
    int show(Operation operation, Optional<DaemonSelection> parent, CommandSpec spec) {
        Optional<String> name = Optional.ofNullable(instance).or(() -> parent.map(p -> p.instance));
        return DaemonView.show(operation, name, output.orElse(parent.map(p -> p.output).orElse(null)),
                systemd.orElse(parent.map(p -> p.systemd).orElse(null)), spec);
    }
}
