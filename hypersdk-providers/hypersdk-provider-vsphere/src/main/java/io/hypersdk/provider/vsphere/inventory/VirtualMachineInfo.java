package io.hypersdk.provider.vsphere.inventory;

import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import java.util.List;
import java.util.Optional;

/**
 * What the export needs to know about a VM: hardware, firmware, guest, disks, NICs, power state.
 *
 * @param ref its managed object reference
 * @param name its name
 * @param numCpu virtual CPUs
 * @param memoryMb memory in MiB
 * @param firmware the firmware as vSphere reports it ({@code bios} or {@code efi})
 * @param secureBoot whether EFI secure boot is on
 * @param guestId the guest OS id, e.g. {@code ubuntu64Guest}
 * @param guestFullName the guest OS description
 * @param instanceUuid the vCenter instance UUID
 * @param powerState the power state
 * @param disks virtual disks in device order
 * @param nics network adapters in device order
 * @param cdromKeys device keys of the CD-ROM drives
 * @param bootDiskKey the disk the boot order names first, if the VM has an explicit boot order
 * @param parent its parent folder or vApp
 */
public record VirtualMachineInfo(
        ManagedObjectReference ref,
        String name,
        int numCpu,
        long memoryMb,
        Optional<String> firmware,
        boolean secureBoot,
        Optional<String> guestId,
        Optional<String> guestFullName,
        Optional<String> instanceUuid,
        Optional<PowerState> powerState,
        List<VirtualDiskInfo> disks,
        List<VirtualNicInfo> nics,
        List<Integer> cdromKeys,
        Optional<Integer> bootDiskKey,
        Optional<ManagedObjectReference> parent) {

    public VirtualMachineInfo {
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
        cdromKeys = List.copyOf(cdromKeys);
    }
}
