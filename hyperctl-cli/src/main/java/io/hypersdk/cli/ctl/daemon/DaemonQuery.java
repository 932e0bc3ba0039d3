package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.core.spool.InstanceName;
import io.hypersdk.core.spool.SpoolDirectories;
import io.hypersdk.core.spool.SpoolEnvironmentException;
import io.hypersdk.systemd.InstanceQuery;
import io.hypersdk.systemd.SystemdClient;
import io.hypersdk.systemd.UnitName;
import io.hypersdk.systemd.UnitStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Asks systemd about the hyper2kvm instances and reads their spools. */
final class DaemonQuery {

    static final String PREFIX = "hyper2kvm";

    /** The instance name shown for {@code hyper2kvm.service}. */
    static final String DEFAULT = "default";

    private final SystemdClient systemd;
    private final QueueInspector queues;
    private final Clock clock;

    DaemonQuery(SystemdClient systemd, Clock clock) {
        this.systemd = systemd;
        this.queues = new QueueInspector(clock);
        this.clock = clock;
    }

    /** Every installed, enabled or loaded instance (default first, then by name). */
    List<InstanceReport> all() {
        List<InstanceReport> reports = new ArrayList<>();
        InstanceQuery query =
                EarlyQuery.take(systemd).orElseGet(() -> systemd.startInstances(PREFIX));
        for (UnitStatus s : query.await()) {
            if (!s.isNotFound() && !isTemplate(s.id())) {
                reports.add(report(s));
            }
        }
        reports.sort(
                Comparator.comparing((InstanceReport r) -> !r.service().equals(PREFIX + ".service"))
                        .thenComparing(InstanceReport::name));
        return List.copyOf(reports);
    }

    /**
     * One instance by name (already validated). {@code default} means {@code
     * hyper2kvm@default.service} when that instance exists, else {@code hyper2kvm.service}; both
     * are asked in one call.
     *
     * @throws UnknownInstanceException when systemd does not know the instance
     */
    InstanceReport one(String instance) {
        UnitName unit = UnitName.instance(PREFIX, InstanceName.require(instance));
        if (instance.equals(DEFAULT)) {
            List<UnitStatus> both = systemd.status(List.of(unit, UnitName.service(PREFIX)));
            for (UnitStatus s : both) {
                if (isKnown(s)) {
                    return report(s);
                }
            }
        } else {
            UnitStatus s = systemd.status(unit);
            if (isKnown(s)) {
                return report(s);
            }
        }
        String which =
                instance.equals(DEFAULT)
                        ? "neither " + unit + " nor " + UnitName.service(PREFIX) + " is"
                        : unit + " is";
        throw new UnknownInstanceException(
                "no hyper2kvm daemon instance '"
                        + instance
                        + "': "
                        + which
                        + " installed, enabled or running on this host; 'hyperctl daemon list' shows the instances");
    }

    /**
     * A unit systemd merely instantiated from the template on our asking (never enabled, never
     * started) is not an instance anyone set up.
     */
    static boolean isKnown(UnitStatus s) {
        if (s.isNotFound()) {
            return false;
        }
        boolean enabled = s.unitFileState() != null && s.unitFileState().startsWith("enabled");
        boolean everStarted =
                s.activeEnterTimestamp().isPresent()
                        || s.nRestarts() > 0
                        || s.mainPid().isPresent() && s.mainPid().getAsLong() > 0;
        boolean idle = "inactive".equals(s.activeState());
        return !idle || enabled || everStarted || s.isMasked();
    }

    InstanceReport report(UnitStatus s) {
        Optional<String> instance = instanceOf(s.id());
        Optional<SpoolDirectories> dirs;
        QueueSnapshot queue;
        try {
            SpoolDirectories d = SpoolDirectories.fromUnit(s.id(), s.environment(), instance);
            dirs = Optional.of(d);
            queue = queues.inspect(d);
        } catch (IllegalArgumentException | SpoolEnvironmentException e) {
            // a unit whose spool cannot be known: say why instead of guessing directories
            dirs = Optional.empty();
            queue = QueueSnapshot.unreadable(e.getMessage());
        }
        boolean up = "active".equals(s.activeState()) || "reloading".equals(s.activeState());
        Optional<Duration> uptime =
                up
                        ? s.uptime().or(() -> s.activeEnterTimestamp().map(this::since))
                        : Optional.empty();
        return new InstanceReport(
                instance.orElse(DEFAULT),
                s.id(),
                s.loadState(),
                s.activeState(),
                s.subState(),
                nullToEmpty(s.unitFileState()),
                nullToEmpty(s.result()),
                s.mainPid().isPresent() && s.mainPid().getAsLong() > 0
                        ? s.mainPid()
                        : OptionalLong.empty(),
                s.activeEnterTimestamp(),
                uptime,
                s.nRestarts(),
                s.memoryCurrent(),
                dirs,
                queue);
    }

    private Duration since(Instant t) {
        Duration d = Duration.between(t, clock.instant());
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** "hyper2kvm@a.service" -> "a"; "hyper2kvm.service" -> empty. */
    static Optional<String> instanceOf(String unitId) {
        int at = unitId.indexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        String rest = unitId.substring(at + 1);
        return Optional.of(
                rest.endsWith(".service")
                        ? rest.substring(0, rest.length() - ".service".length())
                        : rest);
    }

    private static boolean isTemplate(String unitId) {
        return unitId.endsWith("@.service");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
