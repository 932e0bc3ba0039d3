package io.hypersdk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancellationTest {

    @Test
    void cancellingRunsEveryCallbackOnceAndThrowIfCancelledThrows() {
        Cancellation c = Cancellation.create();
        AtomicInteger runs = new AtomicInteger();
        c.onCancel(runs::incrementAndGet);
        c.onCancel(runs::incrementAndGet);

        c.throwIfCancelled();
        assertThat(c.isCancelled()).isFalse();
        c.cancel();
        c.cancel();

        assertThat(runs).hasValue(2);
        assertThat(c.isCancelled()).isTrue();
        assertThatThrownBy(c::throwIfCancelled)
                .isInstanceOf(CancelledException.class)
                .isInstanceOf(HypersdkException.class)
                .hasMessage("operation cancelled");
    }

    @Test
    void aCallbackRegisteredAfterCancellationRunsImmediately() {
        Cancellation c = Cancellation.create();
        c.cancel();
        AtomicInteger runs = new AtomicInteger();

        c.onCancel(runs::incrementAndGet);

        assertThat(runs).hasValue(1);
    }

    @Test
    void aClosedRegistrationDoesNotRun() {
        Cancellation c = Cancellation.create();
        AtomicInteger runs = new AtomicInteger();
        Cancellation.Registration r = c.onCancel(runs::incrementAndGet);

        r.close();
        c.cancel();

        assertThat(runs).hasValue(0);
    }

    @Test
    void aFailingCallbackDoesNotStopTheOthers() {
        Cancellation c = Cancellation.create();
        AtomicInteger runs = new AtomicInteger();
        c.onCancel(
                () -> {
                    throw new IllegalStateException("boom");
                });
        c.onCancel(runs::incrementAndGet);

        c.cancel();

        assertThat(runs).hasValue(1);
    }

    @Test
    void noneIsNeverCancelled() {
        Cancellation none = Cancellation.none();
        AtomicInteger runs = new AtomicInteger();
        none.onCancel(runs::incrementAndGet);

        none.cancel();

        assertThat(none.isCancelled()).isFalse();
        none.throwIfCancelled();
        assertThat(runs).hasValue(0);
    }

    @Test
    void racingCancelAndRegisterRunsEachCallbackExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 200; round++) {
                Cancellation c = Cancellation.create();
                AtomicInteger runs = new AtomicInteger();
                CountDownLatch start = new CountDownLatch(1);
                CountDownLatch done = new CountDownLatch(4);
                for (int t = 0; t < 2; t++) {
                    pool.submit(
                            () -> {
                                await(start);
                                for (int i = 0; i < 50; i++) {
                                    c.onCancel(runs::incrementAndGet);
                                }
                                done.countDown();
                            });
                    pool.submit(
                            () -> {
                                await(start);
                                c.cancel();
                                done.countDown();
                            });
                }
                start.countDown();
                assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(runs).hasValue(100);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
