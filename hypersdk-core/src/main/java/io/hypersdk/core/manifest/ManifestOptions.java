package io.hypersdk.core.manifest;

import java.util.Objects;
import java.util.Optional;

/**
 * Converter run options ({@code options}). {@code dry_run} and {@code verbose} are always written
 * (upstream dropped {@code verbose: 0}, which readers then took as 1).
 *
 * @param dryRun plan only ({@code dry_run})
 * @param verbose 0 quiet, 1 normal, 2 verbose, 3 debug ({@code verbose}; 1 when omitted)
 * @param report the report settings ({@code report})
 */
public record ManifestOptions(boolean dryRun, int verbose, Optional<Report> report) {
    /** Checks for nulls. */
    public ManifestOptions {
        Objects.requireNonNull(report, "report");
    }

    /**
     * The defaults of upstream's options helper: no dry run, verbose 1, report enabled at {@code
     * report.json}.
     *
     * @return the options
     */
    public static ManifestOptions defaults() {
        return new ManifestOptions(
                false, 1, Optional.of(new Report(true, Optional.of("report.json"))));
    }

    /**
     * The conversion report ({@code options.report}).
     *
     * @param enabled write a report ({@code enabled}, always written)
     * @param path report path relative to the output directory ({@code path})
     */
    public record Report(boolean enabled, Optional<String> path) {
        /** Checks for nulls. */
        public Report {
            Objects.requireNonNull(path, "path");
        }
    }
}
