package io.hypersdk.core.progress;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Bytes moved for one item (a disk download, a copy).
 *
 * @param item what is being transferred, for example a disk file name
 * @param bytesDone bytes transferred so far, {@code >= 0}
 * @param bytesTotal total bytes if known, else {@code -1}
 * @param bytesPerSecond current rate, {@code >= 0}
 * @param eta estimated time left, empty when unknown
 */
public record TransferProgress(
        String item, long bytesDone, long bytesTotal, double bytesPerSecond, Optional<Duration> eta)
        implements ProgressEvent {
    /** Checks nulls and ranges. */
    public TransferProgress {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(eta, "eta");
        if (bytesDone < 0) {
            throw new IllegalArgumentException("bytesDone must be >= 0 (got: " + bytesDone + ")");
        }
        if (bytesTotal < -1) {
            throw new IllegalArgumentException(
                    "bytesTotal must be >= -1 (got: " + bytesTotal + ")");
        }
        if (!(bytesPerSecond >= 0)) {
            throw new IllegalArgumentException(
                    "bytesPerSecond must be >= 0 (got: " + bytesPerSecond + ")");
        }
    }

    /**
     * Fraction done in [0, 1], or empty when the total is unknown.
     *
     * @return the fraction done
     */
    public Optional<Double> fraction() {
        if (bytesTotal < 0) {
            return Optional.empty();
        }
        if (bytesTotal == 0) {
            return Optional.of(1.0);
        }
        return Optional.of(Math.min(1.0, (double) bytesDone / bytesTotal));
    }
}
