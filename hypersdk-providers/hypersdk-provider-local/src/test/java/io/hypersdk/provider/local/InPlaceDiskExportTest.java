package io.hypersdk.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.io.ArchivedDisk;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.provider.spi.ExportFormat;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.ProviderSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code leaveDisksInArchive}: an uncompressed OVA disk is not copied; the result says where its
 * bytes lie in the archive. Everything else is copied as before.
 */
class InPlaceDiskExportTest {
    @TempDir Path dir;

    private static ExportResult export(Path vm, Path out, ExportFormat format) {
        try (ProviderSession s = SampleApplianceExportTest.session()) {
            return s.export(
                    ExportRequest.builder(vm.toString(), out)
                            .format(format)
                            .checksums(true)
                            .leaveDisksInArchive(true)
                            .build(),
                    e -> {},
                    Cancellation.none());
        }
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] slice(Path file, long offset, long size) throws IOException {
        byte[] b = new byte[(int) size];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(offset);
            f.readFully(b);
        }
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void theSampleAppliancesDiskStaysInTheOvaAndTheResultSaysWhere() throws Exception {
        Path ova = SampleApplianceExportTest.sampleAppliance();
        Path out = dir.resolve("out");

        ExportResult r = export(ova, out, ExportFormat.OVF);

        assertThat(names(out))
                .containsExactly(
                        "artifact-manifest.json", "sample-appliance.mf", "sample-appliance.ovf");
        ArchivedDisk d = r.inArchive().get(0);
        assertThat(r.inArchive()).hasSize(1);
        assertThat(d.diskId()).isEqualTo("disk-0");
        assertThat(d.archive()).isEqualTo(ova);
        assertThat(d.member()).isEqualTo("sample-appliance-disk1.vmdk");
        byte[] member = slice(ova, d.offset(), d.size());
        assertThat(new String(member, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("KDMV");
        assertThat(d.expected()).isPresent();
        assertThat(d.expected().get().algorithm()).isEqualTo("SHA-256");
        assertThat(d.expected().get().hex()).isEqualTo(sha256(member));
        assertThat(r.files()).noneMatch(f -> f.equals(ova));
        // the manifest names the archive and says the disk was not copied
        var m = ManifestCodec.read(r.manifestPath());
        assertThat(m.bootDisk().localPath()).isEqualTo(ova);
        assertThat(m.bootDisk().bytes()).isEqualTo(d.size());
        assertThat(m.bootDisk().checksum()).hasValue("sha256:" + sha256(member));
        assertThat(m.notes()).anyMatch(n -> n.contains("disk-0 source: ova member, not copied"));
        assertThat(m.metadata().get().tags()).containsEntry("disk_source", "ova-member-not-copied");
        assertThat(ova).exists();
    }

    @Test
    void anOvaExportStillPacksCopies() throws Exception {
        Path out = dir.resolve("out");

        ExportResult r = export(SampleApplianceExportTest.sampleAppliance(), out, ExportFormat.OVA);

        assertThat(r.inArchive()).isEmpty();
        assertThat(names(out)).contains("sample-appliance-disk1.vmdk", "sample-appliance.ova");
    }

    @Test
    void aGzipMemberIsDecompressedIntoACopy() throws Exception {
        byte[] disk = new byte[300_000];
        new Random(3).nextBytes(disk);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(disk);
        }
        String ovf =
                OvfFixtures.descriptor(
                                "gz",
                                1,
                                1024,
                                null,
                                List.of(new OvfFixtures.Disk("d.vmdk.gz", 1, "d", "")),
                                List.of())
                        .replace("ovf:id=\"file0\"", "ovf:id=\"file0\" ovf:compression=\"gzip\"");
        Path ova =
                new TestTar()
                        .file("gz.ovf", ovf)
                        .file("d.vmdk.gz", gz.toByteArray())
                        .writeTo(dir.resolve("gz.ova"));
        Path out = dir.resolve("out");

        ExportResult r = export(ova, out, ExportFormat.OVF);

        assertThat(r.inArchive()).isEmpty();
        assertThat(Files.readAllBytes(out.resolve("d.vmdk"))).isEqualTo(disk);
    }

    @Test
    void aHostileMemberNameIsKeptVerbatimForMessagesAndNeverBecomesAPath() throws Exception {
        String name = "d\"},{\"driver\":\"file\",\"filename\":\"x.vmdk";
        byte[] disk = new byte[4096];
        new Random(4).nextBytes(disk);
        String ovf =
                OvfFixtures.descriptor(
                        "h",
                        1,
                        1024,
                        null,
                        List.of(new OvfFixtures.Disk(name, 1, "d", "")),
                        List.of());
        Path ova = new TestTar().file("h.ovf", ovf).file(name, disk).writeTo(dir.resolve("h.ova"));
        Path out = dir.resolve("out");

        ExportResult r = export(ova, out, ExportFormat.OVF);

        ArchivedDisk d = r.inArchive().get(0);
        assertThat(d.member()).isEqualTo(name);
        assertThat(slice(ova, d.offset(), d.size())).isEqualTo(disk);
        assertThat(names(out)).containsExactly("artifact-manifest.json", "h.ovf");
    }
}
