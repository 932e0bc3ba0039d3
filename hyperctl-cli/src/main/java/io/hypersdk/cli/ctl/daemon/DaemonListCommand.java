package io.hypersdk.cli.ctl.daemon;

import picocli.CommandLine.Command;

/** {@code hyperctl daemon list}: one line per instance. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "One line per instance (same as: hyperctl daemon -op list).")
final class DaemonListCommand extends DaemonOperationCommand {

    DaemonListCommand() {
        super(Operation.LIST);
    }
}
