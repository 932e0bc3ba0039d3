package io.hypersdk.provider.hyperv;

import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.manifest.ManifestMetadata;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestVm;
import io.hypersdk.core.manifest.ManifestWarning;
import io.hypersdk.core.manifest.NicArtifact;
import io.hypersdk.provider.spi.ExportRequest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Artifact Manifest of a Hyper-V export, in the same shape as the other providers': boot disk
 * first, real file sizes, {@code source_format} {@code vhdx} or {@code vhd}, generation 2 as {@code
 * uefi} with Secure Boot noted.
 */
final class HypervManifests {
    static final String HYPERSDK_VERSION = "0.1.0";

    private HypervManifests() {}

    /** A fetched file and the VM disk it is (empty when no disk of the VM has its name). */
    record ExportedDisk(DiskDownloads.Fetched file, Optional<HypervVm.Disk> disk) {}

    static ArtifactManifest manifest(
            HypervVm vm,
            List<ExportedDisk> disks,
            ExportRequest request,
            String hostPort,
            String exportMethod,
            boolean fromCheckpoint,
            List<String> notes,
            Instant started,
            Instant created) {
        ArtifactManifest.Builder b = ArtifactManifest.builder();
        b.source(
                ManifestSource.of(HypervExportProvider.ID)
                        .withVmId(vm.id())
                        .withVmName(vm.name())
                        .withExportMethod(exportMethod)
                        .withExportTimestamp(started));
        // whole GiB, rounded up as the other providers do: a VM never gets less memory than it had
        long mem =
                vm.dynamicMemory()
                        .map(d -> Math.max(d.maximumBytes(), vm.memoryStartupBytes()))
                        .orElse(vm.memoryStartupBytes());
        int memGib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (mem + (1L << 30) - 1) >> 30));
        b.vm(
                ManifestVm.of(
                                Math.max(1, vm.cpu()),
                                memGib,
                                vm.generation() == 2 ? Firmware.UEFI : Firmware.BIOS)
                        .withSecureboot(vm.secureBoot()));
        for (int i = 0; i < disks.size(); i++) {
            ExportedDisk d = disks.get(i);
            String name = d.file().path().getFileName().toString().toLowerCase(Locale.ROOT);
            DiskArtifact.Builder db =
                    DiskArtifact.builder()
                            .id("disk-" + i)
                            .sourceFormat(name.endsWith(".vhd") ? DiskFormat.VHD : DiskFormat.VHDX)
                            .bytes(d.file().bytes())
                            .localPath(d.file().path())
                            .bootOrderHint(i)
                            .diskType(i == 0 ? DiskType.BOOT : DiskType.DATA);
            if (request.checksums()) {
                db.checksum(d.file().checksum());
            }
            d.disk()
                    .ifPresent(
                            x ->
                                    db.label(
                                            x.controller()
                                                    + " "
                                                    + x.controllerNumber()
                                                    + ":"
                                                    + x.controllerLocation()));
            b.addDisk(db.build());
            if (d.disk().isEmpty()) {
                b.addWarning(
                        ManifestWarning.of(
                                "export",
                                "exported file "
                                        + d.file().path().getFileName()
                                        + " matches no disk of the VM configuration; its boot order is a guess"));
            }
        }
        for (HypervVm.Nic n : vm.nics()) {
            b.addNic(new NicArtifact(Optional.of(n.name()), n.mac(), n.switchName()));
        }
        b.addNote("Exported from Hyper-V (" + hostPort + ") by hypersdk-java " + HYPERSDK_VERSION);
        b.addNote(
                "Generation "
                        + vm.generation()
                        + (vm.secureBoot() ? ", Secure Boot on" : "")
                        + vm.dynamicMemory()
                                .map(
                                        d ->
                                                ", dynamic memory "
                                                        + (d.minimumBytes() >> 20)
                                                        + "-"
                                                        + (d.maximumBytes() >> 20)
                                                        + " MiB (startup "
                                                        + (vm.memoryStartupBytes() >> 20)
                                                        + " MiB)")
                                .orElse(""));
        if (fromCheckpoint) {
            b.addNote(
                    "The VM was "
                            + vm.stateName()
                            + ": exported from a checkpoint, removed afterwards");
        }
        notes.forEach(b::addNote);
        request.manifest().notes().forEach(b::addNote);
        ManifestMetadata meta =
                ManifestMetadata.empty()
                        .withHypersdkVersion(HYPERSDK_VERSION)
                        .withCreatedAt(created)
                        .withTag("provider", HypervExportProvider.ID)
                        .withTag("hyperv_host", hostPort)
                        .withTag("hyperv_generation", Integer.toString(vm.generation()));
        request.completeManifest(b, meta);
        return b.build();
    }
}
