package io.hypersdk.core.job;

import io.hypersdk.core.manifest.Violation;
import io.hypersdk.core.settings.Converter;
import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.LibvirtSettings;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.spool.InstanceName;
import io.hypersdk.core.spool.InvalidInstanceNameException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Checks job options and maps them onto {@link PipelineSettings}. */
final class JobSettingsMapping {
    private JobSettingsMapping() {}

    static void validate(JobOptions o, String prefix, List<Violation> out) {
        range(o.parallelDownloads(), 1, 16, prefix + "parallel_downloads", out);
        range(o.compressLevel(), 1, 9, prefix + "compress_level", out);
        range(
                o.hyper2kvmPollInterval(),
                1,
                60,
                prefix + "hyper2kvm_poll_interval",
                out,
                " seconds");
        range(
                o.hyper2kvmDaemonTimeout(),
                1,
                240,
                prefix + "hyper2kvm_daemon_timeout",
                out,
                " minutes");
        o.hyper2kvmInstance()
                .filter(s -> !s.isEmpty())
                .filter(i -> !InstanceName.isValid(i))
                .ifPresent(
                        i ->
                                out.add(
                                        new Violation(
                                                prefix + "hyper2kvm_instance",
                                                new InvalidInstanceNameException(i).getMessage())));
        absolutePath(o.hyper2kvmWatchDir(), prefix + "hyper2kvm_watch_dir", out);
        absolutePath(o.hyper2kvmOutputDir(), prefix + "hyper2kvm_output_dir", out);
        o.hyper2kvmPath()
                .filter(s -> !s.isEmpty())
                .ifPresent(
                        p -> {
                            try {
                                Path.of(p);
                            } catch (InvalidPathException e) {
                                out.add(
                                        new Violation(
                                                prefix + "hyper2kvm_path",
                                                "\"" + p + "\" is not a valid path"));
                            }
                        });
        o.hyper2kvmQueueLayout()
                .filter(s -> !s.isEmpty())
                .ifPresent(
                        l -> {
                            try {
                                QueueLayout.parse(l);
                            } catch (IllegalArgumentException e) {
                                out.add(
                                        new Violation(
                                                prefix + "hyper2kvm_queue_layout", e.getMessage()));
                            }
                        });
        o.converter()
                .filter(s -> !s.isEmpty())
                .ifPresent(
                        c -> {
                            try {
                                Converter.parse(c);
                            } catch (IllegalArgumentException e) {
                                out.add(new Violation(prefix + "converter", e.getMessage()));
                            }
                        });
        o.libvirtUri()
                .filter(s -> !s.isEmpty())
                .ifPresent(
                        u -> {
                            if (!u.contains(":")) {
                                out.add(
                                        new Violation(
                                                prefix + "libvirt_uri",
                                                "\""
                                                        + u
                                                        + "\" is not a libvirt URI (e.g. qemu:///system)"));
                            }
                        });
    }

    static PipelineSettings apply(JobOptions o, PipelineSettings base) {
        PipelineSettings.Builder p = base.toBuilder();
        o.enablePipeline().ifPresent(p::enabled);
        o.hyper2kvmPath().filter(s -> !s.isEmpty()).ifPresent(s -> p.hyper2kvmPath(Path.of(s)));
        o.pipelineInspect().ifPresent(p::inspect);
        o.pipelineFix().ifPresent(p::fix);
        o.pipelineConvert().ifPresent(p::convert);
        o.pipelineValidate().ifPresent(p::validate);
        o.pipelineCompress().ifPresent(p::compress);
        o.compressLevel().ifPresent(p::compressLevel);
        o.converter().filter(s -> !s.isEmpty()).ifPresent(s -> p.converter(Converter.parse(s)));

        Hyper2KvmSettings.Builder h = base.hyper2kvm().toBuilder();
        o.hyper2kvmDaemon().ifPresent(h::daemon);
        o.hyper2kvmInstance().ifPresent(h::instance);
        o.hyper2kvmWatchDir().filter(s -> !s.isEmpty()).ifPresent(s -> h.watchDir(Path.of(s)));
        o.hyper2kvmOutputDir().filter(s -> !s.isEmpty()).ifPresent(s -> h.outputDir(Path.of(s)));
        o.hyper2kvmPollInterval().ifPresent(s -> h.pollInterval(Duration.ofSeconds(s)));
        o.hyper2kvmDaemonTimeout().ifPresent(m -> h.daemonTimeout(Duration.ofMinutes(m)));
        o.hyper2kvmQueueLayout()
                .filter(s -> !s.isEmpty())
                .ifPresent(s -> h.queueLayout(QueueLayout.parse(s)));
        o.hyper2kvmRequireDaemon().ifPresent(h::requireDaemon);
        p.hyper2kvm(h.build());

        LibvirtSettings.Builder l = base.libvirt().toBuilder();
        o.libvirtIntegration().ifPresent(l::enabled);
        o.libvirtUri().filter(s -> !s.isEmpty()).ifPresent(l::uri);
        o.libvirtAutostart().ifPresent(l::autostart);
        o.libvirtBridge().ifPresent(l::bridge);
        o.libvirtPool().ifPresent(l::pool);
        p.libvirt(l.build());
        return p.build();
    }

    private static void range(
            Optional<Integer> v, int min, int max, String path, List<Violation> out) {
        range(v, min, max, path, out, "");
    }

    private static void range(
            Optional<Integer> v, int min, int max, String path, List<Violation> out, String unit) {
        v.ifPresent(
                x -> {
                    if (x < min || x > max) {
                        out.add(
                                new Violation(
                                        path,
                                        "must be between "
                                                + min
                                                + " and "
                                                + max
                                                + unit
                                                + " (got: "
                                                + x
                                                + ")"));
                    }
                });
    }

    private static void absolutePath(Optional<String> v, String path, List<Violation> out) {
        v.filter(s -> !s.isEmpty())
                .ifPresent(
                        s -> {
                            boolean ok;
                            try {
                                ok = Path.of(s).isAbsolute();
                            } catch (InvalidPathException e) {
                                ok = false;
                            }
                            if (!ok) {
                                out.add(
                                        new Violation(
                                                path, "\"" + s + "\" must be an absolute path"));
                            }
                        });
    }
}
