package io.hypersdk.cli.ctl.daemon;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The state of one spool at the moment it was read.
 *
 * @param waiting jobs submitted and not yet claimed; empty when the spool could not be read
 * @param inProgress jobs claimed by the daemon; empty when the layout has no on-disk claim
 * @param oldestWaiting age of the oldest waiting job (from its modification time)
 * @param problem why the spool could not be read, with the fix
 * @param note something the reader should know (e.g. the layout has no on-disk claim)
 */
record QueueSnapshot(
        OptionalInt waiting,
        OptionalInt inProgress,
        Optional<Duration> oldestWaiting,
        Optional<String> problem,
        Optional<String> note) {

    static QueueSnapshot unreadable(String problem) {
        return new QueueSnapshot(
                OptionalInt.empty(),
                OptionalInt.empty(),
                Optional.empty(),
                Optional.of(problem),
                Optional.empty());
    }
}
