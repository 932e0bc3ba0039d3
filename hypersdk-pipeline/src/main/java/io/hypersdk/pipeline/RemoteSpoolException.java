package io.hypersdk.pipeline;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Remote submission ({@code hyper2kvm_remote}) cannot go ahead: the spool has no descriptor, or its
 * daemon's heartbeat is stale. Thrown before anything is exported; the fields say which spool and
 * how old the heartbeat is, the message names the fix.
 */
public final class RemoteSpoolException extends DaemonRequiredException {
    private static final long serialVersionUID = 1L;

    private final transient Path spool;
    private final transient Optional<java.time.Duration> heartbeatAge;

    /**
     * Creates the exception.
     *
     * @param spool the spool directory as this host sees it
     * @param heartbeatAge the heartbeat's age; empty when there is no descriptor
     * @param message one line naming the spool and the fix
     */
    public RemoteSpoolException(
            Path spool, Optional<java.time.Duration> heartbeatAge, String message) {
        super(message);
        this.spool = spool;
        this.heartbeatAge = heartbeatAge;
    }

    /**
     * @return the spool directory as this host sees it
     */
    public Path spool() {
        return spool;
    }

    /**
     * @return the heartbeat's age; empty when the spool has no descriptor
     */
    public Optional<java.time.Duration> heartbeatAge() {
        return heartbeatAge;
    }
}
