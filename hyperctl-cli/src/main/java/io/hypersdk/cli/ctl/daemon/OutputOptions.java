package io.hypersdk.cli.ctl.daemon;

import picocli.CommandLine.Option;

/** {@code --json} and {@code --quiet}, shared by every daemon command. */
final class OutputOptions {

    @Option(
            names = {"--json", "-json"},
            description = "Print JSON (stable field names, see the README) instead of a table.")
    boolean json;

    @Option(
            names = {"-q", "--quiet"},
            description =
                    "Print nothing for status and only instance names for list; use the exit code.")
    boolean quiet;

    /** The options given here, or else on the parent command. */
    OutputOptions orElse(OutputOptions parent) {
        OutputOptions merged = new OutputOptions();
        merged.json = json || (parent != null && parent.json);
        merged.quiet = quiet || (parent != null && parent.quiet);
        return merged;
    }

    Format format() {
        if (json) {
            return Format.JSON;
        }
        return quiet ? Format.QUIET : Format.TABLE;
    }

    enum Format {
        TABLE,
        JSON,
        QUIET
    }
}
