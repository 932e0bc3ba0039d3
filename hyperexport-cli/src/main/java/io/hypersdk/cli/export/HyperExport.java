package io.hypersdk.cli.export;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.text.TerminalText;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Entry point of the {@code hyperexport} command. */
public final class HyperExport {
    private HyperExport() {}

    public static void main(String[] args) {
        Cancellation cancellation = Cancellation.create();
        Interrupts.cancelOnSignals(cancellation, System.err);
        int code = Interrupts.exitCode(run(args, Io.system(), cancellation));
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs one invocation with the given streams and environment; returns the exit code. */
    static int run(String[] args, Io io, Cancellation cancellation) {
        HyperExportCommand command = new HyperExportCommand(io, cancellation);
        CommandLine cli = commandLine(command, io, cancellation);
        try {
            OptionsFile.find(args)
                    .ifPresent(
                            path -> {
                                OptionsFile file = OptionsFile.load(path);
                                java.util.List<String> unknown =
                                        file.unknownKeys(cli.getCommandSpec());
                                if (!unknown.isEmpty()) {
                                    throw new OptionsFile.OptionsFileException(
                                            OptionsFile.FLAG
                                                    + " "
                                                    + path
                                                    + ": unknown option '"
                                                    + unknown.get(0)
                                                    + "': use flag names without dashes, as in --help (e.g. 'hyper2kvm-poll-interval: 10')");
                                }
                                cli.setDefaultValueProvider(file);
                                command.optionsFile(file);
                            });
        } catch (OptionsFile.OptionsFileException e) {
            io.err().println("hyperexport: " + TerminalText.escape(String.valueOf(e.getMessage())));
            return ExitCodes.USAGE;
        }
        return cli.execute(args);
    }

    static CommandLine commandLine(HyperExportCommand command, Io io, Cancellation cancellation) {
        CommandLine cli = ChoiceConverter.registerAll(new CommandLine(command));
        // before the settings below, which picocli copies to the subcommands that exist
        cli.addSubcommand("serve", new ServeCommand(io, cancellation));
        cli.setOut(new java.io.PrintWriter(io.out(), true));
        cli.setErr(new java.io.PrintWriter(io.err(), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOverwrittenOptionsAllowed(false);
        cli.setExitCodeExceptionMapper(ExitCodeMapper::codeFor);
        cli.setParameterExceptionHandler(HyperExport::usageError);
        cli.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    commandLine
                            .getErr()
                            .println(
                                    "hyperexport: "
                                            + TerminalText.escape(ExitCodeMapper.oneLine(ex)));
                    commandLine.getErr().flush();
                    return ExitCodeMapper.codeFor(ex);
                });
        return cli;
    }

    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cli = ex.getCommandLine();
        String message =
                ex.getMessage() == null
                        ? "bad usage"
                        : ex.getMessage().lines().findFirst().orElse("");
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
            java.util.List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message =
                        message
                                + "; did you mean "
                                + String.join(
                                        " or ",
                                        suggestions.subList(0, Math.min(3, suggestions.size())))
                                + "?";
            }
        }
        cli.getErr()
                .println(
                        "hyperexport: "
                                + TerminalText.escape(message)
                                + " (see hyperexport --help)");
        cli.getErr().flush();
        return ExitCodes.USAGE;
    }
}
