package io.hypersdk.provider.vsphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskChecksums;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.provider.spi.ExportFormat;
import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ExportProviders;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.PreviousFile;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.Secret;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmNotFoundException;
import io.hypersdk.provider.spi.VmSummary;
import io.hypersdk.provider.vsphere.inventory.VirtualMachineInfo;
import io.hypersdk.provider.vsphere.nfc.VsphereExporter;
import io.hypersdk.provider.vsphere.soap.InvalidPowerStateException;
import io.hypersdk.provider.vsphere.soap.ManagedObjectNotFoundException;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.VimConnection;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports against VMware's simulator with real VMDK content made by qemu-img. */
class VsphereExportSimulatorTest {
    @TempDir static Path dir;
    static Vcsim sim;

    @BeforeAll
    static void startSimulator() throws Exception {
        sim = Vcsim.start(dir);
    }

    @AfterAll
    static void stopSimulator() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    private static VsphereSession session() {
        VimClient vim = sim.clientBuilder().build();
        vim.login();
        return new VsphereSession(vim, VsphereExporter.Tuning.defaults());
    }

    private static String sha256(Path p) {
        return DiskChecksums.sha256(p);
    }

    @Test
    void exportOfAPoweredOffVmWritesTheUploadedVmdkByteForByteAndAValidManifest() throws Exception {
        Path vmdk = Vcsim.makeVmdk(dir, "vm0-disk.vmdk", 3 * 1024 * 1024);
        Path out = dir.resolve("export-vm0");
        try (VsphereSession s = session()) {
            VimClient vim = s.client();
            ManagedObjectReference ref = vim.findByInventoryPath("DC0/vm/DC0_H0_VM0").orElseThrow();
            powerOff(vim, ref);
            sim.upload(vim, "DC0_H0_VM0/disk1.vmdk", vmdk);
            VirtualMachineInfo before = vim.virtualMachine(ref);

            List<TransferProgress> progress = new CopyOnWriteArrayList<>();
            ExportResult r =
                    s.export(
                            ExportRequest.builder("DC0/vm/DC0_H0_VM0", out).checksums(true).build(),
                            e -> {
                                if (e instanceof TransferProgress t) {
                                    progress.add(t);
                                }
                            },
                            Cancellation.create());

            ArtifactManifest m = r.manifest();
            assertThat(m.disks())
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.localPath())
                                        .isEqualTo(out.resolve("DC0_H0_VM0-disk-0.vmdk"));
                                assertThat(sha256(d.localPath())).isEqualTo(sha256(vmdk));
                                assertThat(d.checksum()).contains(sha256(vmdk));
                                assertThat(d.bytes()).isEqualTo(Files.size(vmdk));
                                assertThat(d.sourceFormat()).isEqualTo(DiskFormat.VMDK);
                                assertThat(d.diskType()).isEqualTo(DiskType.BOOT);
                                assertThat(d.bootOrderHint()).isZero();
                            });
            // the simulator's VMs have 32 MiB: rounded up to 1 GiB, never down to 0
            assertThat(m.vm().orElseThrow().memGb()).isEqualTo(1);
            assertThat(m.source())
                    .hasValueSatisfying(
                            src -> {
                                assertThat(src.provider()).isEqualTo("vsphere");
                                assertThat(src.vmId()).contains(ref.value());
                                assertThat(src.vmName()).contains("DC0_H0_VM0");
                                assertThat(src.datacenter()).contains("DC0");
                            });
            assertThat(m.vm())
                    .hasValueSatisfying(
                            v -> {
                                assertThat(v.cpu()).isEqualTo(1);
                                assertThat(v.firmware()).isEqualTo(Firmware.BIOS);
                                assertThat(v.osVersion()).contains("otherGuest");
                            });
            assertThat(m.nics())
                    .singleElement()
                    .satisfies(
                            n -> {
                                assertThat(n.network()).contains("DC0_DVPG0");
                                assertThat(n.mac()).isPresent();
                            });
            // the manifest on disk reads back, validates with disk files and checksums
            ArtifactManifest read = ManifestCodec.read(r.manifestPath());
            ManifestValidator.requireValid(read, ValidationOptions.withChecksums());
            DiskChecksums.verify(read);
            assertThat(Files.readString(r.manifestPath()))
                    .doesNotContain("pass\"")
                    .doesNotContain("https://user");
            // the OVF from CreateDescriptor names the file that was downloaded, and the .mf hashes
            // it
            String ovf = Files.readString(out.resolve("DC0_H0_VM0.ovf"));
            assertThat(ovf)
                    .contains("ovf:href=\"DC0_H0_VM0-disk-0.vmdk\"")
                    .contains("ovf:size=\"" + Files.size(vmdk) + "\"");
            assertThat(Files.readString(out.resolve("DC0_H0_VM0.mf")))
                    .contains("SHA256(DC0_H0_VM0-disk-0.vmdk)= " + sha256(vmdk).substring(7));
            assertThat(r.files())
                    .contains(out.resolve("DC0_H0_VM0.ovf"), out.resolve("DC0_H0_VM0-disk-0.vmdk"));
            assertThat(progress).isNotEmpty();
            assertThat(progress.get(progress.size() - 1).bytesDone()).isEqualTo(Files.size(vmdk));
            // the lease was completed: its device URL is gone
            List<java.net.URI> leaseUrls = s.exporter().lastLeaseUrls();
            HttpResponse<Void> after =
                    java.net.http.HttpClient.newBuilder()
                            .version(java.net.http.HttpClient.Version.HTTP_1_1)
                            .sslContext(vim.downloadSslContext())
                            .build()
                            .send(
                                    HttpRequest.newBuilder(leaseUrls.get(0)).build(),
                                    HttpResponse.BodyHandlers.discarding());
            assertThat(after.statusCode()).isEqualTo(404);
            // the source VM was not modified (devices, CD-ROM, power state)
            VirtualMachineInfo afterVm = vim.virtualMachine(ref);
            assertThat(afterVm.disks()).isEqualTo(before.disks());
            assertThat(afterVm.cdromKeys()).isEqualTo(before.cdromKeys());
            assertThat(afterVm.powerState()).contains(PowerState.OFF);
        }
    }

    @Test
    void aSecondExportIntoThePreviousExportKeepsTheUnchangedDiskAndFetchesATamperedOneAgain()
            throws Exception {
        Path vmdk = Vcsim.makeVmdk(dir, "vm0-resume.vmdk", 2 * 1024 * 1024);
        Path out = dir.resolve("export-resume");
        try (VsphereSession s = session()) {
            VimClient vim = s.client();
            ManagedObjectReference ref = vim.findByInventoryPath("DC0/vm/DC0_H0_VM0").orElseThrow();
            powerOff(vim, ref);
            sim.upload(vim, "DC0_H0_VM0/disk1.vmdk", vmdk);
            ExportResult first =
                    s.export(
                            ExportRequest.builder("DC0_H0_VM0", out).checksums(true).build(),
                            e -> {},
                            Cancellation.create());
            Path disk = first.manifest().disks().get(0).localPath();
            Object inode = Files.getAttribute(disk, "unix:ino");

            List<String> phases = new CopyOnWriteArrayList<>();
            ExportResult second =
                    s.export(
                            ExportRequest.builder("DC0_H0_VM0", out)
                                    .checksums(true)
                                    .previousFiles(PreviousFile.of(first.manifest(), out))
                                    .build(),
                            e -> {
                                if (e instanceof PhaseChanged p) {
                                    phases.add(p.detail());
                                }
                            },
                            Cancellation.create());

            assertThat(phases)
                    .contains(
                            "kept "
                                    + disk.getFileName()
                                    + " from the previous export (size and SHA-256 unchanged)");
            assertThat(Files.getAttribute(disk, "unix:ino"))
                    .as("same file, not a new copy")
                    .isEqualTo(inode);
            assertThat(second.manifest().disks().get(0).checksum()).contains(sha256(vmdk));

            // one byte changed, size unchanged: fetched again
            try (java.nio.channels.FileChannel ch =
                    java.nio.channels.FileChannel.open(
                            disk, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {0x5a}), 1000);
            }
            phases.clear();
            s.export(
                    ExportRequest.builder("DC0_H0_VM0", out)
                            .checksums(true)
                            .previousFiles(PreviousFile.of(second.manifest(), out))
                            .build(),
                    e -> {
                        if (e instanceof PhaseChanged p) {
                            phases.add(p.detail());
                        }
                    },
                    Cancellation.create());
            assertThat(phases).noneMatch(d -> d.startsWith("kept "));
            assertThat(sha256(disk)).isEqualTo(sha256(vmdk));
        }
    }

    @Test
    void exportOfAVmWithTwoDisksDownloadsBothBootDiskFirst() throws Exception {
        Path first = Vcsim.makeVmdk(dir, "vm1-disk1.vmdk", 2 * 1024 * 1024);
        Path second = Vcsim.makeVmdk(dir, "vm1-disk2.vmdk", 1024 * 1024 + 4096);
        Path out = dir.resolve("export-vm1");
        try (VsphereSession s = session()) {
            VimClient vim = s.client();
            ManagedObjectReference ref = vim.findByInventoryPath("DC0/vm/DC0_H0_VM1").orElseThrow();
            powerOff(vim, ref);
            addDisk(vim, ref, 202, 1, "[LocalDS_0] DC0_H0_VM1/disk2.vmdk");
            sim.upload(vim, "DC0_H0_VM1/disk1.vmdk", first);
            sim.upload(vim, "DC0_H0_VM1/disk2.vmdk", second);
            assertThat(vim.virtualMachine(ref).disks()).hasSize(2);

            ExportResult r =
                    s.export(
                            ExportRequest.builder("DC0_H0_VM1", out)
                                    .parallel(2)
                                    .checksums(true)
                                    .build(),
                            e -> {},
                            Cancellation.create());

            List<io.hypersdk.core.manifest.DiskArtifact> disks = r.manifest().disks();
            assertThat(disks).hasSize(2);
            assertThat(disks.get(0).diskType()).isEqualTo(DiskType.BOOT);
            assertThat(disks.get(0).bootOrderHint()).isZero();
            assertThat(sha256(disks.get(0).localPath())).isEqualTo(sha256(first));
            assertThat(disks.get(1).diskType()).isEqualTo(DiskType.DATA);
            assertThat(disks.get(1).bootOrderHint()).isEqualTo(1);
            assertThat(sha256(disks.get(1).localPath())).isEqualTo(sha256(second));
            assertThat(disks).extracting(d -> d.id()).containsExactly("disk-0", "disk-1");
            ManifestValidator.requireValid(
                    ManifestCodec.read(r.manifestPath()), ValidationOptions.withChecksums());
            String ovf = Files.readString(out.resolve("DC0_H0_VM1.ovf"));
            for (var d : disks) {
                assertThat(ovf).contains("ovf:href=\"" + d.localPath().getFileName() + "\"");
            }
        }
    }

    @Test
    void ovaFormatPacksDescriptorFirstAndKeepsTheDisksForTheConverter() throws Exception {
        Path vmdk = Vcsim.makeVmdk(dir, "rp0vm1.vmdk", 1024 * 1024);
        Path out = dir.resolve("export-ova");
        try (VsphereSession s = session()) {
            VimClient vim = s.client();
            ManagedObjectReference ref =
                    vim.findByInventoryPath("DC0/vm/DC0_C0_RP0_VM1").orElseThrow();
            powerOff(vim, ref);
            sim.upload(vim, "DC0_C0_RP0_VM1/disk1.vmdk", vmdk);
            ExportResult r =
                    s.export(
                            ExportRequest.builder("DC0/vm/DC0_C0_RP0_VM1", out)
                                    .format(ExportFormat.OVA)
                                    .build(),
                            e -> {},
                            Cancellation.create());
            Path ova = out.resolve("DC0_C0_RP0_VM1.ova");
            assertThat(r.files()).contains(ova);
            Process tar =
                    new ProcessBuilder("tar", "-tf", ova.toString())
                            .redirectErrorStream(true)
                            .start();
            String listing =
                    new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(tar.waitFor()).isZero();
            assertThat(listing.lines().toList())
                    .containsExactly(
                            "DC0_C0_RP0_VM1.ovf",
                            "DC0_C0_RP0_VM1.mf",
                            "DC0_C0_RP0_VM1-disk-0.vmdk");
            Process extract =
                    new ProcessBuilder("tar", "-xOf", ova.toString(), "DC0_C0_RP0_VM1-disk-0.vmdk")
                            .start();
            byte[] member = extract.getInputStream().readAllBytes();
            assertThat(extract.waitFor()).isZero();
            assertThat(member).isEqualTo(Files.readAllBytes(vmdk));
            assertThat(r.manifest().disks().get(0).localPath())
                    .isEqualTo(out.resolve("DC0_C0_RP0_VM1-disk-0.vmdk"));
        }
    }

    @Test
    void removeCdromLeavesTheDriveOutOfTheOvfButNotOutOfTheVm() throws Exception {
        Path vmdk = Vcsim.makeVmdk(dir, "cdrom-vm.vmdk", 512 * 1024);
        try (VsphereSession s = session()) {
            VimClient vim = s.client();
            ManagedObjectReference ref = vim.findByInventoryPath("DC0/vm/DC0_H0_VM0").orElseThrow();
            powerOff(vim, ref);
            sim.upload(vim, "DC0_H0_VM0/disk1.vmdk", vmdk);
            XmlElement spec =
                    XmlElement.builder("spec")
                            .add(
                                    "deviceChange",
                                    dc ->
                                            dc.add("operation", "add")
                                                    .addTyped(
                                                            "device",
                                                            "VirtualCdrom",
                                                            d ->
                                                                    d.add("key", "-2")
                                                                            .addTyped(
                                                                                    "backing",
                                                                                    "VirtualCdromRemotePassthroughBackingInfo",
                                                                                    b ->
                                                                                            b.add(
                                                                                                            "deviceName",
                                                                                                            "")
                                                                                                    .add(
                                                                                                            "exclusive",
                                                                                                            "false"))
                                                                            .add(
                                                                                    "controllerKey",
                                                                                    "200")
                                                                            .add(
                                                                                    "unitNumber",
                                                                                    "0")))
                            .build();
            vim.waitForTask(
                    VimConnection.returnval(
                                    vim.invoke("ReconfigVM_Task", ref, spec), "ReconfigVM_Task")
                            .asMoref(),
                    "ReconfigVM_Task");
            List<Integer> cdroms = vim.virtualMachine(ref).cdromKeys();
            assertThat(cdroms).hasSize(2);

            s.export(
                    ExportRequest.builder("DC0_H0_VM0", dir.resolve("with-cd")).build(),
                    e -> {},
                    Cancellation.create());
            assertThat(Files.readString(dir.resolve("with-cd/DC0_H0_VM0.ovf")))
                    .contains("<rasd:ResourceType>15</rasd:ResourceType>");

            ExportResult r =
                    s.export(
                            ExportRequest.builder("DC0_H0_VM0", dir.resolve("without-cd"))
                                    .removeCdrom(true)
                                    .build(),
                            e -> {},
                            Cancellation.create());
            String ovf = Files.readString(dir.resolve("without-cd/DC0_H0_VM0.ovf"));
            assertThat(ovf)
                    .doesNotContain("<rasd:ResourceType>15</rasd:ResourceType>")
                    .contains("<rasd:ResourceType>17</rasd:ResourceType>");
            assertThat(r.manifest().notes())
                    .anySatisfy(n -> assertThat(n).contains("the source VM was not changed"));
            assertThat(vim.virtualMachine(ref).cdromKeys()).isEqualTo(cdroms);
        }
    }

    @Test
    void powerOffOnRequestShutsTheGuestDownFirstThenExports() throws Exception {
        Path vmdk = Vcsim.makeVmdk(dir, "poweroff.vmdk", 256 * 1024);
        try (VsphereSession s = session()) {
            VimClient vim = s.client();
            ManagedObjectReference ref = vim.findByInventoryPath("DC0/vm/DC0_H0_VM1").orElseThrow();
            if (vim.virtualMachine(ref).powerState().orElseThrow() != PowerState.ON) {
                vim.waitForTask(
                        VimConnection.returnval(vim.invoke("PowerOnVM_Task", ref), "PowerOnVM_Task")
                                .asMoref(),
                        "PowerOnVM_Task");
            }
            sim.upload(vim, "DC0_H0_VM1/disk1.vmdk", vmdk);
            List<String> phases = new CopyOnWriteArrayList<>();
            ExportResult r =
                    s.export(
                            ExportRequest.builder("DC0_H0_VM1", dir.resolve("export-poweroff"))
                                    .powerOff(true)
                                    .build(),
                            e -> {
                                if (e instanceof io.hypersdk.core.progress.PhaseChanged p) {
                                    phases.add(p.detail());
                                }
                            },
                            Cancellation.create());
            assertThat(phases).contains("DC0_H0_VM1 is off (guest shutdown)");
            assertThat(vim.virtualMachine(ref).powerState()).contains(PowerState.OFF);
            assertThat(sha256(r.manifest().bootDisk().localPath())).isEqualTo(sha256(vmdk));
        }
    }

    @Test
    void aPoweredOnVmIsRefusedWithInvalidPowerStateAndTheWayOut() {
        Path out = dir.resolve("export-on");
        try (VsphereSession s = session()) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder("DC0_C0_RP0_VM0", out).build(),
                                            e -> {},
                                            Cancellation.create()))
                    .isInstanceOf(InvalidSourceException.class)
                    .hasCauseInstanceOf(InvalidPowerStateException.class)
                    .hasMessageContaining("InvalidPowerState")
                    .hasMessageContaining("poweredOn")
                    .hasMessageContaining("power the VM off")
                    .hasMessageContaining("snapshot");
            assertThat(out.resolve("artifact-manifest.json")).doesNotExist();
            // and the server says the same when asked directly
            VimClient vim = s.client();
            ManagedObjectReference ref =
                    vim.findByInventoryPath("DC0/vm/DC0_C0_RP0_VM0").orElseThrow();
            assertThatThrownBy(() -> vim.invoke("ExportVm", ref))
                    .isInstanceOfSatisfying(
                            InvalidPowerStateException.class,
                            e -> {
                                assertThat(e.faultName()).isEqualTo("InvalidPowerState");
                                assertThat(e.existingState()).contains(PowerState.ON);
                                assertThat(e.requestedState()).contains(PowerState.OFF);
                            })
                    .hasMessageContaining("power the VM off");
            assertThat(vim.virtualMachine(ref).powerState()).contains(PowerState.ON);
        }
    }

    @Test
    void cancellingDuringTheTransferReleasesTheLeaseAndWritesNoManifest() throws Exception {
        Path vmdk = Vcsim.makeVmdk(dir, "cancel.vmdk", 4 * 1024 * 1024);
        Path out = dir.resolve("export-cancel");
        try (VsphereSession s = session()) {
            VimClient vim = s.client();
            ManagedObjectReference ref =
                    vim.findByInventoryPath("DC0/vm/DC0_C0_RP0_VM1").orElseThrow();
            powerOff(vim, ref);
            sim.upload(vim, "DC0_C0_RP0_VM1/disk1.vmdk", vmdk);
            Cancellation cancel = Cancellation.create();
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder("DC0_C0_RP0_VM1", out).build(),
                                            e -> {
                                                if (e instanceof TransferProgress) {
                                                    cancel.cancel();
                                                }
                                            },
                                            cancel))
                    .isInstanceOf(CancelledException.class);
            ManagedObjectReference lease = s.exporter().lastLease().orElseThrow();
            // HttpNfcLeaseAbort released it: the simulator no longer knows the lease
            assertThatThrownBy(() -> vim.properties(lease, List.of("state")))
                    .isInstanceOf(ManagedObjectNotFoundException.class);
            assertThat(out.resolve("artifact-manifest.json")).doesNotExist();
            assertThat(out.resolve("DC0_C0_RP0_VM1.ovf")).doesNotExist();
        }
    }

    @Test
    void theProviderIsFoundByIdAndConnectsFromConfiguration() {
        ExportProvider p = ExportProviders.find("vsphere").orElseThrow();
        assertThat(p).isInstanceOf(VsphereExportProvider.class);
        ProviderConfig config =
                ProviderConfig.builder(Map.of())
                        .set("url", sim.sdk.toString())
                        .set("username", "user")
                        .set("ca-file", sim.certPem.toString())
                        .secret("password", Secret.of("pass"))
                        .build();
        try (ProviderSession s = p.connect(config)) {
            assertThat(s.listVms())
                    .extracting(VmSummary::name)
                    .contains("DC0_H0_VM0", "DC0_C0_RP0_VM0");
            assertThat(s.listVms())
                    .filteredOn(v -> v.name().equals("DC0_H0_VM0"))
                    .singleElement()
                    .satisfies(v -> assertThat(v.path()).contains("/DC0/vm/DC0_H0_VM0"));
            VmDescription d = s.describe("DC0/vm/DC0_C0_RP0_VM0");
            assertThat(d.name()).isEqualTo("DC0_C0_RP0_VM0");
            assertThat(d.disks()).hasSize(1);
            assertThat(d.nics())
                    .singleElement()
                    .satisfies(n -> assertThat(n.network()).contains("DC0_DVPG0"));
            assertThat(d.path()).contains("/DC0/vm/DC0_C0_RP0_VM0");
            assertThatThrownBy(() -> s.describe("no-such-vm"))
                    .isInstanceOf(VmNotFoundException.class)
                    .hasMessageContaining("no VM named no-such-vm");
        }
    }

    @Test
    void theProviderConnectsFromTheGovcEnvironment() {
        VsphereExportProvider p =
                new VsphereExportProvider(sim.govcEnvironment(), VsphereExporter.Tuning.defaults());
        try (ProviderSession s = p.connect(ProviderConfig.empty())) {
            assertThat(s.listVms()).hasSize(4);
        }
        Map<String, String> badPassword = new java.util.HashMap<>(sim.govcEnvironment());
        badPassword.put("GOVC_PASSWORD", "nope-not-it");
        VsphereExportProvider bad =
                new VsphereExportProvider(badPassword, VsphereExporter.Tuning.defaults());
        assertThatThrownBy(() -> bad.connect(ProviderConfig.empty()))
                .isInstanceOf(io.hypersdk.provider.spi.AuthenticationException.class)
                .hasMessageContaining("refused the login of user user")
                .hasMessageNotContaining("nope-not-it");
    }

    /** Powers the VM off unless it already is (tests share one simulator). */
    static void powerOff(VimClient vim, ManagedObjectReference vm) {
        if (vim.virtualMachine(vm).powerState().orElseThrow() != PowerState.OFF) {
            vim.powerOff(vm);
        }
    }

    /** ReconfigVM_Task adding a thin disk (the simulator creates its backing file). */
    static void addDisk(
            VimClient vim,
            ManagedObjectReference vm,
            int controllerKey,
            int unit,
            String fileName) {
        XmlElement spec =
                XmlElement.builder("spec")
                        .add(
                                "deviceChange",
                                dc ->
                                        dc.add("operation", "add")
                                                .add("fileOperation", "create")
                                                .addTyped(
                                                        "device",
                                                        "VirtualDisk",
                                                        d ->
                                                                d.add("key", "-1")
                                                                        .addTyped(
                                                                                "backing",
                                                                                "VirtualDiskFlatVer2BackingInfo",
                                                                                b ->
                                                                                        b.add(
                                                                                                        "fileName",
                                                                                                        fileName)
                                                                                                .add(
                                                                                                        "diskMode",
                                                                                                        "persistent")
                                                                                                .add(
                                                                                                        "thinProvisioned",
                                                                                                        "true"))
                                                                        .add(
                                                                                "controllerKey",
                                                                                Integer.toString(
                                                                                        controllerKey))
                                                                        .add(
                                                                                "unitNumber",
                                                                                Integer.toString(
                                                                                        unit))
                                                                        .add(
                                                                                "capacityInKB",
                                                                                "2048")))
                        .build();
        ManagedObjectReference task =
                VimConnection.returnval(vim.invoke("ReconfigVM_Task", vm, spec), "ReconfigVM_Task")
                        .asMoref();
        vim.waitForTask(task, "ReconfigVM_Task");
    }
}
