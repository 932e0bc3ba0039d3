package io.hypersdk.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskChecksumsTest {
    private static final long GIB = 1L << 30;

    @TempDir Path dir;

    @Test
    void hashesKnownVectors() throws IOException {
        assertThat(DiskChecksums.sha256(Files.writeString(dir.resolve("abc"), "abc")))
                .isEqualTo(
                        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(DiskChecksums.sha256(Files.createFile(dir.resolve("empty"))))
                .isEqualTo(
                        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void verifyPassesForMatchingDisksAndListsEveryMismatch() throws IOException {
        Path a = Files.writeString(dir.resolve("a.raw"), "abc");
        Path b = Files.writeString(dir.resolve("b.raw"), "abd");
        String abc = DiskChecksums.sha256(a);
        ArtifactManifest good = ArtifactManifest.builder().addDisk(disk("a", a, abc)).build();
        ArtifactManifest bad =
                ArtifactManifest.builder()
                        .addDisk(disk("a", a, abc))
                        .addDisk(disk("b", b, abc))
                        .build();

        DiskChecksums.verify(good);
        assertThatThrownBy(() -> DiskChecksums.verify(bad))
                .isInstanceOfSatisfying(
                        ChecksumMismatchException.class,
                        e -> {
                            assertThat(e.mismatches()).hasSize(1);
                            assertThat(e.mismatches().get(0).diskId()).isEqualTo("b");
                            assertThat(e.mismatches().get(0).actual())
                                    .isEqualTo(DiskChecksums.sha256(b));
                        })
                .hasMessageStartingWith(
                        "checksum mismatch for disk \"b\" (" + b + "): expected " + abc);
    }

    @Test
    void anUnreadableDiskIsAnIoErrorNamingTheFile() {
        Path missing = dir.resolve("missing.vmdk");

        assertThatThrownBy(() -> DiskChecksums.sha256(missing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot hash " + missing + ": no such file");
    }

    @Test
    void hashingStopsWhenCancelled() throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[1024 * 1024]);
        Cancellation c = Cancellation.create();
        c.cancel();

        assertThatThrownBy(() -> DiskChecksums.sha256(file, c))
                .isInstanceOf(CancelledException.class);
    }

    @Test
    void wellFormedChecksumsAreLowerCaseSha256() {
        assertThat(DiskChecksums.isWellFormed("sha256:" + "0a".repeat(32))).isTrue();
        assertThat(DiskChecksums.isWellFormed("sha256:" + "0A".repeat(32))).isFalse();
        assertThat(DiskChecksums.isWellFormed("sha256:" + "0a".repeat(31))).isFalse();
        assertThat(DiskChecksums.isWellFormed("md5:" + "0a".repeat(32))).isFalse();
        assertThat(DiskChecksums.isWellFormed(null)).isFalse();
    }

    /**
     * The hash runs in a child JVM with {@code -Xmx64m}, so the heap bound is enforced, not
     * assumed; {@code sha256sum} hashes the same 1 GiB sparse file at the same time.
     */
    @Test
    void streamingSha256OfAOneGibSparseFileMatchesSha256sumWithA64MibHeap() throws Exception {
        Path file = dir.resolve("sparse-1g.raw");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(GIB);
            for (long offset : new long[] {0, 4096, GIB / 2 + 17, GIB - 5}) {
                raf.seek(offset);
                raf.write(("marker@" + offset).getBytes(StandardCharsets.US_ASCII), 0, 5);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child =
                new ProcessBuilder(
                                java,
                                "-Xmx64m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                Sha256Main.class.getName(),
                                file.toString())
                        .redirectError(dir.resolve("child.err").toFile())
                        .start();
        Process sha256sum =
                new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();

        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(sha256sum.waitFor(60, TimeUnit.SECONDS)).as("sha256sum finished").isTrue();
        List<String> childOut =
                List.of(
                        new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                                .strip()
                                .split("\n"));
        String expected =
                new String(sha256sum.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .split(" ")[0];

        assertThat(child.exitValue())
                .as(
                        "child output %s, errors %s",
                        childOut, Files.readString(dir.resolve("child.err")))
                .isZero();
        assertThat(Long.parseLong(childOut.get(0)))
                .as("child max heap")
                .isLessThanOrEqualTo(64L << 20);
        assertThat(childOut.get(1)).isEqualTo("sha256:" + expected);
        assertThat(expected).matches("[0-9a-f]{64}");
    }

    private static DiskArtifact disk(String id, Path path, String checksum) {
        return DiskArtifact.builder()
                .id(id)
                .sourceFormat(DiskFormat.RAW)
                .bytes(3)
                .localPath(path)
                .checksum(checksum)
                .bootOrderHint(0)
                .build();
    }
}
