package io.hypersdk.provider.spi;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskChecksums;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A disk file a previous export of the same VM wrote into the output directory, as its Artifact
 * Manifest recorded it. A re-run keeps such a file instead of fetching it again when it is still
 * complete and unchanged ({@link #keep}): the resume rule of the one overwrite policy (a previous
 * export of the same VM is resumed; see {@link ExportDirectory}).
 *
 * @param bytes the size the manifest recorded
 * @param sha256 the SHA-256 the manifest recorded, 64 lower-case hex digits
 */
public record PreviousFile(long bytes, String sha256) {
    private static final Logger LOG = LoggerFactory.getLogger(PreviousFile.class);
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public PreviousFile {
        Objects.requireNonNull(sha256, "sha256");
        if (bytes < 0 || !HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException(
                    "a previous file needs a size >= 0 and a SHA-256 of 64 lower-case hex digits (got "
                            + bytes
                            + ", '"
                            + sha256
                            + "')");
        }
    }

    /**
     * The disk files of {@code previous} (the manifest found in {@code dir}) that lie directly in
     * {@code dir} and carry a SHA-256, by file name. A disk without a checksum (exported with
     * checksums off, or made of several files) is not listed: it cannot be proved unchanged and is
     * fetched again.
     *
     * @param previous the previous export's manifest, never null
     * @param dir the output directory, never null
     */
    public static Map<String, PreviousFile> of(ArtifactManifest previous, Path dir) {
        Objects.requireNonNull(previous, "previous");
        Path d = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
        Map<String, PreviousFile> out = new LinkedHashMap<>();
        for (DiskArtifact disk : previous.disks()) {
            Path p = disk.localPath().toAbsolutePath().normalize();
            Optional<String> sum =
                    disk.checksum()
                            .filter(c -> c.startsWith(DiskChecksums.PREFIX))
                            .map(c -> c.substring(DiskChecksums.PREFIX.length()))
                            .map(h -> h.toLowerCase(Locale.ROOT))
                            .filter(h -> HEX.matcher(h).matches());
            if (d.equals(p.getParent()) && sum.isPresent()) {
                out.put(p.getFileName().toString(), new PreviousFile(disk.bytes(), sum.get()));
            }
        }
        return Map.copyOf(out);
    }

    /**
     * Whether {@code target} can be kept instead of fetched again: the request lists it as a
     * previous file, it is a regular file (not a link) of the recorded size, the size and checksum
     * the source declares (when it declares them) are the recorded ones, and its SHA-256, read
     * again now, is the recorded one. A file that fails any of these is fetched again (and
     * replaced); a missing one is simply fetched.
     *
     * @param request the export request, never null
     * @param target where the provider would write the file, never null
     * @param declaredBytes the file's size as the source declares it, if it does
     * @param declaredSha256 the file's SHA-256 as the source declares it (hex), if it does
     * @param listener told of a kept file ({@code kept NAME from the previous export ...} and its
     *     transfer as complete), never null
     * @param cancellation stops the re-hash, never null
     * @return the kept file as the previous manifest recorded it, or empty: fetch it
     */
    public static Optional<PreviousFile> keep(
            ExportRequest request,
            Path target,
            OptionalLong declaredBytes,
            Optional<String> declaredSha256,
            ProgressListener listener,
            Cancellation cancellation) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(target, "target");
        PreviousFile recorded = request.previousFiles().get(target.getFileName().toString());
        if (recorded == null || !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (declaredBytes.isPresent() && declaredBytes.getAsLong() != recorded.bytes()) {
            LOG.info("{}: the source now declares another size; fetching it again", target);
            return Optional.empty();
        }
        if (declaredSha256.isPresent()
                && !declaredSha256.get().equalsIgnoreCase(recorded.sha256())) {
            LOG.info("{}: the source now declares another SHA-256; fetching it again", target);
            return Optional.empty();
        }
        try {
            if (Files.size(target) != recorded.bytes()) {
                LOG.info("{}: not of the recorded size (incomplete?); fetching it again", target);
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        String now =
                DiskChecksums.sha256(target, cancellation).substring(DiskChecksums.PREFIX.length());
        if (!now.equals(recorded.sha256())) {
            LOG.info(
                    "{}: its SHA-256 changed since the previous export; fetching it again", target);
            return Optional.empty();
        }
        String name = target.getFileName().toString();
        listener.onEvent(
                new PhaseChanged(
                        Phase.EXPORT,
                        "kept " + name + " from the previous export (size and SHA-256 unchanged)"));
        listener.onEvent(
                new TransferProgress(
                        name, recorded.bytes(), recorded.bytes(), 0, Optional.empty()));
        return Optional.of(recorded);
    }
}
