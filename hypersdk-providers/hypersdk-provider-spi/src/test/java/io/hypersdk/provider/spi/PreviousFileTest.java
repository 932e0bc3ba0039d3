package io.hypersdk.provider.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskChecksums;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resume rule: which files of a previous export a provider keeps instead of fetching. */
class PreviousFileTest {
    @TempDir Path out;
    private Path disk;
    private String sha;
    private ExportRequest request;
    private final List<ProgressEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void aPreviousExportWithOneDisk() throws IOException {
        disk = Files.write(out.resolve("vm-disk-0.vmdk"), new byte[] {1, 2, 3, 4, 5});
        sha = DiskChecksums.sha256(disk).substring("sha256:".length());
        ArtifactManifest previous =
                ArtifactManifest.builder()
                        .addDisk(disk("disk-0", disk, Optional.of("sha256:" + sha)))
                        .addDisk(disk("disk-1", out.resolve("no-sum.vmdk"), Optional.empty()))
                        .addDisk(
                                disk(
                                        "disk-2",
                                        out.resolveSibling("elsewhere.vmdk"),
                                        Optional.of("sha256:" + sha)))
                        .build();
        request =
                ExportRequest.builder("vm", out)
                        .previousFiles(PreviousFile.of(previous, out))
                        .build();
    }

    private static DiskArtifact disk(String id, Path path, Optional<String> checksum) {
        DiskArtifact.Builder b =
                DiskArtifact.builder()
                        .id(id)
                        .sourceFormat(DiskFormat.VMDK)
                        .bytes(5)
                        .localPath(path)
                        .bootOrderHint(0);
        checksum.ifPresent(b::checksum);
        return b.build();
    }

    private Optional<PreviousFile> keep(OptionalLong size, Optional<String> declared) {
        return PreviousFile.keep(request, disk, size, declared, events::add, Cancellation.none());
    }

    @Test
    void onlyDisksInTheOutputDirectoryWithAChecksumAreCandidates() {
        assertThat(request.previousFiles())
                .isEqualTo(Map.of("vm-disk-0.vmdk", new PreviousFile(5, sha)));
    }

    @Test
    void anUnchangedFileIsKeptAndReported() {
        assertThat(keep(OptionalLong.of(5), Optional.of(sha.toUpperCase())))
                .contains(new PreviousFile(5, sha));
        assertThat(events)
                .filteredOn(PhaseChanged.class::isInstance)
                .extracting(e -> ((PhaseChanged) e).detail())
                .containsExactly(
                        "kept vm-disk-0.vmdk from the previous export (size and SHA-256 unchanged)");
    }

    @Test
    void aChangedByteASizeOrChecksumTheSourceNowDeclaresOtherwiseOrALinkIsFetchedAgain()
            throws IOException {
        assertThat(keep(OptionalLong.of(6), Optional.empty())).isEmpty();
        assertThat(keep(OptionalLong.empty(), Optional.of("0".repeat(64)))).isEmpty();

        Files.write(disk, new byte[] {1, 2, 9, 4, 5});
        assertThat(keep(OptionalLong.of(5), Optional.empty())).isEmpty();

        Path real = Files.write(out.resolve("real"), new byte[] {1, 2, 3, 4, 5});
        Files.delete(disk);
        Files.createSymbolicLink(disk, real);
        assertThat(keep(OptionalLong.of(5), Optional.empty())).isEmpty();

        Files.delete(disk);
        assertThat(keep(OptionalLong.of(5), Optional.empty())).isEmpty();
        assertThat(events).isEmpty();
    }
}
