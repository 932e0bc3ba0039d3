package io.hypersdk.cli.ctl.job;

import picocli.CommandLine.Command;

/** {@code hyperctl job}: one spool job, found by its id. */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description = {
            "One job in a hyper2kvm daemon's spool, found by its id (the id hyperexport prints with"
                    + " --no-wait, or in its 'submitting job' line). The spool may be remote: its"
                    + " descriptor (.hypersdk-spool.json) names the layout and the output directory.",
            "  hyperctl job status ID --spool DIR",
            "  hyperctl job wait ID --spool DIR [--timeout MINUTES]",
            ""
        },
        subcommands = {JobStatusCommand.class, JobWaitCommand.class},
        exitCodeListHeading = "%nExit codes (the same as hyperexport's):%n",
        exitCodeList = {
            JobExitCodes.L_CONVERTED,
            JobExitCodes.L_INTERNAL,
            JobExitCodes.L_USAGE,
            JobExitCodes.L_PENDING,
            JobExitCodes.L_FAILED,
            JobExitCodes.L_TIMEOUT,
            JobExitCodes.L_CANCELLED
        })
public final class JobCommand {}
