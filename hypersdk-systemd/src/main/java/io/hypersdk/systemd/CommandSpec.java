package io.hypersdk.systemd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One program invocation: an argument vector (never a shell command line), extra environment,
 * working directory, timeout, capture limit and line listener. Immutable; the {@code with...}
 * methods return copies.
 *
 * <p>{@link #toString()} prints the argument vector and only the <em>names</em> of the extra
 * environment variables, so values passed through the environment never reach a log.
 *
 * @param argv program and arguments; {@code argv.get(0)} is a path or a name looked up on PATH
 * @param environment variables set on top of the runner's environment
 * @param directory working directory; empty = the current one
 * @param timeout kill the process tree after this long; empty = the runner's default
 * @param captureLimit bytes of each stream to keep; empty = the runner's default
 * @param lineListener receives every output line; empty = lines are not split at all
 */
public record CommandSpec(
        List<String> argv,
        Map<String, String> environment,
        Optional<Path> directory,
        Optional<Duration> timeout,
        OptionalInt captureLimit,
        Optional<LineListener> lineListener) {

    public CommandSpec {
        Objects.requireNonNull(argv, "argv");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException(
                    "command argv is empty: give at least the program to run");
        }
        for (String a : argv) {
            if (a == null) {
                throw new IllegalArgumentException(
                        "command argv " + argv + " contains null: remove it");
            }
            if (a.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(
                        "command argument \""
                                + a.replace("\0", "\\0")
                                + "\" contains a NUL byte, which no program can receive: remove it");
            }
        }
        if (argv.get(0).isEmpty()) {
            throw new IllegalArgumentException(
                    "command argv " + argv + " starts with an empty program name");
        }
        argv = List.copyOf(argv);
        Objects.requireNonNull(environment, "environment");
        Map<String, String> env = new LinkedHashMap<>();
        environment.forEach(
                (k, v) -> {
                    if (k == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
                        throw new IllegalArgumentException(
                                "environment variable name \""
                                        + k
                                        + "\" is invalid: use a non-empty name without '=' or NUL");
                    }
                    if (v == null || v.indexOf('\0') >= 0) {
                        throw new IllegalArgumentException(
                                "environment variable "
                                        + k
                                        + " has a null value or a NUL byte: give a plain string");
                    }
                    env.put(k, v);
                });
        environment = java.util.Collections.unmodifiableMap(env);
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(timeout, "timeout");
        timeout.ifPresent(
                t -> {
                    if (t.isNegative() || t.isZero()) {
                        throw new IllegalArgumentException(
                                "command timeout " + t + " must be positive");
                    }
                });
        Objects.requireNonNull(captureLimit, "captureLimit");
        captureLimit.ifPresent(
                c -> {
                    if (c < 0) {
                        throw new IllegalArgumentException(
                                "capture limit " + c + " must be >= 0 bytes");
                    }
                });
        Objects.requireNonNull(lineListener, "lineListener");
    }

    /** A spec for this argument vector with every other setting at the runner's default. */
    public static CommandSpec of(List<String> argv) {
        return new CommandSpec(
                argv,
                Map.of(),
                Optional.empty(),
                Optional.empty(),
                OptionalInt.empty(),
                Optional.empty());
    }

    /** A spec for these arguments with every other setting at the runner's default. */
    public static CommandSpec of(String... argv) {
        return of(Arrays.asList(argv));
    }

    /** Extra environment variables (replacing any given before), applied last. */
    public CommandSpec withEnvironment(Map<String, String> env) {
        return new CommandSpec(argv, env, directory, timeout, captureLimit, lineListener);
    }

    public CommandSpec withDirectory(Path dir) {
        return new CommandSpec(
                argv, environment, Optional.of(dir), timeout, captureLimit, lineListener);
    }

    public CommandSpec withTimeout(Duration t) {
        return new CommandSpec(
                argv, environment, directory, Optional.of(t), captureLimit, lineListener);
    }

    public CommandSpec withCaptureLimit(int bytes) {
        return new CommandSpec(
                argv, environment, directory, timeout, OptionalInt.of(bytes), lineListener);
    }

    public CommandSpec withLineListener(LineListener listener) {
        return new CommandSpec(
                argv,
                environment,
                directory,
                timeout,
                captureLimit,
                Optional.of(Objects.requireNonNull(listener, "listener")));
    }

    /** The program: {@code argv().get(0)}. */
    public String program() {
        return argv.get(0);
    }

    @Override
    public String toString() {
        return "CommandSpec[argv="
                + argv
                + ", environment="
                + environment.keySet()
                + ", directory="
                + directory.map(Path::toString).orElse("(current)")
                + ", timeout="
                + timeout.map(Duration::toString).orElse("(default)")
                + "]";
    }
}
