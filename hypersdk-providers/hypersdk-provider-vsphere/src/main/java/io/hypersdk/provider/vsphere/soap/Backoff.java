package io.hypersdk.provider.vsphere.soap;

/**
 * The pause between two polls of a vSphere object (a task, a lease): 50 ms, doubling up to 1 s. An
 * interrupt while waiting becomes a {@link VsphereException} with the interrupt flag kept.
 *
 * <p>Module-internal: public for the module's other packages.
 */
public final class Backoff {
    private long next = 50;

    /** Sleeps the current pause, then doubles it (at most 1 s). */
    public void pause() {
        sleep(next);
        next = Math.min(next * 2, 1000);
    }

    /** Sleeps {@code millis}; an interrupt becomes a {@link VsphereException}. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VsphereException("interrupted while waiting for vSphere", e);
        }
    }
}
