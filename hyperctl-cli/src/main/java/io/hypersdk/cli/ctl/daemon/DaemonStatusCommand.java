package io.hypersdk.cli.ctl.daemon;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hyperctl daemon status [--instance NAME]}: the detailed view. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Detailed status of every instance, or of one (same as: hyperctl daemon -op status).")
final class DaemonStatusCommand implements Callable<Integer> {

    @Option(names = {"--instance", "-instance"}, paramLabel = "NAME",
            description = "Only the instance NAME (hyper2kvm@NAME.service; 'default' = hyper2kvm.service).")
    String instance;

    @Mixin
    OutputOptions output;

    @Mixin
    SystemdOptions systemd;

    @ParentCommand
    DaemonCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        parent.requireNoOtherOp(Operation.STATUS, spec);
        return DaemonView.show(Operation.STATUS, Optional.ofNullable(instance != null ? instance : parent.instance),
                output.orElse(parent.output), systemd.orElse(parent.systemd), spec);
    }
}
