package io.hypersdk.provider.spi;

import io.hypersdk.core.manifest.DiskFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One virtual disk of a VM, in boot order within {@link VmDescription#disks()}.
 *
 * @param id the source's disk id ({@code vmdisk1}, {@code scsi0:0}, a device key)
 * @param label a display label ({@code Hard disk 1}), when known
 * @param capacityBytes virtual capacity in bytes (0 when unknown)
 * @param format the format of the disk file at the source
 * @param fileName the disk's file name or location at the source, when known
 * @param controller where it is attached ({@code scsi0:0}, {@code sata0:1}), when known
 */
public record VmDisk(
        String id,
        Optional<String> label,
        long capacityBytes,
        DiskFormat format,
        Optional<String> fileName,
        Optional<String> controller) {
    public VmDisk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(controller, "controller");
        if (capacityBytes < 0) {
            throw new IllegalArgumentException(
                    "VmDisk.capacityBytes must be >= 0 (got " + capacityBytes + ")");
        }
    }
}
