package io.hypersdk.provider.vsphere.nfc;

import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.ManifestMetadata;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestVm;
import io.hypersdk.core.manifest.ManifestWarning;
import io.hypersdk.core.manifest.NicArtifact;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.vsphere.inventory.VirtualDiskInfo;
import io.hypersdk.provider.vsphere.inventory.VirtualMachineInfo;
import io.hypersdk.provider.vsphere.inventory.VirtualMachineReader;
import io.hypersdk.provider.vsphere.inventory.VirtualNicInfo;
import io.hypersdk.transfer.DownloadedFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Artifact Manifest of a vSphere export: the VM's hardware and guest, its disks boot disk first
 * (the disk the boot order names, else by controller type, bus and unit), its NICs, and the
 * caller's notes, tags and pipeline settings.
 */
final class ExportManifests {
    static final String HYPERSDK_VERSION = "0.1.0";

    private ExportManifests() {}

    /** Which VM disk a lease device key names ({@code /vm-57/ParaVirtualSCSIController0:0}). */
    static Optional<VirtualDiskInfo> diskFor(NfcLease.DeviceUrl d, List<VirtualDiskInfo> disks) {
        String key = d.key();
        String slot = key.substring(key.lastIndexOf('/') + 1);
        return disks.stream().filter(x -> x.slot().equals(slot)).findFirst();
    }

    /**
     * The manifest of one export: {@code plan} and {@code files} are the lease's files in the same
     * order; {@code hostPort} names the server in notes and tags; {@code created} is the manifest's
     * creation time.
     */
    static ArtifactManifest manifest(
            VirtualMachineInfo vm,
            String datacenter,
            List<NfcDownloads.Planned> plan,
            List<DownloadedFile> files,
            ExportRequest request,
            String hostPort,
            Instant started,
            Instant created) {
        List<ManifestWarning> warnings = new ArrayList<>();
        record Disk(DownloadedFile file, Optional<VirtualDiskInfo> info, int leaseIndex) {}
        List<Disk> disks = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            NfcLease.DeviceUrl d = plan.get(i).device();
            boolean vmdk =
                    files.get(i)
                            .path()
                            .getFileName()
                            .toString()
                            .toLowerCase(Locale.ROOT)
                            .endsWith(".vmdk");
            if (!d.disk() && !vmdk) {
                continue; // nvram and other non-disk files stay next to the OVF
            }
            Optional<VirtualDiskInfo> info = diskFor(d, vm.disks());
            if (info.isEmpty()) {
                warnings.add(
                        ManifestWarning.of(
                                "export",
                                "lease file "
                                        + d.key()
                                        + " matches no disk of the VM configuration; its boot order is a guess"));
            }
            disks.add(new Disk(files.get(i), info, i));
        }
        // boot disk first: the disk the boot order names, else by controller type, bus and unit
        Comparator<Disk> order =
                Comparator.comparingInt(
                                (Disk x) ->
                                        x.info().isPresent()
                                                        && vm.bootDiskKey().isPresent()
                                                        && x.info().get().key()
                                                                == vm.bootDiskKey().get()
                                                ? 0
                                                : 1)
                        .thenComparingInt(
                                x ->
                                        x.info()
                                                .map(di -> controllerRank(di.controllerType()))
                                                .orElse(9))
                        .thenComparingInt(
                                x -> x.info().map(VirtualDiskInfo::controllerBusNumber).orElse(99))
                        .thenComparingInt(x -> x.info().map(VirtualDiskInfo::unitNumber).orElse(99))
                        .thenComparingInt(Disk::leaseIndex);
        disks.sort(order);

        ArtifactManifest.Builder b = ArtifactManifest.builder();
        ManifestSource source =
                ManifestSource.of("vsphere")
                        .withVmId(vm.ref().value())
                        .withVmName(vm.name())
                        .withExportMethod("nfc-" + request.format().id())
                        .withExportTimestamp(started);
        if (!datacenter.isEmpty()) {
            source = source.withDatacenter(datacenter);
        }
        b.source(source);
        // whole GiB, rounded up as the local provider does: a VM never gets less memory than it had
        ManifestVm mvm =
                ManifestVm.of(
                                vm.numCpu(),
                                (int) Math.min(Integer.MAX_VALUE, (vm.memoryMb() + 1023) / 1024),
                                VirtualMachineReader.firmware(vm.firmware()))
                        .withSecureboot(vm.secureBoot());
        if (vm.guestId().isPresent()) {
            mvm =
                    mvm.withOsHint(VmDescription.osHintFor(vm.guestId().get()))
                            .withOsVersion(vm.guestId().get());
        }
        b.vm(mvm);
        for (int i = 0; i < disks.size(); i++) {
            Disk d = disks.get(i);
            DiskArtifact.Builder db =
                    DiskArtifact.builder()
                            .id("disk-" + i)
                            .sourceFormat(DiskFormat.VMDK)
                            .bytes(d.file().bytes())
                            .localPath(d.file().path())
                            .bootOrderHint(i)
                            .diskType(i == 0 ? DiskType.BOOT : DiskType.DATA);
            if (request.checksums()) {
                db.checksum(
                        d.file().checksum()); // always computed while streaming; written only when
                // asked
            }
            d.info().ifPresent(di -> db.label(di.label()));
            b.addDisk(db.build());
        }
        for (VirtualNicInfo n : vm.nics()) {
            b.addNic(new NicArtifact(Optional.of(n.label()), n.macAddress(), n.network()));
        }
        warnings.forEach(b::addWarning);
        b.addNote("Exported from vSphere (" + hostPort + ") by hypersdk-java " + HYPERSDK_VERSION);
        b.addNote("Export method: " + request.format().id());
        if (request.removeCdrom()) {
            b.addNote(
                    "CD-ROM drives left out of the OVF descriptor; the source VM was not changed");
        }
        request.manifest().notes().forEach(b::addNote);
        ManifestMetadata meta =
                ManifestMetadata.empty()
                        .withHypersdkVersion(HYPERSDK_VERSION)
                        .withCreatedAt(created)
                        .withTag("provider", "vsphere")
                        .withTag("export_format", request.format().id())
                        .withTag("vcenter_host", hostPort);
        request.completeManifest(b, meta);
        return b.build();
    }

    private static int controllerRank(String type) {
        if (type.contains("IDE")) {
            return 0;
        }
        if (type.contains("SCSI") || type.contains("LsiLogic") || type.contains("BusLogic")) {
            return 1;
        }
        if (type.contains("AHCI") || type.contains("SATA")) {
            return 2;
        }
        return type.contains("NVME") ? 3 : 4;
    }
}
