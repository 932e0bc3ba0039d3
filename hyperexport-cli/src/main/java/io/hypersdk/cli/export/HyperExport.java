package io.hypersdk.cli.export;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CliStartup;
import io.hypersdk.core.text.TerminalText;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Entry point of the {@code hyperexport} command. */
public final class HyperExport {
    private HyperExport() {}

    /**
     * The logger of Apache HttpClient, which the transfer engine uses: at DEBUG it prints request
     * lines (pre-signed URLs, SAS signatures) and headers (bearer tokens). Secrets never reach a
     * log, so it stays at WARN even when a user turns debug logging on.
     */
    static final String HTTP_CLIENT_LOG = "org.slf4j.simpleLogger.log.org.apache.hc";

    public static void main(String[] args) {
        System.setProperty(HTTP_CLIENT_LOG, "warn"); // before any logger exists
        CliStartup.setProperties();
        if (VersionProvider.answerAlone(args, System.out)) {
            System.exit(ExitCodes.SUCCESS);
        }
        startWarmUp();
        Cancellation cancellation = Cancellation.create();
        Interrupts.cancelOnSignals(cancellation, System.err);
        int code = Interrupts.exitCode(run(args, Io.system(), cancellation));
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Initializes, on a second thread while picocli reads the command line on this one, what every
     * export needs next and what costs most to set up the first time: Jackson (whose date format
     * loads the JDK's CLDR locale data), the SHA-256 provider and the JDK's StAX parser. Only a
     * head start (~0.08 s of a local export's start-up, issue 15): the run does the same itself,
     * and reports any failure then; nothing here touches this project's classes.
     */
    private static void startWarmUp() {
        Thread t =
                new Thread(
                        () -> {
                            try {
                                new com.fasterxml.jackson.databind.ObjectMapper();
                                java.security.MessageDigest.getInstance("SHA-256");
                                javax.xml.stream.XMLInputFactory.newDefaultFactory();
                            } catch (java.security.NoSuchAlgorithmException
                                    | RuntimeException
                                    | LinkageError e) {
                                // the run meets it again, and says so
                            }
                        },
                        "hyperexport-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Runs one invocation with the given streams and environment; returns the exit code. */
    static int run(String[] args, Io io, Cancellation cancellation) {
        if (VersionProvider.answerAlone(args, io.out())) {
            return ExitCodes.SUCCESS;
        }
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
                                    String key = unknown.get(0);
                                    throw new OptionsFile.OptionsFileException(
                                            OptionsFile.FLAG
                                                    + " "
                                                    + path
                                                    + ": unknown option '"
                                                    + key
                                                    + "'"
                                                    + didYouMean(cli, key)
                                                    + ": use flag names without dashes, as in --help (e.g. 'hyper2kvm-poll-interval: 10')");
                                }
                                cli.setDefaultValueProvider(file);
                                command.optionsFile(file);
                            });
        } catch (OptionsFile.OptionsFileException e) {
            io.err().println("hyperexport: " + TerminalText.escape(String.valueOf(e.getMessage())));
            if (java.util.Arrays.asList(args).contains("--json")) {
                io.out().println(usageErrorJson(e.getMessage()));
            }
            return ExitCodes.USAGE;
        }
        return cli.execute(args);
    }

    static CommandLine commandLine(HyperExportCommand command, Io io, Cancellation cancellation) {
        // serve is declared on HyperExportCommand; this run's instance gets this run's io
        CommandLine.IFactory factory =
                new CommandLine.IFactory() {
                    @Override
                    public <K> K create(Class<K> cls) throws Exception {
                        return cls == ServeCommand.class
                                ? cls.cast(new ServeCommand(io, cancellation))
                                : CommandLine.defaultFactory().create(cls);
                    }
                };
        CommandLine cli = ChoiceConverter.registerAll(new CommandLine(command, factory));
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
        boolean json =
                java.util.Arrays.asList(args).contains("--json")
                        || (cli.getCommand() instanceof HyperExportCommand c && c.output.json);
        if (json) {
            cli.getOut().println(usageErrorJson(message));
            cli.getOut().flush();
        }
        return ExitCodes.USAGE;
    }

    /** The {@code --json} document for a usage error: the same fields as a run's, no results. */
    static String usageErrorJson(String message) {
        com.fasterxml.jackson.databind.node.ObjectNode root =
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        root.put("status", "usage_error");
        root.put("exit_code", ExitCodes.USAGE);
        root.put("error", message);
        root.putArray("results");
        return root.toPrettyString();
    }

    /**
     * " (did you mean 'x'?)" for an options-file key: the known keys at the smallest edit distance
     * (at most 3); else "".
     */
    private static String didYouMean(CommandLine cli, String key) {
        java.util.Map<Integer, java.util.List<String>> byDistance = new java.util.TreeMap<>();
        cli.getCommandSpec().options().stream()
                .flatMap(o -> java.util.Arrays.stream(o.names()))
                .filter(n -> n.startsWith("--"))
                .map(n -> n.substring(2))
                .distinct()
                .forEach(
                        n ->
                                byDistance
                                        .computeIfAbsent(
                                                editDistance(key, n),
                                                d -> new java.util.ArrayList<>())
                                        .add(n));
        return byDistance.entrySet().stream()
                .filter(e -> e.getKey() <= 3)
                .findFirst()
                .map(
                        e ->
                                " (did you mean '"
                                        + String.join(
                                                "' or '",
                                                e.getValue()
                                                        .subList(
                                                                0,
                                                                Math.min(3, e.getValue().size())))
                                        + "'?)")
                .orElse("");
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
