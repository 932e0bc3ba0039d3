package io.hypersdk.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.IntegrityException;
import io.hypersdk.provider.spi.ManifestTemplate;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmNotFoundException;
import io.hypersdk.provider.spi.VmSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalExportTest {

    @TempDir Path dir;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String hex(String alg, byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(b));
    }

    private static List<String> names(Path d) throws IOException {
        if (!Files.exists(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private ProviderSession session() {
        return new LocalProvider()
                .connect(ProviderConfig.builder(Map.of()).set("directory", dir.toString()).build());
    }

    /** An OVF package on disk: two raw disks and a SHA1 .mf, as older ovftool versions write. */
    private Path ovfPackage(byte[] boot, byte[] data, boolean corruptData) throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("pkg"));
        String ovf =
                OvfFixtures.descriptor(
                        "two-disks",
                        4,
                        8192,
                        "efi",
                        List.of(
                                new OvfFixtures.Disk("boot.img", 1, "Hard disk 1", ""),
                                new OvfFixtures.Disk("data.img", 2, "Hard disk 2", "")),
                        List.of(
                                new OvfFixtures.Nic(
                                        Optional.of("00:50:56:01:02:03"), "prod", "vmxnet3"),
                                new OvfFixtures.Nic(Optional.empty(), "backup", "e1000")));
        Files.writeString(pkg.resolve("two-disks.ovf"), ovf);
        Files.write(pkg.resolve("boot.img"), boot);
        Files.write(pkg.resolve("data.img"), data);
        String mf =
                "SHA1(two-disks.ovf)= "
                        + hex("SHA-1", ovf.getBytes(StandardCharsets.UTF_8))
                        + "\n"
                        + "SHA1(boot.img)= "
                        + hex("SHA-1", boot)
                        + "\n"
                        + "SHA1(data.img)= "
                        + hex("SHA-1", corruptData ? new byte[] {1} : data)
                        + "\n";
        Files.writeString(pkg.resolve("two-disks.mf"), mf);
        return pkg.resolve("two-disks.ovf");
    }

    @Test
    void exportsAnOvfPackageVerifyingItsSha1ManifestBootDiskFirst() throws Exception {
        byte[] boot = random(3_000_000, 1);
        byte[] data = random(1_000_000, 2);
        Path ovf = ovfPackage(boot, data, false);
        Path out = dir.resolve("out");
        List<TransferProgress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();

        ExportResult r;
        try (ProviderSession s = session()) {
            r =
                    s.export(
                            ExportRequest.builder("pkg/two-disks.ovf", out)
                                    .checksums(true)
                                    .parallel(2)
                                    .manifest(
                                            ManifestTemplate.builder()
                                                    .tag("team", "infra")
                                                    .note("from a test")
                                                    .build())
                                    .build(),
                            e -> {
                                if (e instanceof TransferProgress p) {
                                    progress.add(p);
                                }
                            },
                            Cancellation.none());
        }

        ArtifactManifest m = ManifestCodec.read(r.manifestPath());
        ManifestValidator.requireValid(m, ValidationOptions.withChecksums());
        assertThat(m.disks()).hasSize(2);
        assertThat(m.disks().get(0).localPath()).isEqualTo(out.resolve("boot.img"));
        assertThat(m.disks().get(0).bootOrderHint()).isZero();
        assertThat(m.disks().get(0).diskType()).isEqualTo(DiskType.BOOT);
        assertThat(m.disks().get(0).sourceFormat()).isEqualTo(DiskFormat.RAW);
        assertThat(m.disks().get(0).checksum()).hasValue("sha256:" + hex("SHA-256", boot));
        assertThat(m.disks().get(1).localPath()).isEqualTo(out.resolve("data.img"));
        assertThat(m.disks().get(1).bootOrderHint()).isEqualTo(1);
        assertThat(m.disks().get(1).diskType()).isEqualTo(DiskType.DATA);
        assertThat(m.disks().get(1).bytes()).isEqualTo(data.length);
        assertThat(Files.readAllBytes(out.resolve("data.img"))).isEqualTo(data);
        assertThat(m.vm())
                .get()
                .satisfies(
                        vm -> {
                            assertThat(vm.cpu()).isEqualTo(4);
                            assertThat(vm.memGb()).isEqualTo(8);
                            assertThat(vm.firmware()).isEqualTo(Firmware.UEFI);
                            assertThat(vm.osHint()).hasValue("linux");
                        });
        assertThat(m.nics()).hasSize(2);
        assertThat(m.nics().get(0).mac()).hasValue("00:50:56:01:02:03");
        assertThat(m.nics().get(1).mac()).isEmpty();
        assertThat(m.nics().get(1).network()).hasValue("backup");
        assertThat(m.metadata())
                .get()
                .satisfies(
                        md ->
                                assertThat(md.tags())
                                        .containsEntry("team", "infra")
                                        .containsEntry("provider", "local"));
        assertThat(m.notes()).contains("from a test");
        assertThat(r.totalBytes())
                .isEqualTo(r.files().stream().mapToLong(p -> p.toFile().length()).sum());
        assertThat(progress)
                .allSatisfy(p -> assertThat(p.bytesDone()).isLessThanOrEqualTo(p.bytesTotal()));
        assertThat(names(out))
                .containsExactly(
                        "artifact-manifest.json",
                        "boot.img",
                        "data.img",
                        "two-disks.mf",
                        "two-disks.ovf");
    }

    @Test
    void aDiskThatDoesNotMatchTheManifestFileFailsAndLeavesNoManifestAndNoPartialFile()
            throws Exception {
        Path ovf = ovfPackage(random(2_000_000, 3), random(500_000, 4), true);
        Path out = dir.resolve("out");
        try (ProviderSession s = session()) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(ovf.toString(), out)
                                                    .parallel(1)
                                                    .build(),
                                            e -> {},
                                            Cancellation.none()))
                    .isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("data.img does not match its SHA1 in")
                    .hasMessageContaining("two-disks.mf");
        }
        assertThat(names(out)).isEmpty();
    }

    @Test
    void aModifiedDescriptorIsCaughtByTheManifestFile() throws Exception {
        Path ovf = ovfPackage(random(1000, 5), random(1000, 6), false);
        Files.writeString(
                ovf,
                Files.readString(ovf)
                        .replace("<rasd:VirtualQuantity>4<", "<rasd:VirtualQuantity>64<"));
        try (ProviderSession s = session()) {
            assertThatThrownBy(() -> s.describe(ovf.toString()))
                    .isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("two-disks.ovf does not match its SHA1");
        }
    }

    @Test
    void aGzipCompressedOvfDiskIsDecompressedAndCheckedOnItsCompressedBytes() throws Exception {
        byte[] disk = random(700_000, 7);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(disk);
        }
        Path pkg = Files.createDirectories(dir.resolve("gz"));
        String ovf =
                OvfFixtures.descriptor(
                                "gz",
                                1,
                                1024,
                                null,
                                List.of(new OvfFixtures.Disk("d.vmdk.gz", 1, "d", "")),
                                List.of())
                        .replace("ovf:id=\"file0\"", "ovf:id=\"file0\" ovf:compression=\"gzip\"");
        Files.writeString(pkg.resolve("gz.ovf"), ovf);
        Files.write(pkg.resolve("d.vmdk.gz"), gz.toByteArray());
        Files.writeString(
                pkg.resolve("gz.mf"),
                "SHA256(d.vmdk.gz)= " + hex("SHA-256", gz.toByteArray()) + "\n");
        Path out = dir.resolve("out");
        ExportResult r;
        try (ProviderSession s = session()) {
            r =
                    s.export(
                            ExportRequest.builder(pkg.resolve("gz.ovf").toString(), out)
                                    .checksums(true)
                                    .build(),
                            e -> {},
                            Cancellation.none());
        }
        assertThat(Files.readAllBytes(out.resolve("d.vmdk"))).isEqualTo(disk);
        assertThat(r.manifest().bootDisk().checksum()).hasValue("sha256:" + hex("SHA-256", disk));
        assertThat(names(out)).containsExactly("artifact-manifest.json", "d.vmdk");
    }

    @Test
    void exportsAVmxDirectoryWithFlatAndSparseVmdksMadeByQemuImg() throws Exception {
        assumeTrue(QemuImg.available(), "qemu-img is not installed (apt-get install qemu-utils)");
        Path vmdir = Files.createDirectories(dir.resolve("web-01"));
        assertThat(
                        QemuImg.run(
                                        "create",
                                        "-q",
                                        "-f",
                                        "vmdk",
                                        "-o",
                                        "subformat=monolithicFlat",
                                        vmdir.resolve("web-01.vmdk").toString(),
                                        "8M")
                                .exitCode())
                .isZero();
        assertThat(
                        QemuImg.run(
                                        "create",
                                        "-q",
                                        "-f",
                                        "vmdk",
                                        vmdir.resolve("web-01_1.vmdk").toString(),
                                        "16M")
                                .exitCode())
                .isZero();
        Files.writeString(
                vmdir.resolve("web-01.vmx"),
                String.join(
                        "\n",
                        ".encoding = \"UTF-8\"",
                        "config.version = \"8\"",
                        "virtualHW.version = \"19\"",
                        "displayName = \"web |22prod|22\"",
                        "guestOS = \"windows2019srv-64\"",
                        "numvcpus = \"2\"",
                        "memsize = \"3072\"",
                        "firmware = \"efi\"",
                        "uefi.secureBoot.enabled = \"TRUE\"",
                        "scsi0.present = \"TRUE\"",
                        "scsi0:0.present = \"TRUE\"",
                        "scsi0:0.fileName = \"web-01.vmdk\"",
                        "scsi0:1.present = \"TRUE\"",
                        "scsi0:1.fileName = \"web-01_1.vmdk\"",
                        "sata0:0.present = \"TRUE\"",
                        "sata0:0.deviceType = \"cdrom-image\"",
                        "sata0:0.fileName = \"win.iso\"",
                        "ethernet0.present = \"TRUE\"",
                        "ethernet0.virtualDev = \"vmxnet3\"",
                        "ethernet0.networkName = \"DMZ\"",
                        "ethernet0.addressType = \"generated\"",
                        "ethernet0.generatedAddress = \"00:0c:29:aa:bb:cc\"",
                        ""));
        Path out = dir.resolve("out");

        VmDescription d;
        ExportResult r;
        try (ProviderSession s = session()) {
            assertThat(s.listVms()).extracting(VmSummary::name).containsExactly("web \"prod\"");
            d = s.describe("web-01");
            r =
                    s.export(
                            ExportRequest.builder("web-01", out).build(),
                            e -> {},
                            Cancellation.none());
        }

        assertThat(d.name()).isEqualTo("web \"prod\"");
        assertThat(d.disks())
                .extracting(x -> x.capacityBytes())
                .containsExactly(8L << 20, 16L << 20);
        assertThat(d.firmware()).isEqualTo(Firmware.UEFI);
        assertThat(d.secureBoot()).isTrue();
        assertThat(d.osHint()).isEqualTo("windows");
        ArtifactManifest m = r.manifest();
        ManifestValidator.requireValid(m, ValidationOptions.withDiskFiles());
        assertThat(m.vm())
                .get()
                .satisfies(
                        vm -> {
                            assertThat(vm.memGb()).isEqualTo(3);
                            assertThat(vm.secureboot()).isTrue();
                        });
        assertThat(m.disks().get(0).localPath()).isEqualTo(out.resolve("web-01.vmdk"));
        assertThat(m.disks().get(0).bytes())
                .isEqualTo(
                        Files.size(out.resolve("web-01.vmdk"))
                                + Files.size(out.resolve("web-01-flat.vmdk")));
        assertThat(m.nics())
                .singleElement()
                .satisfies(
                        n -> {
                            assertThat(n.mac()).hasValue("00:0c:29:aa:bb:cc");
                            assertThat(n.network()).hasValue("DMZ");
                        });
        assertThat(names(out))
                .containsExactly(
                        "artifact-manifest.json",
                        "web-01-flat.vmdk",
                        "web-01.vmdk",
                        "web-01.vmx",
                        "web-01_1.vmdk");
        for (var disk : m.disks()) {
            QemuImg.Result check = QemuImg.run("check", "-f", "vmdk", disk.localPath().toString());
            assertThat(check.exitCode()).as(check.output()).isZero();
        }
    }

    @Test
    void cancellingStopsTheCopyWritesNoManifestAndRemovesWhatItWrote() throws Exception {
        Path ovf = ovfPackage(random(20_000_000, 8), random(1000, 9), false);
        Path out = dir.resolve("out");
        Cancellation cancel = Cancellation.create();
        try (ProviderSession s = session()) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(ovf.toString(), out)
                                                    .parallel(1)
                                                    .build(),
                                            e -> {
                                                if (e instanceof TransferProgress) {
                                                    cancel.cancel();
                                                }
                                            },
                                            cancel))
                    .isInstanceOf(CancelledException.class);
        }
        assertThat(names(out)).isEmpty();
    }

    @Test
    void aFailureAfterSomeDisksWereCopiedRemovesThemAgain() throws Exception {
        Path ovf = ovfPackage(random(300_000, 12), random(300_000, 13), true);
        Path out = dir.resolve("out");
        try (ProviderSession s = session()) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(ovf.toString(), out)
                                                    .parallel(1)
                                                    .build(),
                                            e -> {},
                                            Cancellation.none()))
                    .isInstanceOf(IntegrityException.class);
        }
        assertThat(names(out)).isEmpty();
    }

    @Test
    void anOvaWithItsFilesInASubdirectoryAGnuLongNameAndTheDiskFirstExports() throws Exception {
        String longName =
                "a-disk-name-that-is-much-longer-than-the-one-hundred-bytes-a-ustar-header-can-hold-"
                        + "x".repeat(40)
                        + ".vmdk";
        byte[] disk = random(70_000, 14);
        String ovf =
                OvfFixtures.descriptor(
                        "long",
                        2,
                        2048,
                        null,
                        List.of(new OvfFixtures.Disk(longName, 1, "d", "")),
                        List.of());
        Path ova =
                new TestTar()
                        .directory("vm/")
                        .longName("vm/" + longName, disk)
                        .file("vm/long.ovf", ovf)
                        .writeTo(dir.resolve("long.ova"));
        Path out = dir.resolve("out");
        ExportResult r;
        try (ProviderSession s = session()) {
            r =
                    s.export(
                            ExportRequest.builder("long.ova", out).checksums(true).build(),
                            e -> {},
                            Cancellation.none());
        }
        assertThat(r.manifest().bootDisk().localPath()).isEqualTo(out.resolve(longName));
        assertThat(Files.readAllBytes(out.resolve(longName))).isEqualTo(disk);
        assertThat(r.manifest().bootDisk().checksum()).hasValue("sha256:" + hex("SHA-256", disk));
    }

    @Test
    void anEmptyDiskWithoutAFileIsSkippedWithAWarningInTheManifest() throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("blank"));
        String ovf =
                OvfFixtures.descriptor(
                                "blank",
                                1,
                                1024,
                                null,
                                List.of(
                                        new OvfFixtures.Disk("boot.img", 1, "Hard disk 1", ""),
                                        new OvfFixtures.Disk("unused.img", 4, "Hard disk 2", "")),
                                List.of())
                        .replace(" ovf:fileRef=\"file1\"", "");
        Files.writeString(pkg.resolve("blank.ovf"), ovf);
        Files.write(pkg.resolve("boot.img"), random(5000, 15));
        List<io.hypersdk.core.progress.ProgressEvent> events = new java.util.ArrayList<>();
        ExportResult r;
        try (ProviderSession s = session()) {
            r =
                    s.export(
                            ExportRequest.builder(
                                            pkg.resolve("blank.ovf").toString(), dir.resolve("out"))
                                    .build(),
                            events::add,
                            Cancellation.none());
        }
        assertThat(r.manifest().disks())
                .singleElement()
                .satisfies(
                        d ->
                                assertThat(d.localPath().getFileName().toString())
                                        .isEqualTo("boot.img"));
        assertThat(r.manifest().warnings())
                .singleElement()
                .satisfies(
                        w ->
                                assertThat(w.message())
                                        .contains(
                                                "Hard disk 2 is an empty disk (no file) and was not exported"));
        assertThat(events)
                .anySatisfy(
                        e -> assertThat(e).isInstanceOf(io.hypersdk.core.progress.Notice.class));
    }

    @Test
    void aMissingVmIsNamedWithTheFix() {
        try (ProviderSession s = session()) {
            assertThatThrownBy(() -> s.describe("nope.ova"))
                    .isInstanceOf(VmNotFoundException.class)
                    .hasMessageContaining("no VM at 'nope.ova'")
                    .hasMessageContaining("give the path of an .ova, .ovf or .vmx");
        }
    }

    @Test
    void exportingIntoTheSourceDirectoryIsRefused() throws Exception {
        Path ovf = ovfPackage(random(1000, 10), random(1000, 11), false);
        try (ProviderSession s = session()) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(ovf.toString(), ovf.getParent())
                                                    .build(),
                                            e -> {},
                                            Cancellation.none()))
                    .hasMessageContaining("would overwrite its own source");
        }
        assertThat(Files.readAllBytes(ovf.getParent().resolve("boot.img")))
                .isEqualTo(random(1000, 10));
    }
}
