package io.hypersdk.cli.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypersdk.core.settings.Converter;
import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.LibvirtSettings;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.core.text.TerminalText;
import io.hypersdk.pipeline.ConversionOutcome;
import io.hypersdk.pipeline.PipelineResult;
import io.hypersdk.provider.spi.VmDescription;
import java.util.List;
import java.util.Locale;

/**
 * Renders results on stdout: readable text, the script-friendly {@code --quiet} lines, or one
 * {@code --json} document at the end. Never prints credentials (none reach this class); every name,
 * path and message from outside is printed through {@link TerminalText#escape}.
 */
final class Results {
    private static final ObjectMapper JSON =
            new ObjectMapper(new JsonFactory().setCharacterEscapes(TerminalText.jsonEscapes()))
                    .enable(SerializationFeature.INDENT_OUTPUT);

    private final HyperExportCommand cmd;
    private final Io io;

    Results(HyperExportCommand cmd, Io io) {
        this.cmd = cmd;
        this.io = io;
    }

    void printOne(VmOutcome o) {
        if (cmd.output.json) {
            return;
        }
        if (cmd.output.quiet) {
            quiet(o);
        } else {
            text(o);
        }
        io.out().flush();
    }

    /** Prints the summary (batch) or the JSON document; returns the exit code. */
    int finish(List<VmOutcome> outcomes, boolean many) {
        long ok = outcomes.stream().filter(VmOutcome::succeeded).count();
        int code =
                outcomes.stream()
                        .filter(o -> !o.succeeded())
                        .map(VmOutcome::exitCode)
                        .findFirst()
                        .orElse(ExitCodes.SUCCESS);
        if (cmd.output.json) {
            io.out().println(json(outcomes, code));
        } else if (many) {
            if (cmd.output.quiet) {
                io.out()
                        .println(
                                "batch-summary: total="
                                        + outcomes.size()
                                        + " success="
                                        + ok
                                        + " failed="
                                        + (outcomes.size() - ok));
            } else {
                io.out().println();
                io.out()
                        .println(
                                "batch: "
                                        + outcomes.size()
                                        + " VMs, "
                                        + ok
                                        + " succeeded, "
                                        + (outcomes.size() - ok)
                                        + " failed");
                for (VmOutcome o : outcomes) {
                    io.out()
                            .println(
                                    "  "
                                            + o.status()
                                            + "  "
                                            + safe(o.vm())
                                            + o.error().map(e -> "  (" + safe(e) + ")").orElse(""));
                }
            }
        }
        for (VmOutcome o : outcomes) {
            o.error()
                    .ifPresent(
                            e -> io.err().println("hyperexport: " + safe(o.vm()) + ": " + safe(e)));
        }
        io.out().flush();
        io.err().flush();
        return code;
    }

    private void quiet(VmOutcome o) {
        if (o.dryRun()) {
            io.out()
                    .println(
                            "dry-run: "
                                    + safe(o.vm())
                                    + " -> "
                                    + safe(o.directory())
                                    + " ("
                                    + cmd.export.format.id()
                                    + ", "
                                    + o.description().map(d -> Units.bytes(capacity(d))).orElse("?")
                                    + ")");
            return;
        }
        o.export()
                .ifPresent(
                        e ->
                                io.out()
                                        .println(
                                                "success: "
                                                        + safe(o.vm())
                                                        + " exported to "
                                                        + safe(o.directory())
                                                        + " ("
                                                        + Units.bytes(e.totalBytes())
                                                        + ")"));
        o.pipeline()
                .ifPresent(
                        p -> {
                            if (p.outcome() instanceof ConversionOutcome.Queued q) {
                                io.out()
                                        .println(
                                                "queued: "
                                                        + safe(o.vm())
                                                        + " job "
                                                        + q.jobId()
                                                        + (q.alreadyThere()
                                                                ? " (already in the spool)"
                                                                : "")
                                                        + "; wait with: hyperctl job wait "
                                                        + q.jobId()
                                                        + " --spool DIR");
                            }
                            if (p.succeeded()) {
                                io.out()
                                        .println(
                                                "converted: "
                                                        + safe(o.vm())
                                                        + " mode="
                                                        + mode(p)
                                                        + " "
                                                        + String.join(
                                                                " ",
                                                                p.outputImages().stream()
                                                                        .map(Results::safe)
                                                                        .toList()));
                                p.libvirtDomain()
                                        .ifPresent(
                                                d ->
                                                        io.out()
                                                                .println(
                                                                        "domain: "
                                                                                + safe(o.vm())
                                                                                + " "
                                                                                + safe(d)));
                            }
                        });
    }

    private void text(VmOutcome o) {
        var out = io.out();
        if (o.dryRun()) {
            VmDescription d = o.description().orElseThrow();
            out.println(
                    "dry run: "
                            + safe(o.vm())
                            + " ("
                            + d.cpu()
                            + " vCPU, "
                            + Units.bytes(d.memoryBytes())
                            + ", "
                            + d.disks().size()
                            + " disk(s), "
                            + Units.bytes(capacity(d))
                            + ", firmware "
                            + d.firmware().id()
                            + ")");
            out.println(
                    "  would export to "
                            + safe(o.directory())
                            + " as "
                            + cmd.export.format.id()
                            + (cmd.manifest.manifestChecksum ? " with SHA-256 checksums" : ""));
            if (cmd.pipeline.pipeline) {
                out.println(
                        "  would convert with "
                                + plannedConversion()
                                + " to "
                                + cmd.manifest.target.id());
                if (cmd.libvirt.libvirt) {
                    out.println("  would define a libvirt domain on " + safe(cmd.libvirt.uri));
                }
            }
            out.println("  nothing was written");
            return;
        }
        o.export()
                .ifPresent(
                        e -> {
                            out.println(
                                    "exported "
                                            + safe(o.displayName())
                                            + " to "
                                            + safe(o.directory())
                                            + " ("
                                            + e.files().size()
                                            + (e.files().size() == 1 ? " file, " : " files, ")
                                            + Units.bytes(e.totalBytes())
                                            + ", "
                                            + Units.duration(e.duration())
                                            + ")");
                            o.manifest()
                                    .ifPresent(
                                            m ->
                                                    out.println(
                                                            "  manifest: "
                                                                    + safe(m)
                                                                    + (cmd.manifest.verifyManifest
                                                                            ? " (verified)"
                                                                            : "")));
                        });
        o.pipeline()
                .ifPresent(
                        p -> {
                            out.println(
                                    "conversion: "
                                            + mode(p)
                                            + " mode ("
                                            + safe(p.modeReason())
                                            + "), job "
                                            + p.jobId()
                                            + ", "
                                            + outcome(p)
                                            + " in "
                                            + Units.duration(p.duration()));
                            p.outputImages().forEach(i -> out.println("  image: " + safe(i)));
                            p.libvirtDomain()
                                    .ifPresent(
                                            d ->
                                                    out.println(
                                                            "  libvirt domain: "
                                                                    + safe(d)
                                                                    + " ("
                                                                    + safe(cmd.libvirt.uri)
                                                                    + ")"));
                        });
    }

    private String plannedConversion() {
        if (cmd.pipeline.converter == Converter.QEMU_IMG) {
            return "qemu-img (no guest repair)";
        }
        if (cmd.daemon.daemon) {
            String unit =
                    cmd.daemon
                            .instance()
                            .map(i -> "hyper2kvm@" + i + ".service")
                            .orElse("hyper2kvm.service");
            return "the hyper2kvm daemon "
                    + unit
                    + " when it is active"
                    + (cmd.daemon.requireDaemon ? " (required)" : ", else hyper2kvm directly");
        }
        return "hyper2kvm directly";
    }

    /**
     * Text from outside (names, paths, provider messages) as it may reach a terminal: {@link
     * TerminalText}.
     */
    private static String safe(Object text) {
        return TerminalText.escape(String.valueOf(text));
    }

    private static long capacity(VmDescription d) {
        return d.disks().stream().mapToLong(x -> x.capacityBytes()).sum();
    }

    private static String mode(PipelineResult p) {
        return p.mode().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String outcome(PipelineResult p) {
        String n = p.outcome().getClass().getSimpleName();
        return switch (n) {
            case "Converted" -> "converted";
            case "Failed" -> "failed";
            case "TimedOut" -> "timed out";
            case "Cancelled" -> "cancelled";
            default -> n.toLowerCase(Locale.ROOT);
        };
    }

    String json(List<VmOutcome> outcomes, int code) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", code == 0 ? "success" : "failed");
        root.put("exit_code", code);
        root.put("provider", cmd.source.provider);
        ArrayNode results = root.putArray("results");
        for (VmOutcome o : outcomes) {
            ObjectNode r = results.addObject();
            r.put("vm", o.vm());
            r.put("status", o.status());
            r.put("exit_code", o.exitCode());
            o.error().ifPresentOrElse(e -> r.put("error", e), () -> r.putNull("error"));
            r.put("output_directory", o.directory().toString());
            o.manifest()
                    .ifPresentOrElse(
                            m -> r.put("manifest", m.toString()), () -> r.putNull("manifest"));
            ArrayNode files = r.putArray("exported_files");
            o.export().ifPresent(e -> e.files().forEach(f -> files.add(f.toString())));
            o.export()
                    .ifPresent(
                            e -> {
                                r.put("exported_bytes", e.totalBytes());
                                r.put("export_seconds", e.duration().toMillis() / 1000.0);
                            });
            if (o.dryRun()) {
                r.put("dry_run", true);
            }
            if (o.pipeline().isPresent()) {
                PipelineResult p = o.pipeline().get();
                ObjectNode pn = r.putObject("pipeline");
                pn.put("mode", mode(p));
                pn.put("mode_reason", p.modeReason());
                pn.put("job_id", p.jobId().toString());
                pn.put("outcome", outcome(p));
                pn.put("seconds", p.duration().toMillis() / 1000.0);
                ArrayNode outs = pn.putArray("outputs");
                p.outputImages().forEach(i -> outs.add(i.toString()));
                p.libvirtDomain()
                        .ifPresentOrElse(d -> pn.put("domain", d), () -> pn.putNull("domain"));
                o.settings().ifPresent(ps -> settings(pn.putObject("settings"), ps));
            } else {
                r.putNull("pipeline");
            }
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("total", outcomes.size());
        summary.put("succeeded", outcomes.stream().filter(VmOutcome::succeeded).count());
        summary.put("failed", outcomes.stream().filter(o -> !o.succeeded()).count());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the JSON result", e);
        }
    }

    /** The settings the pipeline ran with (so a caller can see what the flags and answers did). */
    private static void settings(ObjectNode s, PipelineSettings ps) {
        s.put("converter", ps.converter().id());
        s.put("target_format", ps.targetFormat().id());
        s.put("dry_run", ps.dryRun());
        s.put("timeout_seconds", ps.timeout().toSeconds());
        s.put("inspect", ps.inspect());
        s.put("fix", ps.fix());
        s.put("convert", ps.convert());
        s.put("validate", ps.validate());
        s.put("compress", ps.compress());
        if (ps.compressLevel().isPresent()) {
            s.put("compress_level", ps.compressLevel().getAsInt());
        }
        Hyper2KvmSettings h = ps.hyper2kvm();
        ObjectNode d = s.putObject("hyper2kvm");
        d.put("daemon", h.daemon());
        h.instance().ifPresentOrElse(i -> d.put("instance", i), () -> d.putNull("instance"));
        h.watchDir()
                .ifPresentOrElse(
                        p -> d.put("watch_dir", p.toString()), () -> d.putNull("watch_dir"));
        h.outputDir()
                .ifPresentOrElse(
                        p -> d.put("output_dir", p.toString()), () -> d.putNull("output_dir"));
        d.put("poll_interval_seconds", h.pollInterval().toSeconds());
        d.put("daemon_timeout_minutes", h.daemonTimeout().toMinutes());
        h.queueLayout()
                .ifPresentOrElse(
                        l -> d.put("queue_layout", l.id()), () -> d.putNull("queue_layout"));
        d.put("require_daemon", h.requireDaemon());
        d.put("poll_only", h.pollOnly());
        d.put("remote", h.remote());
        d.put("no_wait", h.noWait());
        LibvirtSettings lv = ps.libvirt();
        ObjectNode l = s.putObject("libvirt");
        l.put("enabled", lv.enabled());
        l.put("uri", lv.uri());
        l.put("autostart", lv.autostart());
        lv.bridge().ifPresentOrElse(b -> l.put("bridge", b), () -> l.putNull("bridge"));
        lv.pool().ifPresentOrElse(b -> l.put("pool", b), () -> l.putNull("pool"));
        l.put("redefine", lv.redefine());
    }
}
