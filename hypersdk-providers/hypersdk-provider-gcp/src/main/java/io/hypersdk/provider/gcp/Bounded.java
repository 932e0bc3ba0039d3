package io.hypersdk.provider.gcp;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks at most {@code limit} at a time and returns their results in task order. The first
 * failure cancels the others through {@code cancellation} and is thrown once every task has ended
 * (so each one's own cleanup, deleting its temporary image, has run); the others' failures are
 * suppressed in it, except cancellations it caused.
 */
final class Bounded {
    private Bounded() {}

    static <T> List<T> run(
            List<Callable<T>> tasks, int limit, Cancellation cancellation, String threadName) {
        if (limit <= 1 || tasks.size() <= 1) {
            List<T> out = new ArrayList<>();
            for (Callable<T> t : tasks) {
                out.add(call(t));
            }
            return out;
        }
        AtomicInteger seq = new AtomicInteger();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        Math.min(limit, tasks.size()),
                        r -> {
                            Thread t = new Thread(r, threadName + seq.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        try {
            ExecutorCompletionService<T> done = new ExecutorCompletionService<>(pool);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) {
                futures.add(done.submit(t));
            }
            RuntimeException first = null;
            for (int i = 0; i < tasks.size(); i++) {
                Future<T> f;
                try {
                    f = done.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancellation.cancel();
                    continue;
                }
                try {
                    f.get();
                } catch (ExecutionException e) {
                    RuntimeException failure = unchecked(e.getCause());
                    if (first == null) {
                        first = failure;
                        cancellation.cancel();
                    } else if (!(failure instanceof CancelledException)) {
                        first.addSuppressed(failure);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (first != null) {
                throw first;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new CancelledException("interrupted while exporting disks");
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(f.get()); // every one has completed
                } catch (ExecutionException | InterruptedException e) {
                    throw new IllegalStateException("a completed task has no result", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T call(Callable<T> t) {
        try {
            return t.call();
        } catch (Exception e) {
            throw unchecked(e);
        }
    }

    private static RuntimeException unchecked(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new io.hypersdk.provider.spi.ExportException(String.valueOf(e.getMessage()), e);
    }
}
