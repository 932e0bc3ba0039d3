package io.hypersdk.pipeline.daemon;

import io.hypersdk.core.JobId;
import io.hypersdk.core.settings.QueueLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * One job published into a daemon spool by {@link DaemonSpool#submit}; pass it to {@link
 * DaemonSpool#await} exactly once.
 */
public final class SpoolSubmission {
    private final JobId jobId;
    private final QueueLayout layout;
    private final Path file;
    private final Instant submittedAt;
    final long submittedNanos;

    /** flat: the expected image and error file, and the versions present before submitting. */
    final Optional<Path> expectedImage;

    final Optional<Path> expectedError;
    final Optional<String> staleImageVersion;
    final Optional<String> staleErrorVersion;

    /** flat: held from submission to answer so that one JVM never runs two jobs on one name. */
    final Optional<Semaphore> nameLock;

    /**
     * Taken over from the spool ({@link DaemonSpool#attach}), not published by this process: never
     * withdrawn on timeout, cancellation or a stopped daemon (someone else submitted it).
     */
    final boolean attached;

    /**
     * A job of a layout that finds its answer by the job id alone (workflow, disk-watch).
     *
     * @param attached taken over from the spool ({@link DaemonSpool#attach}), not published here
     */
    static SpoolSubmission of(
            JobId jobId,
            QueueLayout layout,
            Path file,
            Instant submittedAt,
            long submittedNanos,
            boolean attached) {
        return new SpoolSubmission(
                jobId,
                layout,
                file,
                submittedAt,
                submittedNanos,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                attached);
    }

    SpoolSubmission(
            JobId jobId,
            QueueLayout layout,
            Path file,
            Instant submittedAt,
            long submittedNanos,
            Optional<Path> expectedImage,
            Optional<Path> expectedError,
            Optional<String> staleImageVersion,
            Optional<String> staleErrorVersion,
            Optional<Semaphore> nameLock,
            boolean attached) {
        this.attached = attached;
        this.jobId = Objects.requireNonNull(jobId);
        this.layout = Objects.requireNonNull(layout);
        this.file = Objects.requireNonNull(file);
        this.submittedAt = Objects.requireNonNull(submittedAt);
        this.submittedNanos = submittedNanos;
        this.expectedImage = Objects.requireNonNull(expectedImage);
        this.expectedError = Objects.requireNonNull(expectedError);
        this.staleImageVersion = Objects.requireNonNull(staleImageVersion);
        this.staleErrorVersion = Objects.requireNonNull(staleErrorVersion);
        this.nameLock = Objects.requireNonNull(nameLock);
    }

    /**
     * @return the job id (the submitted file's stem and the manifest's {@code metadata.job_id})
     */
    public JobId jobId() {
        return jobId;
    }

    /**
     * @return the spool layout it was written for
     */
    public QueueLayout layout() {
        return layout;
    }

    /**
     * @return the published file (manifest, or disk for {@code disk-watch})
     */
    public Path file() {
        return file;
    }

    /**
     * @return when it was published (from the spool's clock)
     */
    public Instant submittedAt() {
        return submittedAt;
    }

    @Override
    public String toString() {
        return "SpoolSubmission[" + jobId + " " + layout.id() + " " + file + "]";
    }
}
