package io.hypersdk.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Optional;

/**
 * How far a running job is ({@code progress}).
 *
 * @param phase current phase, e.g. {@code export} ({@code phase})
 * @param currentFile the file being transferred ({@code current_file})
 * @param filesDownloaded files done ({@code files_downloaded})
 * @param totalFiles files in total ({@code total_files})
 * @param bytesDownloaded bytes done ({@code bytes_downloaded})
 * @param totalBytes bytes in total ({@code total_bytes})
 * @param percentComplete 0-100 ({@code percent_complete})
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({
    "phase",
    "current_file",
    "files_downloaded",
    "total_files",
    "bytes_downloaded",
    "total_bytes",
    "percent_complete"
})
public record JobProgress(
        @JsonProperty("phase") Optional<String> phase,
        @JsonProperty("current_file") Optional<String> currentFile,
        @JsonProperty("files_downloaded") int filesDownloaded,
        @JsonProperty("total_files") int totalFiles,
        @JsonProperty("bytes_downloaded") long bytesDownloaded,
        @JsonProperty("total_bytes") long totalBytes,
        @JsonProperty("percent_complete") double percentComplete) {

    /** Replaces nulls by empty and checks ranges. */
    public JobProgress {
        phase = Jobs.opt(phase);
        currentFile = Jobs.opt(currentFile);
        if (filesDownloaded < 0 || totalFiles < 0 || bytesDownloaded < 0 || totalBytes < 0) {
            throw new IllegalArgumentException("job progress counts must be non-negative");
        }
        if (!(percentComplete >= 0 && percentComplete <= 100)) {
            throw new IllegalArgumentException(
                    "percent_complete must be between 0 and 100 (got: " + percentComplete + ")");
        }
    }
}
