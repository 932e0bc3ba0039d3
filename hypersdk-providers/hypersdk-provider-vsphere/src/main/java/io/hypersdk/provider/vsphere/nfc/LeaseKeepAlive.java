package io.hypersdk.provider.vsphere.nfc;

import io.hypersdk.provider.vsphere.soap.VimFaultException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code HttpNfcLeaseProgress} every {@code interval} while a transfer runs, so that the
 * lease does not time out. When the server answers with a fault (the lease expired or went into
 * error) the failure is kept and {@code onFailure} runs once (it stops the transfer).
 */
final class LeaseKeepAlive implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeepAlive.class);

    private final ScheduledExecutorService timer;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final AtomicInteger sent = new AtomicInteger();

    private LeaseKeepAlive(
            NfcLease lease, Duration interval, IntSupplier percent, Runnable onFailure) {
        timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t =
                                    new Thread(r, "vsphere-lease-keepalive-" + lease.ref().value());
                            t.setDaemon(true);
                            return t;
                        });
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(
                () -> {
                    if (failure.get() != null) {
                        return;
                    }
                    try {
                        lease.progress(percent.getAsInt());
                        sent.incrementAndGet();
                    } catch (VimFaultException e) {
                        LOG.warn(
                                "vSphere export lease {} refused the keep-alive: {}",
                                lease.ref().value(),
                                e.getMessage());
                        if (failure.compareAndSet(null, e)) {
                            onFailure.run();
                        }
                    } catch (RuntimeException e) {
                        // a transport hiccup: the next tick tries again; the lease timeout is
                        // several intervals
                        LOG.debug(
                                "keep-alive of lease {} failed: {}",
                                lease.ref().value(),
                                e.getMessage());
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
    }

    static LeaseKeepAlive start(
            NfcLease lease, Duration interval, IntSupplier percent, Runnable onFailure) {
        return new LeaseKeepAlive(lease, interval, percent, onFailure);
    }

    /**
     * The interval for a lease timeout: a third of it, between 200 ms and 60 s (60 s when unknown).
     */
    static Duration intervalFor(Optional<Duration> leaseTimeout) {
        Duration d = leaseTimeout.map(t -> t.dividedBy(3)).orElse(Duration.ofSeconds(60));
        if (d.compareTo(Duration.ofMillis(200)) < 0) {
            return Duration.ofMillis(200);
        }
        return d.compareTo(Duration.ofSeconds(60)) > 0 ? Duration.ofSeconds(60) : d;
    }

    Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure.get());
    }

    int progressCallsSent() {
        return sent.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
