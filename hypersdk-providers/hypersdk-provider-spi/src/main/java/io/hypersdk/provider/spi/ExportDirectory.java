package io.hypersdk.provider.spi;

import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What an output directory holds before an export writes into it, for the one overwrite rule: a
 * missing or empty directory is used; a previous export of the same VM (its Artifact Manifest names
 * the VM) is resumed; anything else is refused unless the caller asked to overwrite.
 */
public enum ExportDirectory {
    /** Missing, or an empty directory. */
    EMPTY,
    /** Holds an Artifact Manifest of an export of the same VM. */
    PREVIOUS_EXPORT,
    /** Holds files that are not a previous export of this VM (a user's files, another VM). */
    FOREIGN;

    /**
     * Classifies {@code dir} for an export of {@code vmName}.
     *
     * @param dir the output directory, never null (it may not exist)
     * @param vmName the VM's name as the provider describes it, never null
     * @return what the directory holds
     * @throws UncheckedIOException naming the directory when it cannot be listed
     */
    public static ExportDirectory of(Path dir, String vmName) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(vmName, "vmName");
        if (!Files.isDirectory(dir)) {
            return EMPTY;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                return EMPTY;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot list the output directory " + dir + ": " + e.getMessage(), e);
        }
        Path manifest = dir.resolve(ExportResult.MANIFEST_FILE_NAME);
        if (!Files.isRegularFile(manifest)) {
            return FOREIGN;
        }
        try {
            ArtifactManifest m = ManifestCodec.read(manifest);
            boolean same =
                    m.source().flatMap(ManifestSource::vmName).filter(vmName::equals).isPresent();
            return same ? PREVIOUS_EXPORT : FOREIGN;
        } catch (RuntimeException e) {
            return FOREIGN; // an unreadable manifest is not proof of a previous export
        }
    }
}
