package io.hypersdk.core.settings;

import io.hypersdk.core.spool.InstanceName;
import io.hypersdk.core.spool.SpoolConvention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The hyper2kvm daemon hand-off settings (the seed's six {@code Hyper2KVM*} options plus the queue
 * layout and two switches).
 *
 * <p>Empty {@code watchDir}, {@code outputDir} and {@code queueLayout} mean "take it from the
 * unit's {@code WATCH_DIR} / {@code OUTPUT_DIR} / {@code QUEUE_LAYOUT}, else the convention":
 * default instance {@code /var/lib/hyper2kvm/queue} and {@code /var/lib/hyper2kvm/output}, instance
 * {@code X} {@code /var/lib/hyper2kvm/X/queue} and {@code /var/lib/hyper2kvm/X/output} (see {@link
 * io.hypersdk.core.spool.SpoolConvention}), layout {@code workflow}.
 *
 * @param daemon try the systemd-managed daemon first ({@code Hyper2KVMDaemon}, default false)
 * @param instance systemd instance name ({@code Hyper2KVMInstance}; empty = the default unit {@code
 *     hyper2kvm.service}); see {@link io.hypersdk.core.spool.InstanceName} for the rule
 * @param watchDir explicit spool directory ({@code Hyper2KVMWatchDir})
 * @param outputDir explicit output directory ({@code Hyper2KVMOutputDir})
 * @param pollInterval poll period, 1-60 s, default 5 s ({@code Hyper2KVMPollInterval})
 * @param daemonTimeout how long to wait for the daemon, 1-240 min, default 60 min ({@code
 *     Hyper2KVMDaemonTimeout})
 * @param queueLayout explicit spool protocol
 * @param requireDaemon fail instead of falling back to direct mode when the daemon is not active
 * @param pollOnly do not use inotify, only poll (for NFS spools, and to force polling in tests)
 * @param remote the daemon runs on another host that shares the spool: no local systemd check;
 *     layout and output directory come from the spool's {@link
 *     io.hypersdk.core.spool.SpoolDescriptor} (explicit settings override), the daemon counts as
 *     alive while the descriptor's heartbeat is fresh, completion is polled, and the job id is
 *     derived from the VM and its export directory so that a resubmission finds the job
 * @param noWait daemon mode: submit the job and return at once (the outcome is {@code Queued} with
 *     the job id; {@code hyperctl job wait ID} waits for it later)
 */
public record Hyper2KvmSettings(
        boolean daemon,
        Optional<String> instance,
        Optional<Path> watchDir,
        Optional<Path> outputDir,
        Duration pollInterval,
        Duration daemonTimeout,
        Optional<QueueLayout> queueLayout,
        boolean requireDaemon,
        boolean pollOnly,
        boolean remote,
        boolean noWait) {

    /** Default poll interval: 5 s. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

    /** Default daemon timeout: 60 min. */
    public static final Duration DEFAULT_DAEMON_TIMEOUT = Duration.ofMinutes(60);

    /** Shortest poll interval: 1 s. */
    public static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(1);

    /** Longest poll interval: 60 s. */
    public static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(60);

    /** Shortest daemon timeout: 1 min. */
    public static final Duration MIN_DAEMON_TIMEOUT = Duration.ofMinutes(1);

    /** Longest daemon timeout: 240 min. */
    public static final Duration MAX_DAEMON_TIMEOUT = Duration.ofMinutes(240);

    /**
     * Validates every value.
     *
     * @throws InvalidSettingException naming the option (seed name) and the allowed range
     */
    public Hyper2KvmSettings {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(watchDir, "watchDir");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(daemonTimeout, "daemonTimeout");
        Objects.requireNonNull(queueLayout, "queueLayout");
        instance.ifPresent(Hyper2KvmSettings::checkInstance);
        watchDir.ifPresent(p -> checkAbsolute(Setting.HYPER2KVM_WATCH_DIR, p));
        outputDir.ifPresent(p -> checkAbsolute(Setting.HYPER2KVM_OUTPUT_DIR, p));
        if (pollInterval.compareTo(MIN_POLL_INTERVAL) < 0
                || pollInterval.compareTo(MAX_POLL_INTERVAL) > 0) {
            throw new InvalidSettingException(
                    Setting.HYPER2KVM_POLL_INTERVAL,
                    describe(pollInterval),
                    "1-60 seconds",
                    SettingText.of(Setting.HYPER2KVM_POLL_INTERVAL)
                            .text(
                                    " must be between 1 and 60 seconds (got: "
                                            + describe(pollInterval)
                                            + ")"));
        }
        if (daemonTimeout.compareTo(MIN_DAEMON_TIMEOUT) < 0
                || daemonTimeout.compareTo(MAX_DAEMON_TIMEOUT) > 0) {
            throw new InvalidSettingException(
                    Setting.HYPER2KVM_DAEMON_TIMEOUT,
                    describe(daemonTimeout),
                    "1-240 minutes",
                    SettingText.of(Setting.HYPER2KVM_DAEMON_TIMEOUT)
                            .text(
                                    " must be between 1 and 240 minutes (got: "
                                            + describe(daemonTimeout)
                                            + ")"));
        }
    }

    /**
     * The defaults: daemon off, default instance, directories and layout from the unit, poll 5 s,
     * timeout 60 min.
     *
     * @return the default settings
     */
    public static Hyper2KvmSettings defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these settings.
     *
     * @return a pre-filled builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.daemon = daemon;
        b.instance = instance;
        b.watchDir = watchDir;
        b.outputDir = outputDir;
        b.pollInterval = pollInterval;
        b.daemonTimeout = daemonTimeout;
        b.queueLayout = queueLayout;
        b.requireDaemon = requireDaemon;
        b.pollOnly = pollOnly;
        b.remote = remote;
        b.noWait = noWait;
        return b;
    }

    /**
     * The explicit watch directory, else the convention for this instance.
     *
     * @return the watch directory to use when the unit does not say
     */
    public Path watchDirOrDefault() {
        return watchDir.orElseGet(() -> SpoolConvention.watchDir(instance));
    }

    /**
     * The explicit output directory, else the convention for this instance.
     *
     * @return the output directory to use when the unit does not say
     */
    public Path outputDirOrDefault() {
        return outputDir.orElseGet(() -> SpoolConvention.outputDir(instance));
    }

    private static void checkInstance(String name) {
        if (!InstanceName.isValid(name)) {
            throw new InvalidSettingException(
                    Setting.HYPER2KVM_INSTANCE,
                    InstanceName.printable(name),
                    InstanceName.RULE,
                    SettingText.of(Setting.HYPER2KVM_INSTANCE)
                            .text(
                                    " \""
                                            + InstanceName.printable(name)
                                            + "\" is not a valid instance name: use "
                                            + InstanceName.RULE));
        }
    }

    private static void checkAbsolute(Setting option, Path p) {
        if (!p.isAbsolute()) {
            throw new InvalidSettingException(
                    option,
                    p.toString(),
                    "an absolute path",
                    SettingText.of(option).text(" must be an absolute path (got: " + p + ")"));
        }
    }

    private static String describe(Duration d) {
        if (d.isNegative()) {
            return d.toString();
        }
        if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) {
            return d.toMinutes() + " min";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }

    /** Builds {@link Hyper2KvmSettings}; validation happens in {@link #build()}. */
    public static final class Builder {
        private boolean daemon;
        private Optional<String> instance = Optional.empty();
        private Optional<Path> watchDir = Optional.empty();
        private Optional<Path> outputDir = Optional.empty();
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration daemonTimeout = DEFAULT_DAEMON_TIMEOUT;
        private Optional<QueueLayout> queueLayout = Optional.empty();
        private boolean requireDaemon;
        private boolean pollOnly;
        private boolean remote;
        private boolean noWait;

        private Builder() {}

        /**
         * Sets use the daemon.
         *
         * @param v use the daemon
         * @return this builder
         */
        public Builder daemon(boolean v) {
            this.daemon = v;
            return this;
        }

        /**
         * Sets instance name; empty text means the default instance.
         *
         * @param v instance name; empty text means the default instance
         * @return this builder
         */
        public Builder instance(String v) {
            this.instance = v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
            return this;
        }

        /**
         * Sets instance name or empty.
         *
         * @param v instance name or empty
         * @return this builder
         */
        public Builder instance(Optional<String> v) {
            this.instance = Objects.requireNonNull(v).filter(s -> !s.isEmpty());
            return this;
        }

        /**
         * Sets spool directory.
         *
         * @param v spool directory
         * @return this builder
         */
        public Builder watchDir(Path v) {
            this.watchDir = Optional.of(v);
            return this;
        }

        /**
         * Sets spool directory or empty.
         *
         * @param v spool directory or empty
         * @return this builder
         */
        public Builder watchDir(Optional<Path> v) {
            this.watchDir = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Sets output directory.
         *
         * @param v output directory
         * @return this builder
         */
        public Builder outputDir(Path v) {
            this.outputDir = Optional.of(v);
            return this;
        }

        /**
         * Sets output directory or empty.
         *
         * @param v output directory or empty
         * @return this builder
         */
        public Builder outputDir(Optional<Path> v) {
            this.outputDir = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Sets poll interval, 1-60 s.
         *
         * @param v poll interval, 1-60 s
         * @return this builder
         */
        public Builder pollInterval(Duration v) {
            this.pollInterval = v;
            return this;
        }

        /**
         * Sets daemon timeout, 1-240 min.
         *
         * @param v daemon timeout, 1-240 min
         * @return this builder
         */
        public Builder daemonTimeout(Duration v) {
            this.daemonTimeout = v;
            return this;
        }

        /**
         * Sets queue layout.
         *
         * @param v queue layout
         * @return this builder
         */
        public Builder queueLayout(QueueLayout v) {
            this.queueLayout = Optional.of(v);
            return this;
        }

        /**
         * Sets queue layout or empty.
         *
         * @param v queue layout or empty
         * @return this builder
         */
        public Builder queueLayout(Optional<QueueLayout> v) {
            this.queueLayout = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Sets fail instead of falling back to direct mode.
         *
         * @param v fail instead of falling back to direct mode
         * @return this builder
         */
        public Builder requireDaemon(boolean v) {
            this.requireDaemon = v;
            return this;
        }

        /**
         * Sets poll only, no inotify.
         *
         * @param v poll only, no inotify
         * @return this builder
         */
        public Builder pollOnly(boolean v) {
            this.pollOnly = v;
            return this;
        }

        /**
         * Sets remote submission: the daemon runs on another host sharing the spool.
         *
         * @param v submit to a remote daemon's spool
         * @return this builder
         */
        public Builder remote(boolean v) {
            this.remote = v;
            return this;
        }

        /**
         * Sets submit-only: daemon mode returns once the job is in the spool.
         *
         * @param v do not wait for the daemon's answer
         * @return this builder
         */
        public Builder noWait(boolean v) {
            this.noWait = v;
            return this;
        }

        /**
         * Builds and validates the settings.
         *
         * @return the settings
         * @throws InvalidSettingException naming the option and the allowed range
         */
        public Hyper2KvmSettings build() {
            return new Hyper2KvmSettings(
                    daemon,
                    instance,
                    watchDir,
                    outputDir,
                    pollInterval,
                    daemonTimeout,
                    queueLayout,
                    requireDaemon,
                    pollOnly,
                    remote,
                    noWait);
        }
    }
}
