package io.hypersdk.cli.export;

import picocli.CommandLine.Option;

/** How results and progress are shown. */
final class OutputOptions {
    @Option(
            names = {"-q", "--quiet"},
            order = 80,
            description =
                    "No progress; script-friendly result lines only: 'success: <vm> exported to <dir> (<size>)', 'converted: <vm> mode=<mode> <image>...', 'domain: <vm> <name>', 'batch-summary: total=N success=N failed=N'; errors go to stderr.")
    boolean quiet;

    @Option(
            names = "--json",
            order = 81,
            description =
                    "Print one JSON document with the result on stdout (exported files, manifest path, pipeline mode and reason, output images, libvirt domain); progress, if any, goes to stderr.")
    boolean json;
}
