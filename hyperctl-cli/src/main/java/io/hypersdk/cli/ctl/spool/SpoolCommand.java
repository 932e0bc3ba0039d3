package io.hypersdk.cli.ctl.spool;

import picocli.CommandLine.Command;

/** {@code hyperctl spool}: the conversion host's side of a shared spool. */
@Command(
        name = "spool",
        mixinStandardHelpOptions = true,
        description =
                "The conversion host's side of a spool shared with export hosts: publish its descriptor"
                        + " (.hypersdk-spool.json) and heartbeat.",
        subcommands = {SpoolPublishCommand.class})
public final class SpoolCommand {}
