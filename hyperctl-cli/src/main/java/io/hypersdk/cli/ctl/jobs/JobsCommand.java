package io.hypersdk.cli.ctl.jobs;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hyperctl jobs}: the job server's jobs; each operation is a subcommand. */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = {
            "List, show, submit and cancel the jobs of a hypersdk job server (hyperexport serve,"
                    + " hypersdk-server.service) through its HTTP API.",
            "",
            "  hyperctl jobs list",
            "  hyperctl jobs show ID",
            "  hyperctl jobs submit FILE      (the job JSON or YAML of the web API)",
            "  hyperctl jobs cancel ID...",
            ""
        },
        subcommands = {
            JobsListCommand.class,
            JobsShowCommand.class,
            JobsSubmitCommand.class,
            JobsCancelCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:the server refused or failed the request (a job not cancelled, a wrong token)",
            "2:bad command line or job file (the server's validation errors are printed)",
            "4:the asked-for job does not exist",
            "7:no server answered at --server"
        })
public final class JobsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(), "give an operation: list, show ID, submit FILE or cancel ID");
    }
}
