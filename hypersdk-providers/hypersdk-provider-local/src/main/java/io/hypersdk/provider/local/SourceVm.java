package io.hypersdk.provider.local;

import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmDisk;
import io.hypersdk.provider.spi.VmNic;
import java.util.List;
import java.util.Optional;

/**
 * A VM as read from an OVF descriptor or a VMX file: hardware plus the disks, boot disk first, each
 * naming the file (relative to the descriptor) that holds it.
 */
record SourceVm(
        String name,
        Optional<String> guestOs,
        int cpu,
        long memoryBytes,
        Firmware firmware,
        boolean secureBoot,
        List<SourceDisk> disks,
        List<VmNic> nics,
        List<String> warnings) {

    SourceVm {
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
        warnings = List.copyOf(warnings);
    }

    /**
     * One disk.
     *
     * @param id the descriptor's disk id ({@code vmdisk1}, {@code scsi0:0})
     * @param label a display label, when the descriptor has one
     * @param capacityBytes virtual size (0 when unknown)
     * @param format file format
     * @param file the file holding it, relative to the descriptor ({@code /}-separated)
     * @param fileSize the file size the descriptor declares (-1 when it declares none)
     * @param gzip whether the file is gzip-compressed ({@code ovf:compression="gzip"})
     * @param controller where it is attached ({@code scsi0:0}), when known
     */
    record SourceDisk(
            String id,
            Optional<String> label,
            long capacityBytes,
            io.hypersdk.core.manifest.DiskFormat format,
            String file,
            long fileSize,
            boolean gzip,
            Optional<String> controller) {}

    VmDescription describe(String id, Optional<String> path) {
        VmDescription.Builder b =
                VmDescription.builder()
                        .id(id)
                        .name(name)
                        .powerState(PowerState.OFF)
                        .cpu(cpu)
                        .memoryBytes(memoryBytes)
                        .firmware(firmware)
                        .secureBoot(secureBoot)
                        .nics(nics);
        path.ifPresent(b::path);
        guestOs.ifPresent(b::guestOs);
        for (SourceDisk d : disks) {
            b.addDisk(
                    new VmDisk(
                            d.id(),
                            d.label(),
                            d.capacityBytes(),
                            d.format(),
                            Optional.of(d.file()),
                            d.controller()));
        }
        return b.build();
    }
}
