package io.hypersdk.core.spool;

import io.hypersdk.core.settings.QueueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The directories a spool of one {@link QueueLayout} has under its watch directory (DESIGN.md
 * "Daemon mode: spool layouts"). Pure path arithmetic: nothing is read or created.
 *
 * <table>
 *   <caption>directories per layout</caption>
 *   <tr><th>layout</th><th>submit</th><th>claimed</th><th>processed</th><th>failed</th></tr>
 *   <tr><td>workflow</td><td>{@code to_be_processed/}</td><td>{@code processing/}</td>
 *       <td>{@code processed/}</td><td>{@code failed/}</td></tr>
 *   <tr><td>flat</td><td>the watch dir</td><td>-</td><td>-</td><td>-</td></tr>
 *   <tr><td>disk-watch</td><td>the watch dir</td><td>-</td><td>{@code .processed/}</td>
 *       <td>{@code .errors/}</td></tr>
 * </table>
 *
 * @param layout the layout
 * @param watchDir the watch directory
 */
public record SpoolPaths(QueueLayout layout, Path watchDir) {

    /** workflow: where submissions wait. */
    public static final String TO_BE_PROCESSED = "to_be_processed";

    /** workflow: where the daemon moves a job it claims. */
    public static final String PROCESSING = "processing";

    /** workflow: finished jobs, in {@code <date>/} subdirectories. */
    public static final String PROCESSED = "processed";

    /** workflow: failed jobs, in {@code <date>/} subdirectories. */
    public static final String FAILED = "failed";

    /** disk-watch: converted inputs, in {@code <date>/} subdirectories. */
    public static final String DOT_PROCESSED = ".processed";

    /** disk-watch: one {@code <input>.error.json} per failed input. */
    public static final String DOT_ERRORS = ".errors";

    /**
     * Checks for nulls.
     *
     * @throws NullPointerException for a null argument
     */
    public SpoolPaths {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(watchDir, "watchDir");
    }

    /**
     * The spool of {@code layout} under {@code watchDir}.
     *
     * @param layout the layout
     * @param watchDir the watch directory
     * @return the paths
     */
    public static SpoolPaths of(QueueLayout layout, Path watchDir) {
        return new SpoolPaths(layout, watchDir);
    }

    /**
     * Where a submission is published.
     *
     * @return {@code <watch>/to_be_processed} for workflow, else the watch directory
     */
    public Path submitDir() {
        return layout == QueueLayout.WORKFLOW ? watchDir.resolve(TO_BE_PROCESSED) : watchDir;
    }

    /**
     * Where the daemon keeps the jobs it has claimed.
     *
     * @return {@code <watch>/processing} for workflow; empty for layouts without an on-disk claim
     */
    public Optional<Path> claimDir() {
        return layout == QueueLayout.WORKFLOW
                ? Optional.of(watchDir.resolve(PROCESSING))
                : Optional.empty();
    }

    /**
     * Where the daemon moves finished inputs.
     *
     * @return {@code processed/} (workflow), {@code .processed/} (disk-watch); empty for flat
     */
    public Optional<Path> processedDir() {
        return switch (layout) {
            case WORKFLOW -> Optional.of(watchDir.resolve(PROCESSED));
            case DISK_WATCH -> Optional.of(watchDir.resolve(DOT_PROCESSED));
            case FLAT -> Optional.empty();
        };
    }

    /**
     * Where the daemon records failed inputs.
     *
     * @return {@code failed/} (workflow), {@code .errors/} (disk-watch); empty for flat
     */
    public Optional<Path> failedDir() {
        return switch (layout) {
            case WORKFLOW -> Optional.of(watchDir.resolve(FAILED));
            case DISK_WATCH -> Optional.of(watchDir.resolve(DOT_ERRORS));
            case FLAT -> Optional.empty();
        };
    }

    /**
     * The directories whose presence shows that a watch directory is a spool of this layout (for
     * recognising a spool of another layout).
     *
     * @return {@code to_be_processed/} (workflow), {@code .processed/} and {@code .errors/}
     *     (disk-watch); none for flat, which is recognised by its files
     */
    public List<Path> markerDirs() {
        return switch (layout) {
            case WORKFLOW -> List.of(watchDir.resolve(TO_BE_PROCESSED));
            case DISK_WATCH ->
                    List.of(watchDir.resolve(DOT_PROCESSED), watchDir.resolve(DOT_ERRORS));
            case FLAT -> List.of();
        };
    }
}
