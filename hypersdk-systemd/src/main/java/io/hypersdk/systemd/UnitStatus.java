package io.hypersdk.systemd;

import com.google.common.collect.ImmutableMap;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The state of one unit as {@code systemctl show} reports it. States are systemd's own words
 * ({@code loaded}, {@code not-found}, {@code masked}; {@code active}, {@code failed}, {@code
 * activating}, ...). Placeholders ({@code [not set]}, {@code [no data]}, {@code 2^64-1}, empty
 * values) are absent values, never strings.
 *
 * @param id the unit's Id (its real name when an alias was asked for)
 * @param loadState LoadState, e.g. {@code loaded}, {@code not-found}, {@code masked}
 * @param activeState ActiveState, e.g. {@code active}, {@code inactive}, {@code failed}, {@code
 *     activating}
 * @param subState SubState, e.g. {@code running}, {@code dead}, {@code auto-restart}
 * @param mainPid MainPID; empty when 0 (no main process). A PID of the manager's PID namespace.
 * @param activeEnterTimestamp ActiveEnterTimestamp; empty when the unit never became active
 * @param uptime time since ActiveEnterTimestamp, only while the unit is active (or reloading)
 * @param nRestarts NRestarts (automatic restarts since the last manual start); 0 when not reported
 * @param result Result, e.g. {@code success}, {@code exit-code}; empty string when not reported
 * @param memoryCurrent MemoryCurrent in bytes; empty without memory accounting
 * @param unitFileState UnitFileState, e.g. {@code enabled}, {@code static}, {@code masked-runtime};
 *     empty when unknown
 * @param environment Environment= assignments of the unit, in order (not EnvironmentFile=)
 * @param user User=, if set
 * @param group Group=, if set
 * @param privateTmp PrivateTmp=
 * @param protectHome ProtectHome= ({@code no}, {@code yes}, {@code read-only}, {@code tmpfs})
 * @param protectSystem ProtectSystem= ({@code no}, {@code yes}, {@code full}, {@code strict})
 * @param readWritePaths ReadWritePaths= (without systemd's {@code -}/{@code +} prefixes)
 * @param readOnlyPaths ReadOnlyPaths= (without systemd's {@code -}/{@code +} prefixes)
 * @param privateUsers PrivateUsers=: the service runs in its own user namespace without
 *     capabilities on the host, so even uid 0 is bound by file permissions
 * @param stateDirectories StateDirectory= as written (relative to {@code /var/lib})
 * @param cacheDirectories CacheDirectory= as written (relative to {@code /var/cache})
 * @param logsDirectories LogsDirectory= as written (relative to {@code /var/log})
 */
public record UnitStatus(
        String id,
        String loadState,
        String activeState,
        String subState,
        OptionalLong mainPid,
        Optional<Instant> activeEnterTimestamp,
        Optional<Duration> uptime,
        long nRestarts,
        String result,
        OptionalLong memoryCurrent,
        String unitFileState,
        Map<String, String> environment,
        Optional<String> user,
        Optional<String> group,
        boolean privateTmp,
        String protectHome,
        String protectSystem,
        List<Path> readWritePaths,
        List<Path> readOnlyPaths,
        boolean privateUsers,
        List<Path> stateDirectories,
        List<Path> cacheDirectories,
        List<Path> logsDirectories) {

    public UnitStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(loadState, "loadState");
        Objects.requireNonNull(activeState, "activeState");
        Objects.requireNonNull(subState, "subState");
        Objects.requireNonNull(mainPid, "mainPid");
        Objects.requireNonNull(activeEnterTimestamp, "activeEnterTimestamp");
        Objects.requireNonNull(uptime, "uptime");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(memoryCurrent, "memoryCurrent");
        Objects.requireNonNull(unitFileState, "unitFileState");
        environment = ImmutableMap.copyOf(Objects.requireNonNull(environment, "environment"));
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(protectHome, "protectHome");
        Objects.requireNonNull(protectSystem, "protectSystem");
        readWritePaths = List.copyOf(readWritePaths);
        readOnlyPaths = List.copyOf(readOnlyPaths);
        stateDirectories = List.copyOf(stateDirectories);
        cacheDirectories = List.copyOf(cacheDirectories);
        logsDirectories = List.copyOf(logsDirectories);
    }

    /**
     * The status without the PrivateUsers= and StateDirectory=/CacheDirectory=/LogsDirectory= facts
     * (the record's shape before they were added): {@code privateUsers} false, no directories.
     */
    public UnitStatus(
            String id,
            String loadState,
            String activeState,
            String subState,
            OptionalLong mainPid,
            Optional<Instant> activeEnterTimestamp,
            Optional<Duration> uptime,
            long nRestarts,
            String result,
            OptionalLong memoryCurrent,
            String unitFileState,
            Map<String, String> environment,
            Optional<String> user,
            Optional<String> group,
            boolean privateTmp,
            String protectHome,
            String protectSystem,
            List<Path> readWritePaths,
            List<Path> readOnlyPaths) {
        this(
                id,
                loadState,
                activeState,
                subState,
                mainPid,
                activeEnterTimestamp,
                uptime,
                nRestarts,
                result,
                memoryCurrent,
                unitFileState,
                environment,
                user,
                group,
                privateTmp,
                protectHome,
                protectSystem,
                readWritePaths,
                readOnlyPaths,
                false,
                List.of(),
                List.of(),
                List.of());
    }

    /**
     * Every path the service may write under {@code ProtectSystem=strict} (system manager):
     * ReadWritePaths=, then {@code /var/lib/}StateDirectory=, {@code /var/cache/}CacheDirectory=
     * and {@code /var/log/}LogsDirectory=, which systemd creates and makes writable itself.
     */
    public List<Path> writablePaths() {
        List<Path> out = new ArrayList<>(readWritePaths);
        stateDirectories.forEach(d -> out.add(Path.of("/var/lib").resolve(d)));
        cacheDirectories.forEach(d -> out.add(Path.of("/var/cache").resolve(d)));
        logsDirectories.forEach(d -> out.add(Path.of("/var/log").resolve(d)));
        return List.copyOf(out);
    }

    /**
     * ActiveState is {@code active} or {@code reloading} (what {@code systemctl is-active} calls
     * active).
     */
    public boolean isActive() {
        return activeState.equals("active") || activeState.equals("reloading");
    }

    /** ActiveState is {@code failed}. */
    public boolean isFailed() {
        return activeState.equals("failed");
    }

    /** LoadState is {@code not-found}: no unit file of that name exists. */
    public boolean isNotFound() {
        return loadState.equals("not-found");
    }

    /** LoadState is {@code masked} (linked to /dev/null): the unit cannot be started. */
    public boolean isMasked() {
        return loadState.equals("masked") || unitFileState.startsWith("masked");
    }

    /**
     * The instance part of the unit name ({@code vsphere-prod} of {@code
     * hyper2kvm@vsphere-prod.service}).
     */
    public Optional<String> instance() {
        try {
            return UnitName.parse(id).instance();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A builder for values such as test doubles; systemd's defaults for a stopped, loaded unit. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Builder of {@link UnitStatus}. */
    public static final class Builder {
        private final String id;
        private String loadState = "loaded";
        private String activeState = "inactive";
        private String subState = "dead";
        private OptionalLong mainPid = OptionalLong.empty();
        private Optional<Instant> activeEnterTimestamp = Optional.empty();
        private Optional<Duration> uptime = Optional.empty();
        private long nRestarts;
        private String result = "success";
        private OptionalLong memoryCurrent = OptionalLong.empty();
        private String unitFileState = "";
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Optional<String> user = Optional.empty();
        private Optional<String> group = Optional.empty();
        private boolean privateTmp;
        private String protectHome = "no";
        private String protectSystem = "no";
        private final List<Path> readWritePaths = new ArrayList<>();
        private final List<Path> readOnlyPaths = new ArrayList<>();
        private boolean privateUsers;
        private final List<Path> stateDirectories = new ArrayList<>();
        private final List<Path> cacheDirectories = new ArrayList<>();
        private final List<Path> logsDirectories = new ArrayList<>();

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        public Builder loadState(String v) {
            this.loadState = v;
            return this;
        }

        public Builder activeState(String v) {
            this.activeState = v;
            return this;
        }

        public Builder subState(String v) {
            this.subState = v;
            return this;
        }

        public Builder mainPid(long pid) {
            this.mainPid = pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
            return this;
        }

        public Builder activeEnterTimestamp(Instant t) {
            this.activeEnterTimestamp = Optional.of(t);
            return this;
        }

        public Builder uptime(Duration d) {
            this.uptime = Optional.of(d);
            return this;
        }

        public Builder nRestarts(long n) {
            this.nRestarts = n;
            return this;
        }

        public Builder result(String v) {
            this.result = v;
            return this;
        }

        public Builder memoryCurrent(long bytes) {
            this.memoryCurrent = OptionalLong.of(bytes);
            return this;
        }

        public Builder unitFileState(String v) {
            this.unitFileState = v;
            return this;
        }

        public Builder environment(Map<String, String> env) {
            this.environment.putAll(env);
            return this;
        }

        public Builder environment(String name, String value) {
            this.environment.put(name, value);
            return this;
        }

        public Builder user(String v) {
            this.user = Optional.of(v);
            return this;
        }

        public Builder group(String v) {
            this.group = Optional.of(v);
            return this;
        }

        public Builder privateTmp(boolean v) {
            this.privateTmp = v;
            return this;
        }

        public Builder protectHome(String v) {
            this.protectHome = v;
            return this;
        }

        public Builder protectSystem(String v) {
            this.protectSystem = v;
            return this;
        }

        public Builder readWritePath(Path p) {
            this.readWritePaths.add(p);
            return this;
        }

        public Builder readOnlyPath(Path p) {
            this.readOnlyPaths.add(p);
            return this;
        }

        public Builder privateUsers(boolean v) {
            this.privateUsers = v;
            return this;
        }

        /** A StateDirectory= entry, relative to {@code /var/lib} (e.g. {@code hyper2kvm/queue}). */
        public Builder stateDirectory(Path p) {
            this.stateDirectories.add(p);
            return this;
        }

        /** A CacheDirectory= entry, relative to {@code /var/cache}. */
        public Builder cacheDirectory(Path p) {
            this.cacheDirectories.add(p);
            return this;
        }

        /** A LogsDirectory= entry, relative to {@code /var/log}. */
        public Builder logsDirectory(Path p) {
            this.logsDirectories.add(p);
            return this;
        }

        /**
         * Shortcut: active/running with this main PID, active since {@code since}, uptime from
         * {@code now}.
         */
        public Builder running(long pid, Instant since, Instant now) {
            return activeState("active")
                    .subState("running")
                    .mainPid(pid)
                    .activeEnterTimestamp(since)
                    .uptime(Duration.between(since, now));
        }

        public UnitStatus build() {
            return new UnitStatus(
                    id,
                    loadState,
                    activeState,
                    subState,
                    mainPid,
                    activeEnterTimestamp,
                    uptime,
                    nRestarts,
                    result,
                    memoryCurrent,
                    unitFileState,
                    environment,
                    user,
                    group,
                    privateTmp,
                    protectHome,
                    protectSystem,
                    readWritePaths,
                    readOnlyPaths,
                    privateUsers,
                    stateDirectories,
                    cacheDirectories,
                    logsDirectories);
        }
    }
}
