package io.hypersdk.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gzip-marked disk member never inflates past what its descriptor declares (issue 14, defect 1).
 */
class DecompressionBombTest {
    @TempDir Path dir;

    /** {@code mib} MiB of zeros, gzip-compressed (about 1 KiB per MiB). */
    static byte[] zerosGzip(int mib) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < mib; i++) {
                g.write(zeros);
            }
        }
        return gz.toByteArray();
    }

    /** An OVA with one gzip-marked disk member {@code d.vmdk.gz} of the given declared capacity. */
    private Path ova(String name, long capacityMib, byte[] member, String fileAttributes)
            throws IOException {
        String ovf =
                OvfFixtures.descriptor(
                                "bomb",
                                1,
                                512,
                                null,
                                List.of(
                                        new OvfFixtures.Disk(
                                                "d.vmdk.gz", capacityMib, "Hard disk 1", "")),
                                List.of())
                        .replace(
                                "ovf:id=\"file0\"",
                                "ovf:id=\"file0\" ovf:compression=\"gzip\"" + fileAttributes);
        return new TestTar()
                .file("bomb.ovf", ovf)
                .file("d.vmdk.gz", member)
                .writeTo(dir.resolve(name));
    }

    private static List<Path> filesUnder(Path d) throws IOException {
        if (!Files.exists(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(d)) {
            return s.filter(p -> !Files.isDirectory(p)).toList();
        }
    }

    private ProviderSession session() {
        return new LocalProvider().connect(ProviderConfig.builder(Map.of()).build());
    }

    @Test
    void aGzipMemberThatInflatesPastTheDeclaredCapacityIsRefusedAndNothingIsLeft()
            throws Exception {
        Path ova = ova("bomb.ova", 1, zerosGzip(64), "");
        Path out = dir.resolve("out");
        try (ProviderSession s = session()) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(ova.toString(), out).build(),
                                            e -> {},
                                            Cancellation.none()))
                    .isInstanceOf(InvalidSourceException.class)
                    .hasMessageContaining("bomb.ova!d.vmdk.gz")
                    .hasMessageContaining("declares")
                    .hasMessageContaining(
                            "5259264") // 1 MiB capacity + 1/64 + 4 MiB of VMDK metadata
                    .hasMessageContaining("bytes");
        }
        assertThat(filesUnder(out)).as("nothing is left in the output directory").isEmpty();
    }

    @Test
    void aGzipMemberWithinTheDeclaredCapacityStillExports() throws Exception {
        Path ova = ova("fine.ova", 8, zerosGzip(8), "");
        Path out = dir.resolve("out");
        try (ProviderSession s = session()) {
            s.export(
                    ExportRequest.builder(ova.toString(), out).build(),
                    e -> {},
                    Cancellation.none());
        }
        assertThat(out.resolve("d.vmdk")).hasSize(8L << 20);
    }

    @Test
    void aGzipMemberOfADiskWithoutADeclaredCapacityIsRefusedBeforeInflating() throws Exception {
        String ovf =
                OvfFixtures.descriptor(
                                "bomb",
                                1,
                                512,
                                null,
                                List.of(new OvfFixtures.Disk("d.vmdk.gz", 1, "Hard disk 1", "")),
                                List.of())
                        .replace("ovf:id=\"file0\"", "ovf:id=\"file0\" ovf:compression=\"gzip\"")
                        .replace("ovf:/disk/vmdisk0", "ovf:/file/file0");
        Path ova =
                new TestTar()
                        .file("bomb.ovf", ovf)
                        .file("d.vmdk.gz", zerosGzip(4))
                        .writeTo(dir.resolve("nocap.ova"));
        Path out = dir.resolve("out");
        try (ProviderSession s = session()) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(ova.toString(), out).build(),
                                            e -> {},
                                            Cancellation.none()))
                    .isInstanceOf(InvalidSourceException.class)
                    .hasMessageContaining("d.vmdk.gz")
                    .hasMessageContaining("capacity");
        }
        assertThat(filesUnder(out)).isEmpty();
    }
}
