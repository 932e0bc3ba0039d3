package io.hypersdk.pipeline.daemon;

import io.hypersdk.core.spool.SpoolDescriptor;
import io.hypersdk.core.spool.SpoolDescriptorException;
import io.hypersdk.pipeline.RemoteSpoolException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spool whose daemon runs on another host, described by its {@link SpoolDescriptor}: opens it as
 * a {@link DaemonSpool} (layout and output directory from the descriptor, polling only, the
 * heartbeat as the liveness check), for {@code hyperctl job wait|status} and any program that waits
 * for a job it did not submit.
 *
 * <pre>{@code
 * DaemonSpool spool = RemoteSpool.open(Path.of("/mnt/spool"), Duration.ofSeconds(5), Clock.systemUTC());
 * SpoolJob job = spool.find(JobId.parse(id));
 * }</pre>
 */
public final class RemoteSpool {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteSpool.class);

    private RemoteSpool() {}

    /**
     * Reads the spool's descriptor.
     *
     * @param spoolDir the spool directory as this host sees it
     * @return the descriptor
     * @throws RemoteSpoolException when there is none or it cannot be read or used
     */
    public static SpoolDescriptor descriptor(Path spoolDir) {
        Path file = SpoolDescriptor.file(spoolDir);
        try {
            return SpoolDescriptor.read(spoolDir)
                    .orElseThrow(
                            () ->
                                    new RemoteSpoolException(
                                            spoolDir,
                                            Optional.empty(),
                                            "no spool descriptor "
                                                    + file
                                                    + ": point at the conversion host's spool as"
                                                    + " mounted here, and run its hyper2kvm-spool unit"
                                                    + " (hyperctl spool publish) there"));
        } catch (IOException e) {
            throw new RemoteSpoolException(
                    spoolDir,
                    Optional.empty(),
                    "cannot read the spool descriptor "
                            + file
                            + " ("
                            + e.getMessage()
                            + "): check that the spool is mounted on this host");
        } catch (SpoolDescriptorException e) {
            throw new RemoteSpoolException(spoolDir, Optional.empty(), e.getMessage());
        }
    }

    /**
     * Opens the spool for finding and waiting for jobs; the heartbeat is not required to be fresh
     * (a stopped daemon's finished jobs can still be read), but a wait ends when it goes stale.
     *
     * @param spoolDir the spool directory as this host sees it
     * @param pollInterval how often to look for answers
     * @param clock the clock the heartbeat is compared with
     * @return the spool
     * @throws RemoteSpoolException when it has no usable descriptor
     */
    public static DaemonSpool open(Path spoolDir, Duration pollInterval, Clock clock) {
        SpoolDescriptor d = descriptor(spoolDir);
        return DaemonSpool.builder()
                .layout(d.layout())
                .watchDir(spoolDir)
                .outputDir(d.outputDir())
                .pollInterval(pollInterval)
                .pollOnly(true)
                .clock(clock)
                .health(
                        () -> heartbeatGone(spoolDir, clock),
                        pollInterval.compareTo(Duration.ofSeconds(2)) > 0
                                ? pollInterval
                                : Duration.ofSeconds(2))
                .build();
    }

    /**
     * Why the spool's daemon counts as gone (its heartbeat is stale, or its descriptor was
     * removed); empty while the heartbeat is fresh, and while the descriptor cannot be read: a
     * network file system that is briefly away is not a stopped daemon (the daemon timeout still
     * bounds a wait).
     *
     * @param spoolDir the spool directory as this host sees it
     * @param clock the current time
     * @return the reason, or empty
     */
    public static Optional<String> heartbeatGone(Path spoolDir, Clock clock) {
        try {
            Optional<SpoolDescriptor> d = SpoolDescriptor.read(spoolDir);
            if (d.isEmpty()) {
                return Optional.of(
                        "the spool descriptor " + SpoolDescriptor.file(spoolDir) + " was removed");
            }
            Instant now = clock.instant();
            if (d.get().isFresh(now)) {
                return Optional.empty();
            }
            return Optional.of(
                    "the heartbeat of host "
                            + d.get().host()
                            + " is "
                            + d.get().age(now).toSeconds()
                            + " s old (alive means younger than "
                            + d.get().staleAfter().toSeconds()
                            + " s)");
        } catch (IOException | SpoolDescriptorException e) {
            LOG.debug("cannot read the descriptor of {}: {}", spoolDir, e.toString());
            return Optional.empty();
        }
    }
}
