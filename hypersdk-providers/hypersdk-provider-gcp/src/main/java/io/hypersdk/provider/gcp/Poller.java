package io.hypersdk.provider.gcp;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits between polls of a long-running Google operation: doubling from the first wait up to one
 * minute.
 */
final class Poller {
    private static final Duration MAX = Duration.ofMinutes(1);
    private Duration next;

    Poller(Duration first) {
        this.next = first;
    }

    /** Sleeps the next wait, returning early with {@link CancelledException} when cancelled. */
    void pause(Cancellation cancellation) {
        CountDownLatch latch = new CountDownLatch(1);
        try (Cancellation.Registration ignored = cancellation.onCancel(latch::countDown)) {
            latch.await(next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("interrupted while waiting for Google Cloud");
        }
        cancellation.throwIfCancelled();
        next = next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
    }
}
