package io.hypersdk.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.io.ArchivedDisk;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.core.settings.Converter;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.pipeline.testing.Disks;
import io.hypersdk.pipeline.testing.StandIn;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-copy conversion: a disk inside an archive (bytes {@code [offset, offset+size)}) converted
 * with the real qemu-img straight from the archive, its digest checked in parallel.
 */
@Timeout(120)
class ArchiveMemberConversionTest {
    private static final int PREFIX = 3 * 512;

    @TempDir Path tmp;

    private record Packed(Path archive, Path original, ArchivedDisk member) {}

    /** An archive: 1.5 KiB of header bytes, the disk file, 700 trailing bytes. */
    private Packed pack(Path dir, Path disk, String digestAlgorithm) throws Exception {
        Files.createDirectories(dir);
        byte[] bytes = Files.readAllBytes(disk);
        Path archive = dir.resolve("vm.ova");
        try (OutputStream out = Files.newOutputStream(archive)) {
            out.write(filled(PREFIX, 0x5a));
            out.write(bytes);
            out.write(filled(700, 0xa5));
        }
        String hex =
                HexFormat.of().formatHex(MessageDigest.getInstance(digestAlgorithm).digest(bytes));
        return new Packed(
                archive,
                disk,
                new ArchivedDisk(
                        "disk-0",
                        archive,
                        "vm-disk1.vmdk",
                        PREFIX,
                        bytes.length,
                        Optional.of(
                                new ArchivedDisk.Digest(digestAlgorithm, hex, "vm.ova!vm.mf"))));
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    private Path streamOptimized(String name, int pattern) throws Exception {
        Path raw = Disks.create(tmp.resolve(name + ".raw"), "raw", 4, pattern);
        Path vmdk = tmp.resolve(name + ".vmdk");
        Disks.run(
                "qemu-img",
                "convert",
                "-q",
                "-f",
                "raw",
                "-O",
                "vmdk",
                "-o",
                "subformat=streamOptimized",
                raw.toString(),
                vmdk.toString());
        return vmdk;
    }

    private PipelineResult convert(
            Packed p, DiskFormat format, Path out, List<ProgressEvent> events) throws Exception {
        Files.createDirectories(out);
        ArtifactManifest m =
                Disks.manifest(
                        "web-01",
                        List.of(
                                DiskArtifact.builder()
                                        .id("disk-0")
                                        .sourceFormat(format)
                                        .bytes(p.member().size())
                                        .localPath(p.archive())
                                        .bootOrderHint(0)
                                        .build()));
        return PipelineExecutor.builder()
                .searchPath(System.getenv("PATH"))
                .build()
                .execute(
                        m,
                        out.resolve("artifact-manifest.json"),
                        PipelineSettings.builder()
                                .enabled(true)
                                .converter(Converter.QEMU_IMG)
                                .timeout(Duration.ofSeconds(60))
                                .build(),
                        events::add,
                        Cancellation.none(),
                        List.of(p.member()));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aStreamOptimizedMemberIsConvertedInPlaceIdenticalToItsCopyAndNoVmdkIsWritten()
            throws Exception {
        Packed p = pack(tmp.resolve("src"), streamOptimized("d", 0x41), "SHA-256");
        Path out = tmp.resolve("out");
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();

        PipelineResult r = convert(p, DiskFormat.VMDK, out, events);

        assertThat(r.outcome().succeeded()).as(r.outcome().toString()).isTrue();
        assertThat(r.mode()).isEqualTo(ConversionMode.QEMU_IMG);
        assertThat(Disks.identical(p.original(), "vmdk", r.outputImages().get(0), "qcow2"))
                .isTrue();
        assertThat(names(out)).containsExactly("web-01-disk-0.qcow2");
        assertThat(events)
                .filteredOn(e -> e instanceof Notice)
                .map(e -> ((Notice) e).message())
                .anySatisfy(
                        m ->
                                assertThat(m)
                                        .contains("converted in place from " + p.archive())
                                        .contains("not copied")
                                        .contains("matches vm.ova!vm.mf"));
    }

    @Test
    void aCorruptedByteInsideTheMemberFailsNamingTheDigestAndLeavesNoImage() throws Exception {
        // a raw member: qemu-img converts any bytes, so only the digest can catch the corruption
        Path disk = Disks.create(tmp.resolve("d.raw"), "raw", 2, 0x33);
        Packed p = pack(tmp.resolve("src"), disk, "SHA-1");
        byte[] all = Files.readAllBytes(p.archive());
        all[PREFIX + 100] ^= 0x01;
        Files.write(p.archive(), all);
        Path out = tmp.resolve("out");

        PipelineResult r = convert(p, DiskFormat.RAW, out, new CopyOnWriteArrayList<>());

        assertThat(r.outcome()).isInstanceOf(ConversionOutcome.Failed.class);
        assertThat(((ConversionOutcome.Failed) r.outcome()).message())
                .contains(p.archive() + "!vm-disk1.vmdk does not match its SHA-1 in vm.ova!vm.mf")
                .contains("corrupt");
        assertThat(r.outputImages()).isEmpty();
        assertThat(names(out)).isEmpty();
        assertThat(p.archive()).exists();
    }

    @Test
    void aMemberReachingBeyondTheArchiveIsRefusedBeforeQemuImgRuns() throws Exception {
        Packed p = pack(tmp.resolve("src"), streamOptimized("d", 0x42), "SHA-256");
        ArchivedDisk m = p.member();
        Packed outside =
                new Packed(
                        p.archive(),
                        p.original(),
                        new ArchivedDisk(
                                m.diskId(),
                                m.archive(),
                                m.member(),
                                m.offset(),
                                Files.size(p.archive()),
                                m.expected()));
        Path out = tmp.resolve("out");

        PipelineResult r = convert(outside, DiskFormat.VMDK, out, new CopyOnWriteArrayList<>());

        assertThat(((ConversionOutcome.Failed) r.outcome()).message())
                .contains("lies outside the archive")
                .contains("copy it again");
        assertThat(names(out)).isEmpty();
    }

    @Test
    void anArchivePathWithQuotesBackslashesBracesAndANewlineStaysOneJsonString() throws Exception {
        Path hostile = tmp.resolve("a\"b\\c},{\"driver\":\"x\nd");
        Packed p = pack(hostile, streamOptimized("d", 0x43), "SHA-256");
        Path out = tmp.resolve("out");

        PipelineResult r = convert(p, DiskFormat.VMDK, out, new CopyOnWriteArrayList<>());

        assertThat(r.outcome().succeeded()).as(r.outcome().toString()).isTrue();
        assertThat(Disks.identical(p.original(), "vmdk", r.outputImages().get(0), "qcow2"))
                .isTrue();
    }

    @Test
    void hyper2kvmModesRefuseADiskLeftInTheArchiveAndNameTheFlag() throws Exception {
        Packed p = pack(tmp.resolve("src"), streamOptimized("d", 0x44), "SHA-256");
        ArtifactManifest m =
                Disks.manifest(
                        "web-01", List.of(Disks.disk("disk-0", p.archive(), DiskFormat.VMDK, 0)));
        PipelineSettings direct =
                PipelineSettings.builder()
                        .enabled(true)
                        .hyper2kvmPath(StandIn.executable())
                        .build();

        assertThatThrownBy(
                        () ->
                                PipelineExecutor.builder()
                                        .searchPath(System.getenv("PATH"))
                                        .build()
                                        .execute(
                                                m,
                                                tmp.resolve("out/artifact-manifest.json"),
                                                direct,
                                                e -> {},
                                                Cancellation.none(),
                                                List.of(p.member())))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("hyper2kvm, which needs a copy")
                .hasMessageContaining("--keep-export-files");
    }

    @Test
    void theJsonSourceIsBuiltByJacksonWithTheRangeAndNoFormatFlag() {
        ArchivedDisk d =
                new ArchivedDisk(
                        "disk-0", Path.of("/x/\"q\".ova"), "m", 1536, 42, Optional.empty());
        assertThat(ArchiveMemberRead.qemuSource(d, "vmdk"))
                .isEqualTo(
                        "json:{\"driver\":\"vmdk\",\"file\":{\"driver\":\"raw\",\"offset\":1536,"
                                + "\"size\":42,\"file\":{\"driver\":\"file\",\"filename\":"
                                + "\"/x/\\\"q\\\".ova\"}}}");
    }
}
