package io.hypersdk.core.progress;

/**
 * Receives progress events. Called on the operation's threads: implementations must be thread-safe
 * and return quickly.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores every event. */
    ProgressListener NONE = event -> {};

    /**
     * Called for every event.
     *
     * @param event the event, never null
     */
    void onEvent(ProgressEvent event);
}
