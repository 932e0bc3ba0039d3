package io.hypersdk.cli.ctl;

import io.hypersdk.cli.ctl.daemon.DaemonCommand;
import io.hypersdk.cli.ctl.jobs.JobsCommand;
import io.hypersdk.core.CliStartup;
import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hyperctl} top command; each subcommand is its own class. */
@Command(
        name = "hyperctl",
        mixinStandardHelpOptions = true,
        versionProvider = Hyperctl.Version.class,
        description =
                "Show and inspect the hyper2kvm daemons of this host, and the jobs of a hypersdk job server.",
        subcommands = {
            DaemonCommand.class,
            io.hypersdk.cli.ctl.job.JobCommand.class,
            io.hypersdk.cli.ctl.spool.SpoolCommand.class,
            JobsCommand.class,
            CommandLine.HelpCommand.class,
            AutoComplete.GenerateCompletion.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every asked-for instance is active",
            "1:unexpected failure (systemctl timed out or gave an unreadable answer; jobs: the server refused)",
            "2:bad command line (unknown option or operation, invalid instance name)",
            "3:some asked-for instance is not active, or none exists",
            "4:the asked-for instance is not installed, enabled or running (jobs: no such job)",
            "5:this host was not booted with systemd",
            "6:systemctl was not found or could not be run",
            "7:jobs: no hypersdk job server answered at --server"
        })
public final class Hyperctl {

    /** Runs hyperctl and exits the JVM with its exit code. */
    public static void main(String[] args) {
        CliStartup.setProperties();
        // systemctl answers while picocli builds the command line (issue 15, daemon list)
        DaemonCommand.startEarly(args);
        int code;
        try {
            code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        } finally {
            DaemonCommand.discardEarlyStart();
        }
        System.exit(code);
    }

    /**
     * Runs hyperctl with the given output streams and returns the exit code (never exits the JVM).
     *
     * @param out standard output, never null
     * @param err standard error, never null
     * @param args the command line, never null
     * @return one of {@link ExitCodes}
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The configured command line: one place maps exceptions to exit codes and messages. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Hyperctl());
        // the original tool's form "daemon -op status": a subcommand name as an option's value
        cli.setAllowSubcommandsAsOptionParameters(true);
        ErrorMapping errors = new ErrorMapping();
        cli.setExitCodeExceptionMapper(errors);
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Hyperctl.class.getPackage().getImplementationVersion();
            return new String[] {"hyperctl " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
