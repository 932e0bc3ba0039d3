package io.hypersdk.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.UnsafeArchiveException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking the native export's {@code disk.raw} from real GNU tar archives. */
class GceTarballTest {
    @TempDir static Path images;
    static Path raw;

    @TempDir Path dir;

    @BeforeAll
    static void makeImage() throws Exception {
        assumeTrue(GceImages.toolsAvailable(), "qemu-img, qemu-io and GNU tar are needed");
        raw = GceImages.raw(images.resolve("disk.raw"), 1, new long[] {4096, 512L << 20}, 3 << 20);
    }

    @Test
    void anOldGnuSparseMemberBecomesAnIdenticalSparseImage() throws Exception {
        Path tgz = GceImages.tarball(raw, dir.resolve("x.tar.gz"));
        Path out = dir.resolve("out.raw");
        assertThat(GceTarball.unpack(tgz, out, 1L << 30, "gs://b/x.tar.gz")).isEqualTo(1L << 30);
        assertThat(Files.mismatch(raw, out)).isEqualTo(-1L);
        assertThat(Long.parseLong(GceImages.run("stat", "-c", "%b", out.toString()).strip()) * 512)
                .isLessThan(32L << 20);
    }

    @Test
    void aPlainMemberIsUnpackedToo() throws Exception {
        Path small = GceImages.raw(dir.resolve("small.raw"), 1, new long[] {0}, 1 << 20);
        Path d = Files.createDirectory(dir.resolve("d"));
        Files.move(small, d.resolve("disk.raw"));
        Path tgz = dir.resolve("plain.tar.gz");
        GceImages.run(
                "tar", "--format=gnu", "-C", d.toString(), "-czf", tgz.toString(), "disk.raw");
        Path out = dir.resolve("out.raw");
        GceTarball.unpack(tgz, out, 1L << 30, "gs://b/plain.tar.gz");
        assertThat(Files.mismatch(d.resolve("disk.raw"), out)).isEqualTo(-1L);
    }

    @Test
    void aMemberLargerThanTheDiskIsRefused() throws Exception {
        Path tgz = GceImages.tarball(raw, dir.resolve("x.tar.gz"));
        assertThatThrownBy(
                        () ->
                                GceTarball.unpack(
                                        tgz, dir.resolve("out.raw"), 512L << 20, "gs://b/x.tar.gz"))
                .isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("gs://b/x.tar.gz")
                .hasMessageContaining("more than the disk's 536870912");
    }

    @Test
    void aTarballWithoutDiskRawNamesTheAlternative() throws Exception {
        Path d = Files.createDirectory(dir.resolve("d"));
        Files.writeString(d.resolve("other.txt"), "not a disk");
        Path tgz = dir.resolve("other.tar.gz");
        GceImages.run("tar", "-C", d.toString(), "-czf", tgz.toString(), "other.txt");
        assertThatThrownBy(
                        () ->
                                GceTarball.unpack(
                                        tgz,
                                        dir.resolve("out.raw"),
                                        1L << 30,
                                        "gs://b/other.tar.gz"))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("holds no disk.raw")
                .hasMessageContaining("format=vmdk");
    }

    @Test
    void aTruncatedTarballIsRefused() throws Exception {
        Path tgz = GceImages.tarball(raw, dir.resolve("x.tar.gz"));
        byte[] all = Files.readAllBytes(tgz);
        Path cut = dir.resolve("cut.tar.gz");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(
                        () ->
                                GceTarball.unpack(
                                        cut, dir.resolve("out.raw"), 1L << 30, "gs://b/cut.tar.gz"))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("gs://b/cut.tar.gz");
    }
}
