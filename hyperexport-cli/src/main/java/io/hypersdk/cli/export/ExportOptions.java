package io.hypersdk.cli.export;

import io.hypersdk.provider.spi.ExportFormat;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
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

    /** Empty: the download engine chooses (auto). */
    OptionalInt connectionsPerFile = OptionalInt.empty();

    @Option(
            names = "--connections-per-file",
            paramLabel = "N|auto",
            defaultValue = "auto",
            order = 12,
            description =
                    "Connections each remote disk is fetched over, 1-16, or auto: one, and up to 8 when the first MiB show one connection is slow (servers that cap each connection) (default: ${DEFAULT-VALUE}).")
    void connectionsPerFile(String value) {
        if (value.equalsIgnoreCase("auto")) {
            this.connectionsPerFile = OptionalInt.empty();
            return;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new picocli.CommandLine.ParameterException(
                    spec == null ? null : spec.commandLine(),
                    "--connections-per-file '" + value + "' is not a number: use 1-16 or auto");
        }
        Ranges.check(spec, "--connections-per-file", n, 1, 16, "");
        this.connectionsPerFile = OptionalInt.of(n);
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
