package io.hypersdk.cli.ctl.job;

import io.hypersdk.cli.ctl.JsonOption;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The job id, {@code --spool DIR} and {@link JsonOption --json}, shared by {@code job status} and
 * {@code wait}.
 */
final class SpoolOption {
    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Option(
            names = "--spool",
            required = true,
            paramLabel = "DIR",
            description =
                    "The daemon's spool (watch) directory as this host sees it, e.g. an NFS or sshfs mount.")
    Path spool;

    @Mixin JsonOption output;
}
