package io.hypersdk.core.manifest;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Provenance ({@code metadata}).
 *
 * @param hypersdkVersion the writing SDK version ({@code hypersdk_version})
 * @param jobId the job that wrote it ({@code job_id}), a {@link io.hypersdk.core.JobId} string
 * @param createdAt creation time ({@code created_at}, RFC 3339)
 * @param tags free string tags ({@code tags}, written when not empty; order kept)
 */
public record ManifestMetadata(
        Optional<String> hypersdkVersion,
        Optional<String> jobId,
        Optional<Instant> createdAt,
        Map<String, String> tags) {

    /** Checks for nulls and copies the tags. */
    public ManifestMetadata {
        Objects.requireNonNull(hypersdkVersion, "hypersdkVersion");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(tags, "tags");
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        tags.forEach(
                (k, v) ->
                        copy.put(
                                Objects.requireNonNull(k, "tag key"),
                                Objects.requireNonNull(v, "tag value")));
        tags = Collections.unmodifiableMap(copy);
    }

    /**
     * Empty metadata.
     *
     * @return metadata with nothing set
     */
    public static ManifestMetadata empty() {
        return new ManifestMetadata(Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }

    /**
     * Returns a copy with {@code hypersdk_version} set.
     *
     * @param v SDK version
     * @return a copy with {@code hypersdk_version} set
     */
    public ManifestMetadata withHypersdkVersion(String v) {
        return new ManifestMetadata(Optional.of(v), jobId, createdAt, tags);
    }

    /**
     * Returns a copy with {@code job_id} set.
     *
     * @param v job id
     * @return a copy with {@code job_id} set
     */
    public ManifestMetadata withJobId(String v) {
        return new ManifestMetadata(hypersdkVersion, Optional.of(v), createdAt, tags);
    }

    /**
     * Returns a copy with {@code created_at} set.
     *
     * @param v creation time
     * @return a copy with {@code created_at} set
     */
    public ManifestMetadata withCreatedAt(Instant v) {
        return new ManifestMetadata(hypersdkVersion, jobId, Optional.of(v), tags);
    }

    /**
     * A copy with one more tag.
     *
     * @param key tag key
     * @param value tag value
     * @return the copy
     */
    public ManifestMetadata withTag(String key, String value) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(tags);
        copy.put(key, value);
        return new ManifestMetadata(hypersdkVersion, jobId, createdAt, copy);
    }
}
