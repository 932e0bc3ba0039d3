package io.hypersdk.systemd;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads unit state from systemd through {@code systemctl show} (never by parsing {@code systemctl
 * status} text).
 *
 * <pre>{@code
 * SystemdClient systemd = SystemdClient.builder().timeout(Duration.ofSeconds(5)).build();
 * UnitStatus s = systemd.status(UnitName.instance("hyper2kvm", "vsphere-prod"));
 * if (s.isActive()) { ... s.mainPid(), s.uptime(), s.environment().get("HYPER2KVM_QUEUE_DIR") ... }
 * for (UnitStatus i : systemd.instances("hyper2kvm")) { ... }
 * }</pre>
 *
 * <p>Every call runs {@code systemctl} with {@code LC_ALL=C TZ=UTC}, {@code --no-pager}, and {@code
 * --} before unit names. Several units are read by <b>one</b> {@code systemctl show} process.
 * Failures are typed: {@link SystemdUnavailableException} (host not booted with systemd), {@link
 * SystemctlNotFoundException}, {@link SystemctlTimeoutException}, {@link SystemctlOutputException};
 * a unit that does not exist or is masked is not an error but a {@link UnitStatus} with {@link
 * UnitStatus#isNotFound()} / {@link UnitStatus#isMasked()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SystemdClient {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdClient.class);

    /** Units per {@code systemctl show} process, far below any argv limit. */
    static final int UNITS_PER_CALL = 512;

    private static final int CAPTURE_LIMIT = 64 << 20;

    private static final String TIMESTAMP_OPTION = "--timestamp=us+utc";

    private final String systemctl;
    private final Duration timeout;
    private final Clock clock;
    private final CommandRunner runner;

    /** Cleared when systemctl rejects {@code --timestamp=} (systemd older than 248). */
    private final AtomicBoolean timestampOption = new AtomicBoolean(true);

    private SystemdClient(Builder b) {
        this.systemctl = b.systemctl.map(Path::toString).orElse("systemctl");
        this.timeout = b.timeout;
        this.clock = b.clock;
        this.runner =
                b.runner.orElseGet(() -> CommandRunner.builder().killGrace(Duration.ZERO).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A client for {@code systemctl} on PATH with the default 10 s timeout. */
    public static SystemdClient create() {
        return builder().build();
    }

    /** The systemctl program this client runs (a path, or {@code systemctl} looked up on PATH). */
    public String systemctl() {
        return systemctl;
    }

    public Duration timeout() {
        return timeout;
    }

    Clock clock() {
        return clock;
    }

    /** The state of one unit (one {@code systemctl show} process). */
    public UnitStatus status(UnitName unit) {
        return status(List.of(unit)).get(0);
    }

    /**
     * The state of several units, in the order given, read with one {@code systemctl show} process
     * (one per {@value #UNITS_PER_CALL} units).
     */
    public List<UnitStatus> status(List<UnitName> units) {
        Objects.requireNonNull(units, "units");
        List<UnitStatus> out = new ArrayList<>(units.size());
        for (int from = 0; from < units.size(); from += UNITS_PER_CALL) {
            out.addAll(
                    showChunk(units.subList(from, Math.min(units.size(), from + UNITS_PER_CALL))));
        }
        return List.copyOf(out);
    }

    /**
     * True when the unit's ActiveState is {@code active} or {@code reloading} (same data as {@link
     * #status}).
     */
    public boolean isActive(UnitName unit) {
        return status(unit).isActive();
    }

    /**
     * The default unit {@code prefix.service} (always first, even when it does not exist: check
     * {@link UnitStatus#isNotFound()}) followed by every {@code prefix@*.service} instance that is
     * loaded (running, failed, restarting, stopped but known), has its own unit file or mask, or is
     * merely enabled (wanted by {@code default.target} or {@code multi-user.target} while that
     * target is not loaded: an instance a loaded target wants is loaded), sorted by name. Same as
     * {@code startInstances(prefix).await()}; see {@link InstanceQuery} for the systemctl calls.
     */
    public List<UnitStatus> instances(String prefix) {
        return startInstances(prefix).await();
    }

    /**
     * Starts the systemctl calls of {@link #instances} and returns at once, so that the caller can
     * do other work while systemd answers (a CLI: the rest of its own start-up); {@link
     * InstanceQuery#await()} gives the answer, {@link InstanceQuery#cancel()} drops it.
     *
     * @throws SystemctlNotFoundException when systemctl cannot be found
     */
    public InstanceQuery startInstances(String prefix) {
        return new InstanceQuery(this, prefix);
    }

    private List<UnitStatus> showChunk(List<UnitName> units) {
        if (units.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>();
        args.add("show");
        args.add("-p");
        args.add(String.join(",", ShowOutput.PROPERTIES));
        args.add("--");
        units.forEach(u -> args.add(u.toString()));
        CommandResult r = show(args);
        Instant now = clock.instant();
        List<Map<String, String>> blocks = ShowOutput.parseBlocks(r.stdout());
        if (blocks.size() != units.size()) {
            throw new SystemctlOutputException(
                    "systemctl show printed "
                            + blocks.size()
                            + " blocks for "
                            + units.size()
                            + " units ("
                            + abbreviate(units)
                            + ")");
        }
        List<UnitStatus> out = new ArrayList<>(units.size());
        for (int i = 0; i < units.size(); i++) {
            out.add(ShowOutput.toStatus(units.get(i).toString(), blocks.get(i), now));
        }
        return out;
    }

    /**
     * Runs {@code systemctl show} ({@code args} start with the verb) with {@code
     * --timestamp=us+utc}, or without it on a systemctl that does not know it; checks the exit
     * code.
     */
    private CommandResult show(List<String> args) {
        return finishShow(args, startShow(args));
    }

    /** Starts {@code systemctl show} ({@code args} start with the verb); see {@link #show}. */
    RunningCommand startShow(List<String> args) {
        List<String> withTimestamp = new ArrayList<>(args);
        if (timestampOption.get()) {
            withTimestamp.add(1, TIMESTAMP_OPTION);
        }
        return startRaw(withTimestamp);
    }

    /**
     * The checked result of a show started by {@link #startShow}; asks again without {@code
     * --timestamp=} when systemctl did not know it.
     */
    CommandResult finishShow(List<String> args, RunningCommand started) {
        CommandResult r = finish(args, started);
        if (started.spec().argv().contains(TIMESTAMP_OPTION)
                && r.exitCode() != 0
                && r.stderr().contains("timestamp")) {
            LOG.debug(
                    "systemctl does not know --timestamp=us+utc ({}); using its default format in TZ=UTC",
                    r.firstStderrLine());
            timestampOption.set(false);
            r = runRaw(args);
        }
        check(r, "systemctl show");
        return r;
    }

    private static String abbreviate(List<UnitName> units) {
        return units.size() <= 3
                ? units.toString()
                : units.subList(0, 3) + " and " + (units.size() - 3) + " more";
    }

    private CommandResult runRaw(List<String> args) {
        return finish(args, startRaw(args));
    }

    RunningCommand startRaw(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(systemctl);
        argv.add("--no-pager");
        argv.addAll(args);
        CommandSpec spec =
                CommandSpec.of(argv)
                        .withEnvironment(
                                Map.of(
                                        "LC_ALL",
                                        "C",
                                        "TZ",
                                        "UTC",
                                        "SYSTEMD_COLORS",
                                        "0",
                                        "SYSTEMD_PAGER",
                                        ""))
                        .withTimeout(timeout)
                        .withCaptureLimit(CAPTURE_LIMIT);
        try {
            return runner.start(spec);
        } catch (CommandNotFoundException e) {
            throw new SystemctlNotFoundException(
                    "cannot run "
                            + systemctl
                            + ": not found (install systemd, or "
                            + "configure the path of systemctl)",
                    e);
        } catch (CommandStartException e) {
            throw new SystemdException(e.getMessage(), e);
        }
    }

    CommandResult finish(List<String> args, RunningCommand running) {
        CommandResult r = running.await();
        if (r.timedOut()) {
            throw new SystemctlTimeoutException(
                    "systemctl "
                            + args.get(0)
                            + " did not answer within "
                            + human(timeout)
                            + "; is the systemd manager overloaded? Retry, or raise the timeout",
                    timeout);
        }
        if (r.truncated()) {
            throw new SystemctlOutputException(
                    "systemctl "
                            + args.get(0)
                            + " printed more than "
                            + CAPTURE_LIMIT
                            + " bytes; query fewer units at a time");
        }
        return r;
    }

    static void check(CommandResult r, String what) {
        if (r.exitCode() == 0) {
            return;
        }
        String err = r.stderr();
        if (err.contains("has not been booted with systemd")
                || err.contains("Failed to connect to bus")
                || err.contains("Host is down")) {
            throw new SystemdUnavailableException(
                    "systemd is not available on this host ("
                            + r.firstStderrLine()
                            + "): unit state cannot be read here");
        }
        throw new SystemctlCommandException(
                what
                        + " failed with exit code "
                        + r.exitCode()
                        + ": "
                        + (r.firstStderrLine().isEmpty() ? "(no message)" : r.firstStderrLine()),
                r.exitCode(),
                err);
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Builder of {@link SystemdClient}. */
    public static final class Builder {
        private Optional<Path> systemctl = Optional.empty();
        private Duration timeout = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();
        private Optional<CommandRunner> runner = Optional.empty();

        private Builder() {}

        /**
         * The systemctl executable (default: {@code systemctl} on PATH); tests point this at a
         * wrapper.
         */
        public Builder systemctl(Path path) {
            this.systemctl = Optional.of(Objects.requireNonNull(path, "path"));
            return this;
        }

        /**
         * Per-call timeout (default 10 s, 100 ms to 10 min); a call that takes longer is killed.
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofMillis(100)) < 0
                    || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException(
                        "systemctl timeout " + timeout + " must be between 100 ms and 10 min");
            }
            this.timeout = timeout;
            return this;
        }

        /** Clock used to compute uptimes (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The runner that starts systemctl (default: a runner that SIGKILLs on timeout). */
        public Builder commandRunner(CommandRunner runner) {
            this.runner = Optional.of(Objects.requireNonNull(runner, "runner"));
            return this;
        }

        public SystemdClient build() {
            return new SystemdClient(this);
        }
    }
}
