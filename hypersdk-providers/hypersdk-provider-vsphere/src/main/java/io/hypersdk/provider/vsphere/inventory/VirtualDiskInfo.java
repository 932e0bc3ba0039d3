package io.hypersdk.provider.vsphere.inventory;

import java.util.Optional;

/**
 * A virtual disk of a VM.
 *
 * @param key the device key
 * @param label its label, e.g. {@code Hard disk 1}
 * @param capacityBytes the virtual capacity in bytes
 * @param fileName the backing file, e.g. {@code [LocalDS_0] vm/disk1.vmdk}
 * @param controllerType the controller's vim25 type, e.g. {@code ParaVirtualSCSIController}
 * @param controllerBusNumber the controller's bus number
 * @param unitNumber the disk's unit number on that controller
 */
public record VirtualDiskInfo(
        int key,
        String label,
        long capacityBytes,
        Optional<String> fileName,
        String controllerType,
        int controllerBusNumber,
        int unitNumber) {

    /**
     * The export slot name vSphere uses in lease device URL keys, e.g. {@code
     * ParaVirtualSCSIController0:0}.
     */
    public String slot() {
        return controllerType + controllerBusNumber + ":" + unitNumber;
    }
}
