package io.hypersdk.cli.ctl.daemon;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The options and behaviour shared by the subcommands {@code daemon status} and {@code daemon
 * list}: the {@link DaemonSelection} (each part falling back to the parent command's), and the
 * check that {@code -op} given to the parent does not contradict the subcommand.
 */
abstract class DaemonOperationCommand implements Callable<Integer> {

    private final Operation operation;

    @Mixin DaemonSelection selection;

    @ParentCommand DaemonCommand parent;

    @Spec CommandSpec spec;

    DaemonOperationCommand(Operation operation) {
        this.operation = operation;
    }

    @Override
    public final Integer call() {
        parent.requireNoOtherOp(operation, spec);
        Optional<Integer> remote = remote();
        if (remote.isPresent()) {
            return remote.get();
        }
        return selection.show(operation, Optional.of(parent.selection), spec);
    }

    /** A subcommand's view of a remote spool instead of this host's units; empty by default. */
    Optional<Integer> remote() {
        return Optional.empty();
    }
}
