package io.hypersdk.server;

import io.hypersdk.core.job.JobDefinition;
import io.hypersdk.core.job.JobProgress;
import io.hypersdk.core.job.JobResult;
import java.time.Instant;
import java.util.Optional;

/** One job as the store keeps it. */
record JobRecord(
        String id,
        JobDefinition definition,
        JobState state,
        Optional<JobProgress> progress,
        Optional<JobResult> result,
        Optional<String> error,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> completedAt,
        Instant updatedAt) {

    static JobRecord pending(String id, JobDefinition definition, Instant now) {
        return new JobRecord(
                id,
                definition,
                JobState.PENDING,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                now,
                Optional.empty(),
                Optional.empty(),
                now);
    }

    JobRecord running(Instant now) {
        return new JobRecord(
                id,
                definition,
                JobState.RUNNING,
                progress,
                result,
                error,
                createdAt,
                Optional.of(now),
                completedAt,
                now);
    }

    JobRecord withProgress(JobProgress p, Instant now) {
        return new JobRecord(
                id,
                definition,
                state,
                Optional.of(p),
                result,
                error,
                createdAt,
                startedAt,
                completedAt,
                now);
    }

    JobRecord finished(JobState s, Optional<JobResult> r, Optional<String> e, Instant now) {
        return new JobRecord(
                id, definition, s, progress, r, e, createdAt, startedAt, Optional.of(now), now);
    }

    /** Back to {@code pending} for a resume: progress, result, error and end time cleared. */
    JobRecord requeued(Instant now) {
        return new JobRecord(
                id,
                definition,
                JobState.PENDING,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                createdAt,
                Optional.empty(),
                Optional.empty(),
                now);
    }
}
