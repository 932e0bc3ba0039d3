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
        CommandLine cli = commandLine(args);
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The configured command line for these arguments: one place maps exceptions to exit codes and
     * messages.
     *
     * <p>When the first argument names a subcommand ({@code hyperctl daemon ...}), the root holds
     * that subcommand alone: picocli builds every subcommand's model by reflection up front, and
     * the three others cost {@code hyperctl daemon -op list} about 0.13 s of its ~0.45 s (issue
     * 15). The root is then {@link Lean}: this class's name, standard options, version and
     * description, without the subcommand list and the exit codes, which only the root's own usage
     * prints, and that usage is then never asked for. LeanRootTest checks that each subcommand
     * answers alike under both roots. Any other command line gets the whole tree.
     */
    static CommandLine commandLine(String... args) {
        Class<?> sub = args.length == 0 ? null : subcommandNamed(args[0]);
        CommandLine cli;
        if (sub == null) {
            cli = new CommandLine(new Hyperctl());
        } else {
            cli = new CommandLine(new Lean());
            cli.addSubcommand(new CommandLine(sub));
        }
        // the original tool's form "daemon -op status": a subcommand name as an option's value
        cli.setAllowSubcommandsAsOptionParameters(true);
        ErrorMapping errors = new ErrorMapping();
        cli.setExitCodeExceptionMapper(errors);
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }

    /** The whole tree, as the generators of the man page and the completion script read it. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /** The class of the subcommand (not help or completion) with this name or alias, or null. */
    private static Class<?> subcommandNamed(String name) {
        for (Class<?> c : Hyperctl.class.getAnnotation(Command.class).subcommands()) {
            Command sub = c.getAnnotation(Command.class);
            if (c.getName().startsWith("io.hypersdk.")
                    && (sub.name().equals(name)
                            || java.util.Arrays.asList(sub.aliases()).contains(name))) {
                return c;
            }
        }
        return null;
    }

    /** The root of {@link #commandLine(String...)} when it holds one subcommand. */
    @Command(
            name = "hyperctl",
            mixinStandardHelpOptions = true,
            versionProvider = Hyperctl.Version.class,
            description =
                    "Show and inspect the hyper2kvm daemons of this host, and the jobs of a hypersdk job server.")
    static final class Lean {}

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Hyperctl.class.getPackage().getImplementationVersion();
            return new String[] {"hyperctl " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
