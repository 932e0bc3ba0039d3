package io.hypersdk.server;

import io.hypersdk.core.job.JobStatus;
import java.util.Locale;

/**
 * The server's job states: the web API's five plus {@code interrupted} (the server stopped while
 * the job was running; what it had written is kept).
 */
enum JobState {
    PENDING,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED,
    INTERRUPTED;

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static JobState parse(String text) {
        for (JobState s : values()) {
            if (s.id().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown job status \""
                        + text
                        + "\": use one of pending, running, completed, failed, cancelled, interrupted");
    }

    boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }

    /**
     * The closest state of the web API's model ({@code interrupted} is reported as failed there).
     */
    JobStatus apiStatus() {
        return this == INTERRUPTED ? JobStatus.FAILED : JobStatus.valueOf(name());
    }
}
