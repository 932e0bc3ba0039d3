package io.hypersdk.core.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much heap a benchmark's exporter JVM used, bounded from both sides: {@link #peakBytes()} sums
 * the heap pools' peaks since {@link #start()} (an upper bound: the pools peak at different
 * moments), {@link #sampledBytes()} is the largest used heap seen every 5 ms (a lower bound). The
 * AWS and Azure benchmarks print both as {@code PEAK_HEAP_BYTES} and {@code SAMPLED_HEAP_BYTES}.
 */
public final class HeapSampler implements AutoCloseable {
    private final AtomicLong sampled = new AtomicLong();
    private final Thread thread;

    private HeapSampler() {
        thread =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                sample();
                                try {
                                    Thread.sleep(5);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "heap-sampler");
        thread.setDaemon(true);
    }

    /**
     * Resets the heap pools' peaks and starts sampling.
     *
     * @return the running sampler; {@link #close()} stops it
     */
    public static HeapSampler start() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
        HeapSampler s = new HeapSampler();
        s.thread.start();
        return s;
    }

    /**
     * @return the largest used heap a sample saw, in bytes (a lower bound of the peak)
     */
    public long sampledBytes() {
        return sampled.get();
    }

    /**
     * @return the heap pools' peaks since {@link #start()}, summed, in bytes (an upper bound)
     */
    public long peakBytes() {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** Takes a last sample and stops sampling; the bounds stay readable. */
    @Override
    public void close() {
        sample();
        thread.interrupt();
    }

    private void sample() {
        sampled.accumulateAndGet(
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
    }
}
