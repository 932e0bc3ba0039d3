package io.hypersdk.cli.ctl.jobs;

import io.hypersdk.cli.ctl.JsonOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --server}, {@code --token-file}, {@code --timeout} and {@link JsonOption --json}, on every
 * jobs command.
 */
final class ServerOptions {
    @Option(
            names = "--server",
            paramLabel = "URL",
            defaultValue = "${env:HYPERSDK_SERVER:-http://127.0.0.1:8080}",
            description =
                    "The job server (hyperexport serve, hypersdk-server.service); default $HYPERSDK_SERVER, else ${DEFAULT-VALUE}.")
    String server;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description =
                    "File holding the server's bearer token (the same token as the server's --token-file).")
    Path tokenFile;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "How long to wait for the server (1-600, default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Mixin JsonOption output;

    JobsClient client(CommandSpec spec) {
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--timeout " + timeoutSeconds + " must be between 1 and 600 seconds");
        }
        if (!server.matches("(?i)https?://[^/\\s]+/?")) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--server "
                            + server
                            + ": use http://HOST:PORT or https://HOST:PORT, e.g. http://127.0.0.1:8080");
        }
        return new JobsClient(server, token(spec), Duration.ofSeconds(timeoutSeconds));
    }

    private Optional<String> token(CommandSpec spec) {
        if (tokenFile == null) {
            return Optional.empty();
        }
        try {
            String t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            if (t.isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--token-file " + tokenFile + " is empty: put the server's token in it");
            }
            return Optional.of(t);
        } catch (IOException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--token-file " + tokenFile + " cannot be read (" + e.getMessage() + ")");
        }
    }
}
