package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.cli.ctl.ExitCodes;
import io.hypersdk.core.spool.InstanceName;
import io.hypersdk.core.text.TerminalText;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Runs one daemon operation: validate, ask systemd once, read the spools, render, pick the exit
 * code.
 */
final class DaemonView {

    private DaemonView() {}

    static int show(
            Operation op,
            Optional<String> instance,
            OutputOptions output,
            SystemdOptions systemd,
            Duration stuckAfter,
            CommandSpec spec) {
        if (instance.isPresent()) {
            try {
                InstanceName.require(instance.get());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        e.getMessage() + "; 'hyperctl daemon list' shows the instances",
                        e,
                        null,
                        instance.get());
            }
        }
        Clock clock = Clock.systemUTC();
        DaemonQuery query = new DaemonQuery(systemd.client(clock), clock);
        List<InstanceReport> reports =
                instance.isPresent() ? List.of(query.one(instance.get())) : query.all();
        Map<String, StuckJobs.StuckJob> stuck = new StuckJobs(stuckAfter, clock).of(reports);

        PrintWriter out = spec.commandLine().getOut();
        switch (output.format()) {
            case JSON -> JsonRenderer.write(reports, stuck, out);
            case TABLE -> {
                if (op == Operation.STATUS) {
                    TableRenderer.status(reports, out);
                    StuckJobs.print(stuck, reports, out);
                } else {
                    TableRenderer.list(reports, out);
                }
            }
            case QUIET -> {
                if (op == Operation.LIST) {
                    reports.forEach(r -> out.println(TerminalText.escape(r.name())));
                }
            }
        }
        out.flush();
        return !reports.isEmpty() && reports.stream().allMatch(InstanceReport::isActive)
                ? ExitCodes.ACTIVE
                : ExitCodes.NOT_ACTIVE;
    }
}
