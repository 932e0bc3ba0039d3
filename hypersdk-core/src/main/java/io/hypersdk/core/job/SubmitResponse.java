package io.hypersdk.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The answer to {@code POST /jobs/submit}.
 *
 * @param jobIds ids of the accepted jobs ({@code job_ids})
 * @param accepted how many were accepted ({@code accepted})
 * @param rejected how many were rejected ({@code rejected})
 * @param errors one message per rejected job ({@code errors}, written when not empty)
 * @param timestamp when ({@code timestamp})
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"job_ids", "accepted", "rejected", "errors", "timestamp"})
public record SubmitResponse(
        @JsonProperty("job_ids") @JsonInclude(JsonInclude.Include.ALWAYS) List<String> jobIds,
        @JsonProperty("accepted") @JsonInclude(JsonInclude.Include.ALWAYS) int accepted,
        @JsonProperty("rejected") @JsonInclude(JsonInclude.Include.ALWAYS) int rejected,
        @JsonProperty("errors") List<String> errors,
        @JsonProperty("timestamp") Instant timestamp) {

    /** Checks for nulls and copies the lists. */
    public SubmitResponse {
        jobIds = Jobs.list(jobIds);
        errors = Jobs.list(errors);
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
