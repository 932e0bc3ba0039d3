package io.hypersdk.server;

import java.nio.file.Path;

/** What {@code POST /jobs/{id}/resume} did: queued the job again, or refused with a status. */
sealed interface ResumeOutcome {
    /** Queued again; it will run into {@code outputDir}. */
    record Queued(JobRecord job, Path outputDir) implements ResumeOutcome {}

    /** Not resumed: the HTTP status and why. */
    record Refused(int status, String message) implements ResumeOutcome {}
}
