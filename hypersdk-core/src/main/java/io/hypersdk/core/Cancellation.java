package io.hypersdk.core;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread-safe cancellation token handed to long-running operations.
 *
 * <p>The caller keeps the token and calls {@link #cancel()}; the operation polls {@link
 * #isCancelled()} / {@link #throwIfCancelled()} at safe points, or registers a callback with {@link
 * #onCancel(Runnable)} (for example to kill a child process). Cancelling is idempotent; every
 * callback runs exactly once, either on the thread that cancels or, if the token is already
 * cancelled when the callback is registered, immediately on the registering thread.
 */
public final class Cancellation {
    private static final Logger LOG = LoggerFactory.getLogger(Cancellation.class);
    private static final Cancellation NONE = new Cancellation(false);

    private final boolean cancellable;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CopyOnWriteArrayList<Callback> callbacks = new CopyOnWriteArrayList<>();

    private Cancellation(boolean cancellable) {
        this.cancellable = cancellable;
    }

    /**
     * Creates a fresh token that is not cancelled.
     *
     * @return a new token
     */
    public static Cancellation create() {
        return new Cancellation(true);
    }

    /**
     * A shared token that is never cancelled; {@link #cancel()} on it does nothing.
     *
     * @return the never-cancelled token
     */
    public static Cancellation none() {
        return NONE;
    }

    /** Cancels the token and runs every registered callback once. Idempotent. */
    public void cancel() {
        if (!cancellable || !cancelled.compareAndSet(false, true)) {
            return;
        }
        for (Callback callback : callbacks) {
            callback.runOnce();
        }
        callbacks.clear();
    }

    /**
     * Whether {@link #cancel()} has been called.
     *
     * @return true once cancelled
     */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Throws if the token is cancelled.
     *
     * @throws CancelledException when {@link #isCancelled()} is true
     */
    public void throwIfCancelled() {
        if (cancelled.get()) {
            throw new CancelledException();
        }
    }

    /**
     * Registers a callback that runs when the token is cancelled; runs it immediately if the token
     * already is. Exceptions thrown by the callback are logged and swallowed.
     *
     * @param action what to do on cancellation, never null
     * @return a registration whose {@link Registration#close()} removes the callback
     */
    public Registration onCancel(Runnable action) {
        Objects.requireNonNull(action, "action");
        Callback callback = new Callback(action);
        if (!cancellable) {
            return () -> {};
        }
        callbacks.add(callback);
        if (cancelled.get()) {
            callbacks.remove(callback);
            callback.runOnce();
        }
        return () -> callbacks.remove(callback);
    }

    @Override
    public String toString() {
        return cancellable
                ? (isCancelled() ? "Cancellation[cancelled]" : "Cancellation[active]")
                : "Cancellation[none]";
    }

    /** A registered callback; closing it removes the callback if it has not run yet. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        /** Removes the callback. Idempotent; does nothing if it already ran. */
        @Override
        void close();
    }

    private static final class Callback {
        private final Runnable action;
        private final AtomicBoolean ran = new AtomicBoolean();

        Callback(Runnable action) {
            this.action = action;
        }

        void runOnce() {
            if (ran.compareAndSet(false, true)) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("cancellation callback failed: {}", e.toString());
                }
            }
        }
    }
}
