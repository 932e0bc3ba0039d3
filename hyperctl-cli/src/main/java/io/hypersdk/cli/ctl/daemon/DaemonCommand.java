package io.hypersdk.cli.ctl.daemon;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hyperctl daemon}: the hyper2kvm daemon instances of this host. Accepts the original tool's
 * form ({@code -op status|list [-instance NAME] [-json]}) and the subcommands {@code status} and
 * {@code list}.
 */
@Command(
        name = "daemon",
        mixinStandardHelpOptions = true,
        description = {
            "Show the hyper2kvm daemon instances (hyper2kvm.service and every hyper2kvm@NAME.service,"
                    + " including failed and enabled-but-stopped ones): state, PID, uptime, restarts, memory,"
                    + " the watch and output directories and queue layout from the unit's Environment,"
                    + " and the queue (waiting, in progress, age of the oldest waiting job).",
            "",
            "Forms (each pair is equivalent; the second is the original tool's):",
            "  hyperctl daemon status [--instance NAME]",
            "  hyperctl daemon -op status [-instance NAME]",
            "  hyperctl daemon list",
            "  hyperctl daemon -op list",
            "Without an operation, status is shown. The default unit hyper2kvm.service is the instance"
                    + " 'default'. --json (or -json) prints JSON; --quiet prints only what scripts need.",
            ""
        },
        subcommands = {DaemonStatusCommand.class, DaemonListCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every asked-for instance is active",
            "1:unexpected failure (systemctl timed out or gave an unreadable answer)",
            "2:bad command line (unknown operation, invalid instance name)",
            "3:some asked-for instance is not active, or none exists",
            "4:the asked-for instance is not installed, enabled or running",
            "5:this host was not booted with systemd",
            "6:systemctl was not found or could not be run"
        })
public final class DaemonCommand implements Callable<Integer> {

    @Option(
            names = {"-op", "--op"},
            paramLabel = "OPERATION",
            description =
                    "status or list (the original tool's form of the subcommands; default: status).")
    String op;

    @Mixin DaemonSelection selection;

    @Spec CommandSpec spec;

    /**
     * Starts asking systemd for every instance when {@code args} (the whole command line, not yet
     * parsed) is a {@code daemon} command that will need it, so that systemctl answers while the
     * command line is built; the parsed run uses the answer only when it asks the very same
     * question. Call {@link #discardEarlyStart()} when the run is over.
     */
    public static void startEarly(String[] args) {
        EarlyQuery.start(args);
    }

    /** Cancels what {@link #startEarly} started and the run did not use. */
    public static void discardEarlyStart() {
        EarlyQuery.discard();
    }

    @Override
    public Integer call() {
        Operation operation;
        try {
            operation = Operation.parse(op == null ? "status" : op);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return selection.show(operation, Optional.empty(), spec);
    }

    /** For a subcommand: refuses {@code -op X} that contradicts the subcommand's own name. */
    void requireNoOtherOp(Operation subcommand, CommandSpec sub) {
        if (op != null) {
            Operation given;
            try {
                given = Operation.parse(op);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(sub.commandLine(), e.getMessage());
            }
            if (given != subcommand) {
                throw new ParameterException(
                        sub.commandLine(),
                        "-op "
                                + op
                                + " contradicts the subcommand '"
                                + sub.name()
                                + "': give one of them");
            }
        }
    }
}
