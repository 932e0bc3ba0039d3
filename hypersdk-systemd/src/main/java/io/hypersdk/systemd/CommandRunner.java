package io.hypersdk.systemd;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs programs from an argument vector, never through a shell.
 *
 * <p>Every child gets an explicit environment: the allowlisted variables of this process ({@code
 * PATH}, {@code HOME}, {@code LANG}, {@code LC_*}, {@code TZ}, {@code TMPDIR}, {@code
 * LIBGUESTFS_*}, {@code LIBVIRT_*}), then {@code LC_ALL=C} and {@code TZ=UTC}, then the builder's
 * and the spec's variables. Nothing else is inherited, and a variable named like a credential
 * ({@code GOVC_PASSWORD}, {@code AWS_SECRET_ACCESS_KEY}, {@code *_TOKEN}, {@code *PASSWORD*} ...)
 * is never passed, not even when a caller adds it.
 *
 * <p>Every child gets {@code LC_ALL=C} and {@code TZ=UTC} (a {@link CommandSpec} may override
 * them), stdin from {@code /dev/null}, both output streams drained by reader threads (so a child
 * can never block on a full pipe, whatever it prints), at most {@link Builder#captureLimit(int)}
 * bytes of each stream kept, and every line passed to the spec's {@link LineListener}. A timeout or
 * {@link RunningCommand#cancel()} kills the whole process tree: SIGTERM to the process and all its
 * descendants, then SIGKILL to whatever is left after the {@link Builder#killGrace(Duration) grace
 * period}.
 *
 * <pre>{@code
 * CommandRunner runner = CommandRunner.builder().build();
 * CommandResult r = runner.run(CommandSpec.of("qemu-img", "info", "--output=json", "-f", "vmdk", disk)
 *         .withTimeout(Duration.ofMinutes(1)));
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    static final File DEV_NULL = new File("/dev/null");

    private final boolean inheritEnvironment;
    private final Map<String, String> environment;
    private final Optional<Duration> defaultTimeout;
    private final int captureLimit;
    private final int maxLineBytes;
    private final Duration killGrace;
    private final Duration drainTimeout;

    private CommandRunner(Builder b) {
        this.inheritEnvironment = b.inheritEnvironment;
        this.environment =
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.defaultTimeout = b.defaultTimeout;
        this.captureLimit = b.captureLimit;
        this.maxLineBytes = b.maxLineBytes;
        this.killGrace = b.killGrace;
        this.drainTimeout = b.drainTimeout;
    }

    /** A runner with every default. */
    public static CommandRunner create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the command to completion (or timeout).
     *
     * @throws CommandNotFoundException when the program does not exist
     * @throws CommandStartException when it exists but cannot be started (not executable, bad
     *     directory)
     */
    public CommandResult run(CommandSpec spec) {
        return start(spec).await();
    }

    /**
     * Starts the command and returns at once.
     *
     * @throws CommandNotFoundException when the program does not exist
     * @throws CommandStartException when it exists but cannot be started (not executable, bad
     *     directory)
     */
    public RunningCommand start(CommandSpec spec) {
        Objects.requireNonNull(spec, "spec");
        ProcessBuilder pb = new ProcessBuilder(spec.argv());
        Map<String, String> env = pb.environment();
        Map<String, String> own = Map.copyOf(env);
        env.clear();
        env.putAll(
                ChildEnvironment.of(
                        own,
                        inheritEnvironment,
                        Map.of("LC_ALL", "C", "TZ", "UTC"),
                        environment,
                        spec.environment()));
        if (spec.directory().isPresent()) {
            if (!Files.isDirectory(spec.directory().get())) {
                throw new CommandStartException(
                        spec.program(),
                        "cannot run "
                                + spec.program()
                                + ": working directory "
                                + spec.directory().get()
                                + " does not exist or is not a directory",
                        null);
            }
            pb.directory(spec.directory().get().toFile());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        Process process;
        long startNanos = System.nanoTime();
        try {
            process = pb.start();
        } catch (IOException e) {
            throw startFailure(spec.program(), e);
        }
        LOG.debug("started pid {}: {}", process.pid(), spec);
        Duration timeout = spec.timeout().or(() -> defaultTimeout).orElse(null);
        int limit = spec.captureLimit().orElse(captureLimit);
        return new RunningCommand(
                process, spec, startNanos, timeout, limit, maxLineBytes, killGrace, drainTimeout);
    }

    private static CommandStartException startFailure(String program, IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("error=2,") || msg.contains("No such file")) {
            return new CommandNotFoundException(
                    program,
                    "cannot run "
                            + program
                            + ": no such program (install it or give its full path)",
                    e);
        }
        if (msg.contains("error=13,") || msg.contains("Permission denied")) {
            return new CommandStartException(
                    program,
                    "cannot run " + program + ": permission denied (is it executable?)",
                    e);
        }
        return new CommandStartException(program, "cannot run " + program + ": " + msg, e);
    }

    /** Builder of {@link CommandRunner}. */
    public static final class Builder {
        private boolean inheritEnvironment = true;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Optional<Duration> defaultTimeout = Optional.empty();
        private int captureLimit = 1 << 20;
        private int maxLineBytes = 8192;
        private Duration killGrace = Duration.ofSeconds(2);
        private Duration drainTimeout = Duration.ofSeconds(2);

        private Builder() {}

        /**
         * Whether children start from the allowlisted variables of this JVM's environment (default
         * true) or an empty one; see the class comment for the allowlist.
         */
        public Builder inheritEnvironment(boolean inherit) {
            this.inheritEnvironment = inherit;
            return this;
        }

        /** A variable for every child (after LC_ALL/TZ, before the spec's own). */
        public Builder environment(String name, String value) {
            CommandSpec.of("x").withEnvironment(Map.of(name, value)); // validates
            environment.put(name, value);
            return this;
        }

        /** Timeout for specs that do not set one (default: none). */
        public Builder defaultTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(
                        "defaultTimeout " + timeout + " must be positive");
            }
            this.defaultTimeout = Optional.of(timeout);
            return this;
        }

        /** Bytes of each stream to keep (default 1 MiB); more output is drained and discarded. */
        public Builder captureLimit(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("captureLimit " + bytes + " must be >= 0 bytes");
            }
            this.captureLimit = bytes;
            return this;
        }

        /**
         * Longest line handed to a listener (default 8192 bytes, range 16 to 16 MiB); longer lines
         * are split.
         */
        public Builder maxLineBytes(int bytes) {
            if (bytes < 16 || bytes > (16 << 20)) {
                throw new IllegalArgumentException(
                        "maxLineBytes " + bytes + " must be between 16 and 16777216");
            }
            this.maxLineBytes = bytes;
            return this;
        }

        /**
         * Time between SIGTERM and SIGKILL when killing a tree (default 2 s; zero = SIGKILL at
         * once).
         */
        public Builder killGrace(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("killGrace " + grace + " must not be negative");
            }
            this.killGrace = grace;
            return this;
        }

        /**
         * How long to wait, after the process exited, for its output pipes to close (default 2 s).
         * A background grandchild that keeps the pipes open cannot hold the caller longer than
         * this.
         */
        public Builder drainTimeout(Duration drain) {
            if (drain.isNegative()) {
                throw new IllegalArgumentException(
                        "drainTimeout " + drain + " must not be negative");
            }
            this.drainTimeout = drain;
            return this;
        }

        public CommandRunner build() {
            return new CommandRunner(this);
        }
    }
}
