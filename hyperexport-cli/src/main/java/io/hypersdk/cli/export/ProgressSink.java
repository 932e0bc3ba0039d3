package io.hypersdk.cli.export;

import java.time.Duration;
import java.util.Optional;

/** What the progress display is told; fed from the libraries' progress events. */
interface ProgressSink {
    void phase(String phase, String detail);

    void transfer(
            String item,
            long bytesDone,
            long bytesTotal,
            double bytesPerSecond,
            Optional<Duration> eta);

    void notice(String level, String message);

    /** Ends the display (final bars, newline); idempotent. */
    void close();

    ProgressSink NONE =
            new ProgressSink() {
                @Override
                public void phase(String phase, String detail) {}

                @Override
                public void transfer(
                        String item, long done, long total, double bps, Optional<Duration> eta) {}

                @Override
                public void notice(String level, String message) {}

                @Override
                public void close() {}
            };
}
