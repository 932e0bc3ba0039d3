package io.hypersdk.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskChecksums;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.provider.spi.ExportFormat;
import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ExportProviders;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample appliance in samples/ exports, its manifest validates, qemu-img accepts its disk. */
class SampleApplianceExportTest {

    @TempDir Path out;

    static Path sampleAppliance() {
        Path repo = Path.of(System.getProperty("hypersdk.repo.dir", "../.."));
        Path ova = repo.resolve("samples/sample-appliance.ova").toAbsolutePath().normalize();
        assertThat(ova).as("the sample appliance committed in samples/").isRegularFile();
        return ova;
    }

    static ProviderSession session() {
        ExportProvider provider = ExportProviders.require("local");
        assertThat(provider).isInstanceOf(LocalProvider.class);
        return provider.connect(ProviderConfig.builder(Map.of()).build());
    }

    @Test
    void theLocalProviderIsFoundThroughServiceLoader() {
        assertThat(ExportProviders.ids()).contains("local");
        assertThat(ExportProviders.find("local"))
                .get()
                .extracting(ExportProvider::id)
                .isEqualTo("local");
    }

    @Test
    void describesTheSampleAppliance() {
        try (ProviderSession s = session()) {
            VmDescription d = s.describe(sampleAppliance().toString());
            assertThat(d.name()).isEqualTo("sample-appliance");
            assertThat(d.cpu()).isEqualTo(1);
            assertThat(d.memoryBytes()).isEqualTo(512L << 20);
            assertThat(d.firmware()).isEqualTo(Firmware.BIOS);
            assertThat(d.guestOs()).hasValue("debian11_64Guest");
            assertThat(d.osHint()).isEqualTo("linux");
            assertThat(d.disks())
                    .singleElement()
                    .satisfies(
                            disk -> {
                                assertThat(disk.capacityBytes()).isEqualTo(64L << 20);
                                assertThat(disk.format()).isEqualTo(DiskFormat.VMDK);
                                assertThat(disk.fileName()).hasValue("sample-appliance-disk1.vmdk");
                                assertThat(disk.label()).hasValue("Hard disk 1");
                                assertThat(disk.controller()).hasValue("scsi0:0");
                            });
            assertThat(d.nics())
                    .singleElement()
                    .satisfies(
                            n -> {
                                assertThat(n.mac()).hasValue("00:50:56:aa:bb:01");
                                assertThat(n.network()).hasValue("VM Network");
                                assertThat(n.adapterType()).hasValue("vmxnet3");
                            });
        }
    }

    @Test
    void exportsTheSampleApplianceAndItsManifestValidatesWithChecksums() throws Exception {
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        ExportResult r;
        try (ProviderSession s = session()) {
            r =
                    s.export(
                            ExportRequest.builder(sampleAppliance().toString(), out)
                                    .checksums(true)
                                    .build(),
                            events::add,
                            Cancellation.none());
        }

        Path disk = out.resolve("sample-appliance-disk1.vmdk");
        assertThat(r.manifestPath()).isEqualTo(out.resolve("artifact-manifest.json"));
        assertThat(r.files())
                .contains(
                        disk,
                        out.resolve("sample-appliance.ovf"),
                        out.resolve("sample-appliance.mf"));
        ArtifactManifest m = ManifestCodec.read(r.manifestPath());
        assertThat(m).isEqualTo(r.manifest());
        ManifestValidator.requireValid(m, ValidationOptions.withChecksums());
        DiskChecksums.verify(m);
        DiskArtifact boot = m.bootDisk();
        assertThat(m.disks()).containsExactly(boot);
        assertThat(boot.localPath()).isEqualTo(disk);
        assertThat(boot.bootOrderHint()).isZero();
        assertThat(boot.diskType()).isEqualTo(DiskType.BOOT);
        assertThat(boot.bytes()).isEqualTo(Files.size(disk));
        assertThat(boot.checksum()).hasValue(DiskChecksums.sha256(disk));
        assertThat(m.vm())
                .get()
                .satisfies(
                        vm -> {
                            assertThat(vm.cpu()).isEqualTo(1);
                            assertThat(vm.memGb()).isEqualTo(1);
                            assertThat(vm.firmware()).isEqualTo(Firmware.BIOS);
                        });
        assertThat(m.source())
                .get()
                .satisfies(
                        src -> {
                            assertThat(src.provider()).isEqualTo("local");
                            assertThat(src.vmName()).hasValue("sample-appliance");
                            assertThat(src.exportMethod()).hasValue("local-ova");
                        });
        assertThat(m.nics())
                .singleElement()
                .satisfies(n -> assertThat(n.mac()).hasValue("00:50:56:aa:bb:01"));
        String json = Files.readString(r.manifestPath(), StandardCharsets.UTF_8);
        assertThat(json).containsPattern("\"boot_order_hint\"\\s*:\\s*0\\b");
        assertThat(events)
                .filteredOn(e -> e instanceof TransferProgress)
                .last()
                .satisfies(
                        e ->
                                assertThat(((TransferProgress) e).bytesDone())
                                        .isEqualTo(Files.size(disk)));

        assumeTrue(QemuImg.available(), "qemu-img is not installed (apt-get install qemu-utils)");
        QemuImg.Result check = QemuImg.run("check", "-f", "vmdk", disk.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("No errors were found on the image.");
        QemuImg.Result info = QemuImg.run("info", "-f", "vmdk", "--output=json", disk.toString());
        assertThat(info.output())
                .contains("\"virtual-size\": 67108864")
                .contains("streamOptimized");
    }

    @Test
    void anOutputDirectoryThatCannotBeCreatedIsRefusedWithTheReasonNotJustThePath()
            throws Exception {
        Path file = Files.writeString(out.resolve("a-file"), "x");
        try (ProviderSession s = session()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(
                                                            sampleAppliance().toString(),
                                                            file.resolve("vm"))
                                                    .build(),
                                            e -> {},
                                            Cancellation.none()))
                    .isInstanceOf(io.hypersdk.provider.spi.ExportException.class)
                    .hasMessage(
                            "cannot create output directory "
                                    + file.resolve("vm")
                                    + ": Not a directory"
                                    + "; choose a writable directory");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(
                                                            sampleAppliance().toString(), file)
                                                    .build(),
                                            e -> {},
                                            Cancellation.none()))
                    .hasMessage(
                            "cannot create output directory "
                                    + file
                                    + ": "
                                    + file
                                    + " exists and is not a directory; choose a writable directory");
        }
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void exportAsOvaAlsoWritesAnOvaThatExportsAgainToTheSameDisk() throws Exception {
        ExportResult first;
        try (ProviderSession s = session()) {
            first =
                    s.export(
                            ExportRequest.builder(sampleAppliance().toString(), out.resolve("a"))
                                    .format(ExportFormat.OVA)
                                    .build(),
                            e -> {},
                            Cancellation.none());
        }
        Path ova = out.resolve("a/sample-appliance.ova");
        assertThat(first.files()).contains(ova);
        ExportResult second;
        try (ProviderSession s = session()) {
            second =
                    s.export(
                            ExportRequest.builder(ova.toString(), out.resolve("b"))
                                    .checksums(true)
                                    .build(),
                            e -> {},
                            Cancellation.none());
        }
        assertThat(second.manifest().bootDisk().checksum())
                .hasValue(DiskChecksums.sha256(first.manifest().bootDisk().localPath()));
    }
}
