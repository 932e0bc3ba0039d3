package io.hypersdk.cli.ctl;

import io.hypersdk.cli.ctl.daemon.UnknownInstanceException;
import io.hypersdk.cli.ctl.jobs.JobNotFoundException;
import io.hypersdk.cli.ctl.jobs.ServerRefusedException;
import io.hypersdk.cli.ctl.jobs.ServerUnreachableException;
import io.hypersdk.core.text.TerminalText;
import io.hypersdk.systemd.CommandStartException;
import io.hypersdk.systemd.SystemctlNotFoundException;
import io.hypersdk.systemd.SystemdUnavailableException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** The one place that turns exceptions into a one-line message on stderr and an exit code. */
final class ErrorMapping
        implements IExitCodeExceptionMapper,
                IExecutionExceptionHandler,
                IParameterExceptionHandler {

    @Override
    public int getExitCode(Throwable t) {
        if (t instanceof ParameterException || t instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        if (t instanceof UnknownInstanceException || t instanceof JobNotFoundException) {
            return ExitCodes.UNKNOWN_INSTANCE;
        }
        if (t instanceof ServerUnreachableException) {
            return ExitCodes.NO_SERVER;
        }
        if (t instanceof ServerRefusedException r && r.status() == 400) {
            return ExitCodes.USAGE;
        }
        if (t instanceof SystemdUnavailableException) {
            return ExitCodes.NO_SYSTEMD;
        }
        if (t instanceof SystemctlNotFoundException || cannotStart(t)) {
            return ExitCodes.NO_SYSTEMCTL;
        }
        return ExitCodes.FAILURE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        cmd.getErr().println("hyperctl: " + TerminalText.escape(message(e)));
        cmd.getErr().flush();
        return getExitCode(e);
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = TerminalText.escape(firstLine(String.valueOf(e.getMessage())));
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            java.util.List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message +=
                        "; did you mean "
                                + String.join(
                                        " or ",
                                        suggestions.subList(0, Math.min(3, suggestions.size())))
                                + "?";
            }
        }
        err.println("hyperctl: " + message);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the usage.");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static String message(Exception e) {
        if (e instanceof SystemdUnavailableException) {
            return "this host was not booted with systemd (PID 1 is not systemd), so no hyper2kvm daemon"
                    + " can run or be asked here; run hyperctl on the host that runs the daemons, or point"
                    + " --systemctl / HYPERCTL_SYSTEMCTL at a systemctl that reaches one ("
                    + firstLine(e.getMessage())
                    + ")";
        }
        if (e instanceof SystemctlNotFoundException || cannotStart(e)) {
            return firstLine(e.getMessage())
                    + "; install systemd or give its path with --systemctl PATH"
                    + " (or HYPERCTL_SYSTEMCTL)";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : firstLine(m);
    }

    /** systemctl exists but could not be started (not executable, a directory, ...). */
    private static boolean cannotStart(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CommandStartException) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
