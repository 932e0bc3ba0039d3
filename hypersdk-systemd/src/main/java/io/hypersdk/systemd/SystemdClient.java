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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

    /** Where {@code systemctl enable} links instances: these dependencies of the targets. */
    private static final List<String> TARGET_DEPENDENCIES = List.of("Wants", "Requires", "Upholds");

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
     * merely enabled (wanted by a target without being loaded), sorted by name.
     *
     * <p>Two systemctl processes run <b>at the same time</b>: one {@code show --all} of {@code
     * prefix.service}, the pattern {@code prefix@*.service} (every loaded instance) and the targets
     * ({@code default.target}, {@code multi-user.target}, every loaded {@code *.target}: their
     * {@code Wants}/{@code Requires}/{@code Upholds} are where {@code systemctl enable} links
     * instances), and {@code list-unit-files} (instance files, masks, the template). So the usual
     * host (every instance loaded) costs the latency of one {@code systemctl show}; only instances
     * that are not loaded (a mask, an enabled instance of a target that is not loaded) are read by
     * one more {@code show}.
     */
    public List<UnitStatus> instances(String prefix) {
        UnitName main = UnitName.service(prefix);
        String instancePattern = prefix + "@*.service";
        List<String> properties = new ArrayList<>(ShowOutput.PROPERTIES);
        properties.addAll(TARGET_DEPENDENCIES);
        List<String> showArgs =
                List.of(
                        "show",
                        "--all",
                        "-p",
                        String.join(",", properties),
                        "--",
                        main.toString(),
                        instancePattern,
                        "default.target",
                        "multi-user.target",
                        "*.target");
        List<String> filesArgs =
                listArgs("list-unit-files", List.of(), List.of(main.toString(), instancePattern));
        RunningCommand files = startRaw(filesArgs);
        CommandResult shown;
        CommandResult listed;
        try {
            shown = show(showArgs);
            listed = finish(filesArgs, files);
        } finally {
            if (files.isAlive()) {
                files.cancel(); // after a failure
            }
        }
        Instant now = clock.instant();
        List<Map<String, String>> blocks = ShowOutput.parseBlocks(shown.stdout());
        if (blocks.isEmpty()) {
            throw new SystemctlOutputException(
                    "systemctl show printed nothing for " + main + " and " + instancePattern);
        }
        // the units named come first, in the order given: block 0 is the default unit
        UnitStatus mainStatus = ShowOutput.toStatus(main.toString(), blocks.get(0), now);
        Map<UnitName, UnitStatus> loaded = new TreeMap<>();
        Set<UnitName> found = new TreeSet<>();
        for (Map<String, String> block : blocks.subList(1, blocks.size())) {
            String id = block.getOrDefault("Id", "");
            Optional<UnitName> instance = instanceOf(id, prefix);
            if (instance.isPresent()) {
                loaded.put(instance.get(), ShowOutput.toStatus(id, block, now));
            } else if (id.endsWith(".target")) {
                for (String key : TARGET_DEPENDENCIES) {
                    for (String dep : Words.split(block.getOrDefault(key, ""), key)) {
                        instanceOf(dep, prefix).ifPresent(found::add);
                    }
                }
            }
        }
        for (String file : listNames(filesArgs, listed, false)) {
            instanceOf(file.substring(file.lastIndexOf('/') + 1), prefix).ifPresent(found::add);
        }
        found.removeAll(loaded.keySet());
        if (!found.isEmpty()) {
            List<UnitName> rest = List.copyOf(found);
            List<UnitStatus> restStatus = status(rest);
            for (int i = 0; i < rest.size(); i++) {
                loaded.put(rest.get(i), restStatus.get(i));
            }
        }
        List<UnitStatus> all = new ArrayList<>(loaded.size() + 1);
        all.add(mainStatus);
        all.addAll(loaded.values());
        LOG.debug("instances of {}: {} loaded, {} read separately", prefix, loaded.size(), found);
        return List.copyOf(all);
    }

    private static List<String> listArgs(String verb, List<String> options, List<String> patterns) {
        List<String> args = new ArrayList<>();
        args.add(verb);
        args.addAll(options);
        args.add("--plain");
        args.add("--no-legend");
        args.add("--");
        args.addAll(patterns);
        return args;
    }

    /**
     * Unit names from {@code list-units} / {@code list-unit-files} ({@code args} from {@link
     * #listArgs}, {@code r} its result): the first column of the {@code --plain --no-legend} table,
     * which every systemd version prints the same way (unit names hold no white space: systemd
     * escapes it).
     */
    private static List<String> listNames(
            List<String> listArgs, CommandResult r, boolean emptyIsError) {
        String what = "systemctl " + listArgs.get(0);
        if (!(r.exitCode() == 1
                && r.stderr().isBlank()
                && !emptyIsError)) { // list-unit-files: exit 1, no message = no match
            check(r, what);
        }
        return firstColumn(r.stdout());
    }

    /**
     * The first word of each non-blank line, after the {@code ●} marker older versions print even
     * with --plain.
     */
    static List<String> firstColumn(String table) {
        List<String> names = new ArrayList<>();
        for (String line : table.split("\n")) {
            String t = line.strip();
            if (t.startsWith("\u25cf")) {
                t = t.substring(1).strip();
            }
            if (!t.isEmpty()) {
                names.add(t.split("\\s+", 2)[0]);
            }
        }
        return names;
    }

    private static Optional<UnitName> instanceOf(String name, String prefix) {
        if (!name.startsWith(prefix + "@") || !name.endsWith(".service")) {
            return Optional.empty();
        }
        try {
            UnitName u = UnitName.parse(name);
            return u.prefix().equals(prefix) && u.instance().isPresent()
                    ? Optional.of(u)
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            LOG.debug("ignoring unit name {}: {}", name, e.getMessage());
            return Optional.empty();
        }
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
        List<String> withTimestamp = new ArrayList<>(args);
        boolean ts = timestampOption.get();
        if (ts) {
            withTimestamp.add(1, "--timestamp=us+utc");
        }
        CommandResult r = runRaw(withTimestamp);
        if (ts && r.exitCode() != 0 && r.stderr().contains("timestamp")) {
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

    private RunningCommand startRaw(List<String> args) {
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

    private CommandResult finish(List<String> args, RunningCommand running) {
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

    private static void check(CommandResult r, String what) {
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
