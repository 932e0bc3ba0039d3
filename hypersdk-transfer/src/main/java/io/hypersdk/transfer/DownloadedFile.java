package io.hypersdk.transfer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A completed download.
 *
 * @param path the final file (the request's target)
 * @param bytes its size
 * @param sha256 its SHA-256, 64 lower-case hex digits
 */
public record DownloadedFile(Path path, long bytes, String sha256) {
    public DownloadedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** {@code sha256:<hex>}, the form of the manifest's {@code checksum}. */
    public String checksum() {
        return "sha256:" + sha256;
    }
}
