package io.hypersdk.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.manifest.DiskFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DecompressionLimitTest {
    private static byte[] gzipZeros(int bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(new byte[bytes]);
        }
        return out.toByteArray();
    }

    @Test
    void readingPastTheDeclaredSizeFailsNamingTheMemberTheBoundAndTheBytesSeen()
            throws IOException {
        DecompressionLimit limit = DecompressionLimit.ofDeclaredSize("image.tar.gz!disk.raw", 1000);
        try (InputStream in =
                limit.bound(new GZIPInputStream(new ByteArrayInputStream(gzipZeros(1 << 20))))) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOfSatisfying(
                            DecompressionLimitException.class,
                            e -> {
                                assertThat(e.member()).isEqualTo("image.tar.gz!disk.raw");
                                assertThat(e.declaredBytes()).isEqualTo(1000);
                                assertThat(e.bytesSeen()).isGreaterThan(1000);
                                assertThat(e.getMessage())
                                        .contains(
                                                "image.tar.gz!disk.raw",
                                                "at most 1000 bytes",
                                                e.bytesSeen() + " bytes were seen");
                            });
        }
    }

    @Test
    void exactlyTheDeclaredSizeIsRead() throws IOException {
        DecompressionLimit limit = DecompressionLimit.ofDeclaredSize("m", 4096);
        try (InputStream in =
                limit.bound(new GZIPInputStream(new ByteArrayInputStream(gzipZeros(4096))))) {
            assertThat(in.readAllBytes()).hasSize(4096);
        }
    }

    @Test
    void aDiskBoundIsItsCapacityPlusTheFormatsMetadata() {
        assertThat(DecompressionLimit.forDisk("m", 1L << 20, DiskFormat.RAW).declaredBytes())
                .isEqualTo(1L << 20);
        assertThat(DecompressionLimit.forDisk("m", 1L << 20, DiskFormat.VMDK).declaredBytes())
                .isEqualTo((1L << 20) + (1L << 20) / 64 + (4L << 20));
        assertThatThrownBy(() -> DecompressionLimit.forDisk("m.gz", 0, DiskFormat.VMDK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m.gz declares no capacity");
    }

    @Test
    void aNameTooLongForTheFileSystemIsNamedAsSuch() {
        Path p = Path.of("/tmp", "x".repeat(300), "disk.vmdk");
        assertThat(
                        FileNameProblems.nameTooLong(
                                p,
                                new FileSystemException(p.toString(), null, "File name too long")))
                .hasValueSatisfying(
                        m ->
                                assertThat(m)
                                        .contains(
                                                "file name too long", "300 bytes", "at most 255"));
        Path ok = Path.of("/tmp/out/disk.vmdk");
        assertThat(
                        FileNameProblems.nameTooLong(
                                ok,
                                new FileSystemException(
                                        ok.toString(), null, "No space left on device")))
                .isEmpty();
    }
}
