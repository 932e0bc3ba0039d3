package io.hypersdk.cli.ctl.daemon;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hyperctl daemon status [--instance NAME]}: the detailed view. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Detailed status of every instance, or of one (same as: hyperctl daemon -op status);"
                        + " with --spool DIR, of the daemon on another host that serves that spool.")
final class DaemonStatusCommand extends DaemonOperationCommand {

    @Option(
            names = "--spool",
            paramLabel = "DIR",
            description =
                    "A spool served by a daemon on another host (as mounted here): its descriptor,"
                            + " heartbeat age, queue depth and oldest waiting job. Exit 0 alive, 3 heartbeat"
                            + " stale, 4 no descriptor.")
    Path spool;

    @Override
    Optional<Integer> remote() {
        if (spool == null) {
            return Optional.empty();
        }
        return Optional.of(
                RemoteSpoolStatus.show(
                        spool,
                        selection.output.orElse(parent.selection.output).format()
                                == OutputOptions.Format.JSON,
                        spec.commandLine().getOut(),
                        spec.commandLine().getErr(),
                        java.time.Clock.systemUTC()));
    }

    DaemonStatusCommand() {
        super(Operation.STATUS);
    }
}
