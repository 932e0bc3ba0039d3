package io.hypersdk.cli.export;

import io.hypersdk.core.settings.Converter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The conversion after the export: hyper2kvm (direct or daemon) or qemu-img. */
final class PipelineOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--pipeline",
            order = 30,
            description = "Convert the export for KVM after it finished (implies --manifest).")
    boolean pipeline;

    @Option(
            names = "--converter",
            paramLabel = "hyper2kvm|qemu-img",
            defaultValue = "hyper2kvm",
            order = 31,
            description =
                    "hyper2kvm repairs the guest offline and converts it (default); qemu-img only converts the disks, with no guest repair (for guests that already boot on KVM). Never chosen silently.")
    Converter converter = Converter.HYPER2KVM;

    @Option(
            names = "--hyper2kvm-path",
            paramLabel = "FILE",
            order = 32,
            description = "hyper2kvm executable (default: hyper2kvm found on PATH).")
    Path hyper2kvmPath;

    @Option(
            names = "--pipeline-timeout",
            paramLabel = "DURATION",
            defaultValue = "30m",
            order = 33,
            converter = DurationConverter.class,
            description =
                    "Time limit of a direct-mode conversion, e.g. 90s, 30m, 1h30m (default: ${DEFAULT-VALUE}). Daemon mode uses --hyper2kvm-daemon-timeout instead.")
    Duration timeout = Duration.ofMinutes(30);

    @Option(
            names = "--pipeline-dry-run",
            order = 34,
            description =
                    "Run the converter in dry-run mode (hyper2kvm --dry-run; the manifest says dry_run): nothing is converted or defined.")
    boolean dryRun;

    @Option(
            names = "--pipeline-inspect",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            order = 35,
            description = "Inspect the guest (manifest pipeline.inspect.enabled) (default: on).")
    boolean inspect = true;

    @Option(
            names = "--pipeline-fix",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            order = 36,
            description =
                    "Repair the guest offline: fstab, grub, initramfs (manifest pipeline.fix.enabled) (default: on).")
    boolean fix = true;

    @Option(
            names = "--pipeline-convert",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            order = 37,
            description = "Convert the disks (manifest pipeline.convert.enabled) (default: on).")
    boolean convert = true;

    @Option(
            names = "--pipeline-validate",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            order = 38,
            description =
                    "Check the converted images (manifest pipeline.validate.enabled) (default: on).")
    boolean validate = true;

    @Option(
            names = "--pipeline-compress",
            order = 39,
            description = "Compress the qcow2 output (hyper2kvm --compress, qemu-img convert -c).")
    boolean compress;

    Integer compressLevel;

    @Option(
            names = "--compress-level",
            paramLabel = "1-9",
            order = 40,
            description =
                    "Compression level for --pipeline-compress, 1-9 (default: the converter's).")
    void compressLevel(int value) {
        Ranges.check(spec, "--compress-level", value, 1, 9, "");
        this.compressLevel = value;
    }

    @Option(
            names = "--keep-export-files",
            order = 41,
            description =
                    "Keep a copy of every exported disk in the output directory. Without it, --converter qemu-img converts a disk of an uncompressed OVA straight from the archive (no copy written; its digest checked while converting); hyper2kvm, --format ova and --verify-manifest always get copies.")
    boolean keepExportFiles;

    Optional<Path> hyper2kvmPath() {
        return Optional.ofNullable(hyper2kvmPath);
    }

    OptionalInt compressLevel() {
        return compressLevel == null ? OptionalInt.empty() : OptionalInt.of(compressLevel);
    }
}
