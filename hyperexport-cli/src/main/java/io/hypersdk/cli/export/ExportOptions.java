package io.hypersdk.cli.export;

import io.hypersdk.provider.spi.ExportFormat;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where and how the VM is exported. */
final class ExportOptions {
    static final int DEFAULT_PARALLEL = 4;
    static final int MAX_PARALLEL = 16;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            order = 10,
            description =
                    "Export directory (created if missing). Default: ./export-<vm>. With --batch, the parent directory: each VM goes to <DIR>/<vm>.")
    Path output;

    @Option(
            names = "--format",
            paramLabel = "ovf|ova",
            defaultValue = "ovf",
            order = 11,
            description =
                    "Export format: ovf (a directory of files) or ova (one tar archive) (default: ${DEFAULT-VALUE}).")
    ExportFormat format = ExportFormat.OVF;

    int parallel = DEFAULT_PARALLEL;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "" + DEFAULT_PARALLEL,
            order = 12,
            description =
                    "Disks downloaded in parallel, 1-"
                            + MAX_PARALLEL
                            + " (default: ${DEFAULT-VALUE}).")
    void parallel(int value) {
        Ranges.check(spec, "--parallel", value, 1, MAX_PARALLEL, "");
        this.parallel = value;
    }

    @Option(
            names = "--dry-run",
            order = 13,
            description =
                    "Print what would be exported and converted, then stop: connects and looks the VM up, writes nothing.")
    boolean dryRun;

    @Option(
            names = "--overwrite",
            order = 14,
            description =
                    "Export into a non-empty output directory that is not a previous export of the same VM (replacing files of the same names), and replace converted images left by a previous run. Without it such a directory is refused; a previous export of the same VM is used again.")
    boolean overwrite;

    Optional<Path> output() {
        return Optional.ofNullable(output);
    }
}
