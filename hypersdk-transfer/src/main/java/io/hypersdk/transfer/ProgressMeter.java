package io.hypersdk.transfer;

import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Progress of one file: bytes done (never above the total, reset when a transfer starts over), a
 * smoothed rate, an ETA. Emits at most once per interval, plus the final 100 %.
 */
final class ProgressMeter {
    private final String item;
    private final ProgressListener listener;
    private final Clock clock;
    private final long intervalMillis;
    private long total = -1;
    private long done;
    private long lastEmitMillis;
    private long lastEmitDone;
    private double rate;

    ProgressMeter(String item, ProgressListener listener, Clock clock, Duration interval) {
        this.item = item;
        this.listener = listener;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
    }

    /** A transfer (re)starts at {@code offset} of {@code total} bytes ({@code -1} = unknown). */
    void start(long offset, long total) {
        this.total = total;
        this.done = clamp(offset);
        this.lastEmitMillis = clock.millis();
        this.lastEmitDone = done;
        emit();
    }

    void advance(long bytes) {
        done = clamp(done + bytes);
        long now = clock.millis();
        long elapsed = now - lastEmitMillis;
        if (elapsed >= intervalMillis) {
            double sample = (done - lastEmitDone) * 1000.0 / Math.max(1, elapsed);
            rate = rate == 0 ? sample : 0.7 * rate + 0.3 * sample;
            lastEmitMillis = now;
            lastEmitDone = done;
            emit();
        }
    }

    void finish(long size) {
        total = size;
        done = size;
        emit();
    }

    long done() {
        return done;
    }

    private long clamp(long v) {
        return total >= 0 ? Math.min(v, total) : v;
    }

    private void emit() {
        Optional<Duration> eta = Optional.empty();
        if (total >= 0 && rate > 0) {
            eta = Optional.of(Duration.ofMillis((long) ((total - done) * 1000.0 / rate)));
        } else if (total >= 0 && done == total) {
            eta = Optional.of(Duration.ZERO);
        }
        listener.onEvent(new TransferProgress(item, done, total, rate, eta));
    }
}
