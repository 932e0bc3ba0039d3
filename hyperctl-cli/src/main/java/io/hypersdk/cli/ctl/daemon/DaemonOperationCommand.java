package io.hypersdk.cli.ctl.daemon;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The options and behaviour shared by the subcommands {@code daemon status} and {@code daemon list}:
 * {@code --instance}, the output and systemd options (each falling back to the parent command's),
 * and the check that {@code -op} given to the parent does not contradict the subcommand.
 */
abstract class DaemonOperationCommand implements Callable<Integer> {

    private final Operation operation;

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

    DaemonOperationCommand(Operation operation) {
        this.operation = operation;
    }

    @Override
    public final Integer call() {
        parent.requireNoOtherOp(operation, spec);
        return DaemonView.show(operation, Optional.ofNullable(instance != null ? instance : parent.instance),
                output.orElse(parent.output), systemd.orElse(parent.systemd), spec);
    }
}
