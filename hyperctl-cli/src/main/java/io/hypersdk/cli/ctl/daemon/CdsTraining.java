package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.cli.ctl.Hyperctl;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.spool.SpoolDirectories;
import io.hypersdk.core.spool.SpoolPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Build-time only: the training run for the class-data-sharing archive (run by the package phase
 * with {@code -XX:DumpLoadedClassList}, then {@code -Xshare:dump} archives the listed classes). It
 * walks the code paths of a real invocation (command-line parsing, help, errors, systemctl, spool
 * reading, table and JSON rendering) so that their classes land in the archive. It changes nothing
 * outside the directory it is given.
 */
public final class CdsTraining {

    private CdsTraining() {}

    /**
     * @param args one argument: a scratch directory (created, then filled with a sample spool)
     */
    public static void main(String[] args) throws IOException {
        Path scratch = Path.of(args.length > 0 ? args[0] : "target/cds-training").toAbsolutePath();
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        StringWriter err = new StringWriter();
        PrintWriter errs = new PrintWriter(err);
        Hyperctl.run(sink, errs, "--help");
        Hyperctl.run(sink, errs, "daemon", "--help");
        Hyperctl.run(sink, errs, "daemon", "-op", "status", "-instance", "../x");
        Hyperctl.run(sink, errs, "daemon", "status", "--instance", "a b", "--json");
        Hyperctl.run(
                sink,
                errs,
                "daemon",
                "list",
                "--systemctl",
                scratch.resolve("no-such-systemctl").toString());
        // the host's systemctl: "no systemd" here, a real answer on a systemd host
        Hyperctl.run(sink, errs, "daemon", "-op", "list", "--timeout", "5");
        Hyperctl.run(sink, errs, "daemon", "status", "--json", "--timeout", "5");
        // a stand-in systemctl that answers like systemd 252, so that reading its answers (the
        // process output, the show parser, unit states, spool reading) is in the archive too
        Path fake = systemctlStandIn(scratch);
        // as hyperctl's main runs it: systemctl started before the command line is parsed
        String[] list = {"daemon", "-op", "list", "--systemctl", fake.toString()};
        DaemonCommand.startEarly(list);
        Hyperctl.run(sink, errs, list);
        DaemonCommand.discardEarlyStart();
        Hyperctl.run(sink, errs, "daemon", "status", "--systemctl", fake.toString());
        Hyperctl.run(sink, errs, "daemon", "list", "--json", "--systemctl", fake.toString());

        Clock clock = Clock.systemUTC();
        QueueInspector inspector = new QueueInspector(clock);
        List<InstanceReport> reports = new ArrayList<>();
        for (QueueLayout layout : QueueLayout.values()) {
            Path watch = scratch.resolve(layout.id()).resolve("queue");
            SpoolPaths workflow = SpoolPaths.of(QueueLayout.WORKFLOW, watch);
            Files.createDirectories(workflow.submitDir());
            Files.createDirectories(workflow.claimDir().orElseThrow());
            Files.writeString(workflow.submitDir().resolve("job-1.json"), "{}");
            Files.writeString(workflow.claimDir().orElseThrow().resolve("job-0.json"), "{}");
            Files.writeString(watch.resolve("job-2.manifest.json"), "{}");
            Files.writeString(watch.resolve("job-3.vmdk"), "");
            String unit = "hyper2kvm@" + layout.id() + ".service";
            SpoolDirectories dirs =
                    SpoolDirectories.fromUnit(
                            unit,
                            Map.of("WATCH_DIR", watch.toString(), "QUEUE_LAYOUT", layout.id()),
                            Optional.of(layout.id()));
            reports.add(
                    new InstanceReport(
                            layout.id(),
                            unit,
                            "loaded",
                            "active",
                            "running",
                            "enabled",
                            "success",
                            OptionalLong.of(42),
                            Optional.of(Instant.now()),
                            Optional.of(Duration.ofSeconds(4000)),
                            1,
                            OptionalLong.of(123_456_789L),
                            Optional.of(dirs),
                            inspector.inspect(dirs)));
        }
        SpoolDirectories fallback =
                SpoolDirectories.fromUnit("hyper2kvm.service", Map.of(), Optional.empty());
        reports.add(
                new InstanceReport(
                        "default",
                        "hyper2kvm.service",
                        "loaded",
                        "failed",
                        "failed",
                        "enabled",
                        "exit-code",
                        OptionalLong.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        0,
                        OptionalLong.empty(),
                        Optional.of(fallback),
                        inspector.inspect(fallback)));
        TableRenderer.status(reports, sink);
        TableRenderer.list(reports, sink);
        JsonRenderer.write(reports, sink);
        sink.flush();
    }

    private static Path systemctlStandIn(Path scratch) throws IOException {
        Path watch = Files.createDirectories(scratch.resolve("standin/queue/to_be_processed"));
        Files.writeString(watch.resolve("job-1.json"), "{}");
        String unit =
                "LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=42\n"
                        + "ActiveEnterTimestamp=Thu 2026-11-26 10:22:02.820217 UTC\nNRestarts=0\n"
                        + "Result=success\nMemoryCurrent=1234567\nUnitFileState=enabled\n"
                        + "Environment=WATCH_DIR="
                        + watch.getParent()
                        + " QUEUE_LAYOUT=workflow\nUser=\nGroup=\nPrivateTmp=no\n";
        Path script = scratch.resolve("standin/systemctl");
        Files.writeString(
                script,
                "#!/bin/sh\ncase \"$*\" in\n"
                        + "  *list-unit-files*) echo 'hyper2kvm@.service enabled enabled' ;;\n"
                        + "  *) printf 'Id=hyper2kvm.service\\n"
                        + unit.replace("\n", "\\n")
                        + "\\nId=hyper2kvm@a.service\\n"
                        + unit.replace("\n", "\\n")
                        + "' ;;\nesac\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
