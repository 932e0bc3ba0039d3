package io.hypersdk.pipeline.daemon;

import io.hypersdk.pipeline.ConversionOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The daemon's answer for one submission.
 *
 * @param outcome converted, failed (with the daemon's error record), timed out or cancelled
 * @param images the images the daemon wrote for this job (empty unless converted)
 * @param claimed whether the daemon had taken the job; on timeout or cancellation an unclaimed
 *     submission has been withdrawn from the spool
 * @param waited time from submission to answer
 */
public record SpoolResult(
        ConversionOutcome outcome, List<Path> images, boolean claimed, Duration waited) {
    /** Checks for nulls and copies the list. */
    public SpoolResult {
        Objects.requireNonNull(outcome, "outcome");
        images = List.copyOf(images);
        Objects.requireNonNull(waited, "waited");
    }
}
