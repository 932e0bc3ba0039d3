package io.hypersdk.pipeline;

import io.hypersdk.core.progress.ConverterOutput;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * hyper2kvm's progress as it really moves: it prints about one percentage per conversion (0.9 %),
 * so a bar fed from percentages sits near 0 % with an ETA of hours. Its log lines name its stages
 * instead; this listener turns them into {@link PhaseChanged} events ({@code hyper2kvm: fix, 0:42
 * elapsed}) as they happen, and drops the ETA from hyper2kvm's percentages, which cannot know one.
 */
final class ConverterStages implements ProgressListener {
    /** A stage and the fragment of hyper2kvm 0.0.2's log line that starts it. */
    private record Stage(String name, String fragment) {}

    private static final List<Stage> STAGES =
            List.of(
                    new Stage("flatten", "Flatten snapshots"),
                    new Stage("inspect", "Offline filesystem fixes"),
                    new Stage("fix", "Mounted root at"),
                    new Stage("convert", "Convert image"),
                    new Stage("validate", "Image validation"));

    private final ProgressListener next;
    private final String converter;
    private final LongSupplier nanoTime;
    private final long start;
    private int current = -1;

    ConverterStages(ProgressListener next, String converter, LongSupplier nanoTime) {
        this.next = next;
        this.converter = converter;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
    }

    /** The stage a log line starts, if any (stages only move forward). */
    static Optional<String> stageOf(String line) {
        for (Stage s : STAGES) {
            if (line.contains(s.fragment())) {
                return Optional.of(s.name());
            }
        }
        return Optional.empty();
    }

    @Override
    public void onEvent(io.hypersdk.core.progress.ProgressEvent event) {
        if (event instanceof TransferProgress t) {
            next.onEvent(
                    new TransferProgress(
                            t.item(),
                            t.bytesDone(),
                            t.bytesTotal(),
                            t.bytesPerSecond(),
                            Optional.empty()));
            return;
        }
        next.onEvent(event);
        if (event instanceof ConverterOutput o) {
            stageOf(o.line()).ifPresent(this::enter);
        }
    }

    private synchronized void enter(String stage) {
        int index = indexOf(stage);
        if (index <= current) {
            return;
        }
        current = index;
        next.onEvent(
                new PhaseChanged(
                        Phase.CONVERT,
                        converter
                                + ": "
                                + stage
                                + ", "
                                + clock(Duration.ofNanos(nanoTime.getAsLong() - start))
                                + " elapsed"));
    }

    private static int indexOf(String stage) {
        for (int i = 0; i < STAGES.size(); i++) {
            if (STAGES.get(i).name().equals(stage)) {
                return i;
            }
        }
        return -1;
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
