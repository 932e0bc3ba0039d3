package io.hypersdk.cli.export;

import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.LibvirtSettings;
import io.hypersdk.core.settings.PipelineSettings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Flags to the core's settings records; a value the records reject becomes a usage error naming the
 * flag ({@link ExitCodeMapper#FLAGS}).
 */
final class Settings {
    private Settings() {}

    static PipelineSettings pipeline(HyperExportCommand cmd, CommandSpec spec) {
        try {
            PipelineOptions p = cmd.pipeline;
            return PipelineSettings.builder()
                    .enabled(p.pipeline)
                    .converter(p.converter)
                    .hyper2kvmPath(p.hyper2kvmPath().map(Path::toAbsolutePath))
                    .timeout(p.timeout)
                    .dryRun(p.dryRun)
                    .inspect(p.inspect)
                    .fix(p.fix)
                    .convert(p.convert)
                    .validate(p.validate)
                    .compress(p.compress)
                    .compressLevel(p.compressLevel())
                    .targetFormat(cmd.manifest.target)
                    .hyper2kvm(hyper2kvm(cmd.daemon))
                    .libvirt(libvirt(cmd.libvirt))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), ExitCodeMapper.oneLine(e));
        }
    }

    static Hyper2KvmSettings hyper2kvm(DaemonOptions d) {
        if (d.noWait && !d.daemon && !d.remote) {
            throw new IllegalArgumentException(
                    "--no-wait needs daemon mode: add --hyper2kvm-daemon (or --hyper2kvm-remote)");
        }
        return Hyper2KvmSettings.builder()
                .daemon(d.daemon || d.remote)
                .remote(d.remote)
                .noWait(d.noWait)
                .requireDaemon(d.requireDaemon || d.noWait)
                .instance(d.instance())
                .watchDir(d.watchDir().map(Path::toAbsolutePath))
                .outputDir(d.outputDir().map(Path::toAbsolutePath))
                .pollInterval(Duration.ofSeconds(d.pollSeconds))
                .daemonTimeout(Duration.ofMinutes(d.timeoutMinutes))
                .queueLayout(d.layout())
                .pollOnly(d.pollOnly)
                .build();
    }

    static LibvirtSettings libvirt(LibvirtOptions l) {
        return LibvirtSettings.builder()
                .enabled(l.libvirt)
                .uri(l.uri)
                .autostart(l.autostart)
                .bridge(l.bridge().orElse(null))
                .pool(l.pool().orElse(null))
                .redefine(l.redefine)
                .build();
    }
}
