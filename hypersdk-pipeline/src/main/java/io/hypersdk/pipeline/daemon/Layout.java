package io.hypersdk.pipeline.daemon;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.spool.SpoolPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One spool dialect: where a job is published, how its answer and its claim look. */
abstract sealed class Layout permits WorkflowLayout, FlatLayout, DiskWatchLayout {
    final Path watchDir;
    final Path outputDir;

    Layout(Path watchDir, Path outputDir) {
        this.watchDir = watchDir;
        this.outputDir = outputDir;
    }

    static Layout of(QueueLayout layout, Path watchDir, Path outputDir) {
        return switch (layout) {
            case WORKFLOW -> new WorkflowLayout(watchDir, outputDir);
            case FLAT -> new FlatLayout(watchDir, outputDir);
            case DISK_WATCH -> new DiskWatchLayout(watchDir, outputDir);
        };
    }

    abstract QueueLayout id();

    /** This layout's directories under the watch directory (names from the core's contract). */
    final SpoolPaths paths() {
        return SpoolPaths.of(id(), watchDir);
    }

    /** Where the daemon moves finished inputs; only for layouts that have such a directory. */
    final Path processed() {
        return paths().processedDir().orElseThrow();
    }

    /** Where the daemon records failed inputs; only for layouts that have such a directory. */
    final Path failed() {
        return paths().failedDir().orElseThrow();
    }

    /** Directories whose changes may mean an answer. */
    abstract List<SpoolMonitor.Root> roots();

    /** Whether the daemon converts every disk of the manifest (else only the boot disk). */
    abstract boolean convertsAllDisks();

    /** Publishes the job atomically; returns the submission. */
    abstract SpoolSubmission submit(
            JobId jobId,
            ArtifactManifest manifest,
            Cancellation cancellation,
            java.time.Instant now,
            long nanos)
            throws IOException;

    /** The answer, if the daemon has given one for this job. */
    abstract Optional<Answer> probe(SpoolSubmission s);

    /** Whether the daemon has taken the job (it is being processed). */
    abstract boolean isClaimed(SpoolSubmission s);

    /**
     * Removes an unclaimed submission. Returns true when this call withdrew it, false when the
     * daemon had claimed it already (it is then left alone).
     */
    abstract boolean withdraw(SpoolSubmission s);

    /** Housekeeping after an answer (remove what the daemon leaves for the client to remove). */
    void afterAnswer(SpoolSubmission s, Answer a) {}

    /** The daemon's answer. */
    sealed interface Answer {
        /** Finished, with the images it wrote. */
        record Done(List<Path> images) implements Answer {}

        /** Failed, with its message. */
        record Error(String message) implements Answer {}
    }
}
