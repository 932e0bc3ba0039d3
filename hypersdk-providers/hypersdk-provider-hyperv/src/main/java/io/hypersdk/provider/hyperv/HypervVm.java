package io.hypersdk.provider.hyperv;

import io.hypersdk.provider.spi.PowerState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Hyper-V VM as the inventory read it.
 *
 * @param memoryStartupBytes Get-VM MemoryStartup
 * @param dynamicMemory Get-VM DynamicMemoryEnabled, with MemoryMinimum / MemoryMaximum
 * @param disks boot disk first (the firmware's boot order, else controller order)
 * @param secureBoot Get-VMFirmware SecureBoot (generation 2 only)
 */
record HypervVm(
        String name,
        String id,
        PowerState power,
        String stateName,
        int generation,
        int cpu,
        long memoryStartupBytes,
        Optional<DynamicMemory> dynamicMemory,
        List<Disk> disks,
        List<Nic> nics,
        boolean secureBoot) {

    HypervVm {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(power, "power");
        Objects.requireNonNull(stateName, "stateName");
        Objects.requireNonNull(dynamicMemory, "dynamicMemory");
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
    }

    /** Dynamic memory bounds in bytes. */
    record DynamicMemory(long minimumBytes, long maximumBytes) {}

    /**
     * A virtual hard disk attached to the VM.
     *
     * @param controller {@code IDE} or {@code SCSI}
     * @param path the VHD/VHDX path on the host
     * @param fileSizeBytes Get-VHD FileSize: the real size of the file on the host
     * @param capacityBytes Get-VHD Size: what the guest sees
     * @param parentPath the parent of a differencing disk
     */
    record Disk(
            String controller,
            int controllerNumber,
            int controllerLocation,
            String path,
            String format,
            long fileSizeBytes,
            long capacityBytes,
            Optional<String> parentPath) {
        Disk {
            Objects.requireNonNull(controller, "controller");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(parentPath, "parentPath");
        }

        /** The file name of {@link #path()}. */
        String fileName() {
            return path.substring(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
        }
    }

    /** A network adapter: its name, MAC ({@code 00:15:5d:...}) and virtual switch. */
    record Nic(String name, Optional<String> mac, Optional<String> switchName) {}
}
