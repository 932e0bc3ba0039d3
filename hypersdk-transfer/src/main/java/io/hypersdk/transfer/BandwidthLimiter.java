package io.hypersdk.transfer;

/**
 * A token bucket shared by every transfer of one {@link DownloadEngine#downloadAll} call: callers
 * block in {@link #acquire(int)} so that the sum of their rates stays under the limit.
 */
final class BandwidthLimiter {
    private final long bytesPerSecond;
    private final long burstNanos;
    private long nextFreeNanos;

    BandwidthLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.burstNanos = 50_000_000L; // 50 ms of credit
        this.nextFreeNanos = System.nanoTime();
    }

    static BandwidthLimiter unlimited() {
        return new BandwidthLimiter(0);
    }

    /** Blocks until {@code bytes} may be passed on. */
    void acquire(int bytes) throws InterruptedException {
        if (bytesPerSecond <= 0 || bytes <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            if (nextFreeNanos < now - burstNanos) {
                nextFreeNanos = now - burstNanos;
            }
            nextFreeNanos += (long) (bytes * 1_000_000_000.0 / bytesPerSecond);
            waitNanos = nextFreeNanos - now;
        }
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }
}
