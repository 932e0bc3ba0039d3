package io.hypersdk.provider.spi;

import io.hypersdk.core.io.ArchivedDisk;
import io.hypersdk.core.manifest.ArtifactManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an export wrote.
 *
 * @param manifest the Artifact Manifest written to {@code manifestPath}
 * @param manifestPath the manifest file ({@code <output>/artifact-manifest.json})
 * @param files every file written (disks, descriptor, archive), manifest excluded
 * @param totalBytes the sum of the sizes of {@code files}
 * @param duration how long the export took
 * @param inArchive the disks left inside their source archive (only when the request asked {@link
 *     ExportRequest#leaveDisksInArchive()}); their manifest {@code local_path} is the archive, so a
 *     reader must use these values, never the manifest alone
 */
public record ExportResult(
        ArtifactManifest manifest,
        Path manifestPath,
        List<Path> files,
        long totalBytes,
        Duration duration,
        List<ArchivedDisk> inArchive) {
    public ExportResult {
        inArchive = List.copyOf(inArchive);
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(manifestPath, "manifestPath");
        Objects.requireNonNull(duration, "duration");
        files = List.copyOf(files);
        if (totalBytes < 0) {
            throw new IllegalArgumentException(
                    "ExportResult.totalBytes must be >= 0 (got " + totalBytes + ")");
        }
    }

    /** A result whose disks were all copied. */
    public ExportResult(
            ArtifactManifest manifest,
            Path manifestPath,
            List<Path> files,
            long totalBytes,
            Duration duration) {
        this(manifest, manifestPath, files, totalBytes, duration, List.of());
    }

    /** The manifest's file name inside the output directory. */
    public static final String MANIFEST_FILE_NAME = "artifact-manifest.json";
}
