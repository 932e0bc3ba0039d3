package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.core.spool.SpoolDirectories;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What hyperctl reports about one daemon instance: systemd's view of the unit, the directories and
 * layout its Environment declares, and its queue.
 *
 * @param name instance name ("default" for {@code hyper2kvm.service})
 * @param service the unit name
 * @param uptime time since the unit became active; empty when it is not active
 * @param directories the spool the unit declares; empty when its Environment is unusable ({@code
 *     queue.problem()} says why)
 */
record InstanceReport(
        String name,
        String service,
        String loadState,
        String activeState,
        String subState,
        String unitFileState,
        String result,
        OptionalLong mainPid,
        Optional<Instant> activeSince,
        Optional<Duration> uptime,
        long restarts,
        OptionalLong memoryBytes,
        Optional<SpoolDirectories> directories,
        QueueSnapshot queue) {

    InstanceReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(directories, "directories");
        Objects.requireNonNull(queue, "queue");
    }

    boolean isActive() {
        return "active".equals(activeState) || "reloading".equals(activeState);
    }

    /** "active/running", "failed/failed", ... */
    String state() {
        return activeState + "/" + subState;
    }
}
