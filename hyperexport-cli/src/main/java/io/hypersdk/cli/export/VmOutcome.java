package io.hypersdk.cli.export;

import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.pipeline.PipelineResult;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.VmDescription;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What happened to one VM: the export (if it ran), the pipeline (if it ran), and the exit code this
 * VM alone would give.
 */
record VmOutcome(
        String vm,
        Path directory,
        int exitCode,
        Optional<String> error,
        Optional<ExportResult> export,
        Optional<Path> manifest,
        Optional<PipelineResult> pipeline,
        boolean dryRun,
        Optional<VmDescription> description,
        Optional<PipelineSettings> settings) {

    /** The VM's name as the provider knows it, with what the user typed when that differs. */
    String displayName() {
        return description
                .map(VmDescription::name)
                .filter(n -> !n.equals(vm))
                .map(n -> n + " (" + vm + ")")
                .orElse(vm);
    }

    boolean succeeded() {
        return exitCode == ExitCodes.SUCCESS;
    }

    String status() {
        return switch (exitCode) {
            case ExitCodes.SUCCESS -> dryRun ? "dry-run" : "success";
            case ExitCodes.USAGE -> "usage-error";
            case ExitCodes.EXPORT_FAILED -> "export-failed";
            case ExitCodes.CONVERSION_FAILED -> "conversion-failed";
            case ExitCodes.TIMEOUT -> "timeout";
            case ExitCodes.CANCELLED -> "cancelled";
            default -> "error";
        };
    }
}
