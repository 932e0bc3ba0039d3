package io.hypersdk.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A job as the web API reports it ({@code GET /jobs/{id}}).
 *
 * @param definition what was submitted ({@code definition}; its password is never written)
 * @param status the state ({@code status})
 * @param progress progress while running ({@code progress})
 * @param result the outcome once finished ({@code result})
 * @param error the failure message ({@code error})
 * @param startedAt when it started ({@code started_at})
 * @param completedAt when it finished ({@code completed_at})
 * @param updatedAt last change ({@code updated_at})
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({
    "definition",
    "status",
    "progress",
    "result",
    "error",
    "started_at",
    "completed_at",
    "updated_at"
})
public record Job(
        @JsonProperty("definition") JobDefinition definition,
        @JsonProperty("status") JobStatus status,
        @JsonProperty("progress") Optional<JobProgress> progress,
        @JsonProperty("result") Optional<JobResult> result,
        @JsonProperty("error") Optional<String> error,
        @JsonProperty("started_at") Optional<Instant> startedAt,
        @JsonProperty("completed_at") Optional<Instant> completedAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    /** Checks for nulls. */
    public Job {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(status, "status");
        progress = Jobs.opt(progress);
        result = Jobs.opt(result);
        error = Jobs.opt(error);
        startedAt = Jobs.opt(startedAt);
        completedAt = Jobs.opt(completedAt);
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * A new pending job.
     *
     * @param definition what was submitted
     * @param now the submission time
     * @return the job
     */
    public static Job pending(JobDefinition definition, Instant now) {
        return new Job(
                definition,
                JobStatus.PENDING,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                now);
    }
}
