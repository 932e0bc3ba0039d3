package io.hypersdk.cli.ctl.daemon;

import picocli.CommandLine.Command;

/** {@code hyperctl daemon status [--instance NAME]}: the detailed view. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Detailed status of every instance, or of one (same as: hyperctl daemon -op status).")
final class DaemonStatusCommand extends DaemonOperationCommand {

    DaemonStatusCommand() {
        super(Operation.STATUS);
    }
}
