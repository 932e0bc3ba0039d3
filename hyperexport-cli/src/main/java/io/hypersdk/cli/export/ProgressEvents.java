package io.hypersdk.cli.export;

import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import java.util.Locale;

/** Feeds the libraries' progress events to a display. */
final class ProgressEvents {
    private ProgressEvents() {}

    static ProgressListener to(ProgressSink sink) {
        return event -> dispatch(sink, event);
    }

    static void dispatch(ProgressSink sink, ProgressEvent event) {
        if (event instanceof PhaseChanged p) {
            sink.phase(p.phase().name().toLowerCase(Locale.ROOT), p.detail());
        } else if (event instanceof TransferProgress t) {
            sink.transfer(
                    t.item(),
                    t.bytesDone(),
                    Math.max(0, t.bytesTotal()),
                    t.bytesPerSecond(),
                    t.eta());
        } else if (event instanceof Notice n && n.level() != Notice.Level.INFO) {
            sink.notice(n.level().name(), n.message());
        }
        // ConverterOutput lines are the converter's log, not progress: kept out of the display
    }
}
