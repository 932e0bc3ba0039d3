package io.hypersdk.cli.export;

import io.hypersdk.core.settings.Converter;
import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.LibvirtSettings;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.settings.TargetFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Flags to the core's settings records; a value the records reject becomes a usage error naming the flag. */
final class Settings {
  /** Seed option names used in the core's messages, and the flags that set them. */
  private static final Map<String, String> FLAG_FOR =
      Map.ofEntries(
          Map.entry("Hyper2KVMInstance", "--hyper2kvm-instance"),
          Map.entry("Hyper2KVMWatchDir", "--hyper2kvm-watch-dir"),
          Map.entry("Hyper2KVMOutputDir", "--hyper2kvm-output-dir"),
          Map.entry("Hyper2KVMPollInterval", "--hyper2kvm-poll-interval"),
          Map.entry("Hyper2KVMDaemonTimeout", "--hyper2kvm-daemon-timeout"),
          Map.entry("LibvirtURI", "--libvirt-uri"),
          Map.entry("LibvirtBridge", "--libvirt-bridge"),
          Map.entry("LibvirtPool", "--libvirt-pool"),
          Map.entry("PipelineTimeout", "--pipeline-timeout"),
          Map.entry("CompressLevel", "--compress-level"),
          Map.entry("set libvirt redefine", "pass --libvirt-redefine"),
          Map.entry("unset the libvirt pool", "drop --libvirt-pool"),
          Map.entry("set hyper2kvm_path", "pass --hyper2kvm-path"),
          Map.entry("point hyper2kvm_path at", "pass --hyper2kvm-path with"),
          Map.entry("no hyper2kvm_path configured", "no --hyper2kvm-path given"),
          Map.entry("configured hyper2kvm_path", "--hyper2kvm-path"),
          Map.entry("choose converter qemu-img", "pass --converter qemu-img"),
          Map.entry("Hyper2KVMQueueLayout", "--hyper2kvm-queue-layout"),
          Map.entry("in the provider configuration", "with --provider-option"),
          Map.entry("install hyper2kvm or", "install hyper2kvm (https://github.com/ssahani/hyper2kvm; it needs"
              + " python3-guestfs, python3-hivex, python3-rich, python3-yaml and qemu-utils) or"),
          Map.entry("require-daemon", "--require-daemon"));

  private Settings() {}

  static PipelineSettings pipeline(HyperExportCommand cmd, CommandSpec spec) {
    try {
      PipelineOptions p = cmd.pipeline;
      return PipelineSettings.builder()
          .enabled(p.pipeline)
          .converter(p.converter == PipelineOptions.ConverterChoice.QEMU_IMG ? Converter.QEMU_IMG : Converter.HYPER2KVM)
          .hyper2kvmPath(p.hyper2kvmPath().map(Path::toAbsolutePath))
          .timeout(p.timeout)
          .dryRun(p.dryRun)
          .inspect(p.inspect)
          .fix(p.fix)
          .convert(p.convert)
          .validate(p.validate)
          .compress(p.compress)
          .compressLevel(p.compressLevel())
          .targetFormat(TargetFormat.parse(cmd.manifest.target.id()))
          .hyper2kvm(hyper2kvm(cmd.daemon))
          .libvirt(libvirt(cmd.libvirt))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), withFlagNames(e.getMessage()));
    }
  }

  static Hyper2KvmSettings hyper2kvm(DaemonOptions d) {
    return Hyper2KvmSettings.builder()
        .daemon(d.daemon)
        .instance(d.instance())
        .watchDir(d.watchDir().map(Path::toAbsolutePath))
        .outputDir(d.outputDir().map(Path::toAbsolutePath))
        .pollInterval(Duration.ofSeconds(d.pollSeconds))
        .daemonTimeout(Duration.ofMinutes(d.timeoutMinutes))
        .queueLayout(d.layout().map(l -> QueueLayout.parse(l.id())))
        .requireDaemon(d.requireDaemon)
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

  static String withFlagNames(String message) {
    String m = message == null ? "invalid setting" : message;
    for (Map.Entry<String, String> e : FLAG_FOR.entrySet()) {
      m = m.replace(e.getKey(), e.getValue());
    }
    return m;
  }

  static Optional<String> flagFor(String seedName) {
    return Optional.ofNullable(FLAG_FOR.get(seedName));
  }
}
