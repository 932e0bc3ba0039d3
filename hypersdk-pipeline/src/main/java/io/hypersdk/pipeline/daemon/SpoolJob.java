package io.hypersdk.pipeline.daemon;

import io.hypersdk.core.JobId;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one job stands in a {@code workflow} spool, found by its id alone ({@link
 * DaemonSpool#find(JobId)}): for {@code hyperctl job status}, and for an exporter that finds its
 * job already submitted.
 *
 * @param jobId the job
 * @param state where it is
 * @param file the job's manifest in the spool (empty when unknown)
 * @param images the images the daemon wrote (only when converted)
 * @param error the daemon's error record (only when failed)
 */
public record SpoolJob(
        JobId jobId, State state, Optional<Path> file, List<Path> images, Optional<String> error) {

    /** Where a job is. */
    public enum State {
        /** waiting in {@code to_be_processed/}. */
        QUEUED("queued"),
        /** claimed by a daemon: in {@code processing/}. */
        RUNNING("running"),
        /** answered in {@code processed/<date>/}, its images written. */
        CONVERTED("converted"),
        /** answered in {@code failed/<date>/}. */
        FAILED("failed"),
        /** the spool holds no job of that id. */
        UNKNOWN("unknown");

        private final String id;

        State(String id) {
            this.id = id;
        }

        /**
         * @return the text form (JSON, messages)
         */
        public String id() {
            return id;
        }

        /**
         * @return whether a daemon will still act on it (queued or running)
         */
        public boolean pending() {
            return this == QUEUED || this == RUNNING;
        }
    }

    /** Checks for nulls and copies the list. */
    public SpoolJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(file, "file");
        images = List.copyOf(images);
        Objects.requireNonNull(error, "error");
    }
}
