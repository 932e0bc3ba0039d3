package io.hypersdk.provider.vsphere.inventory;

import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import java.util.Optional;

/**
 * One VM of the inventory as listed by {@link VmInventory#listVirtualMachines()}.
 *
 * @param ref its managed object reference ({@code VirtualMachine:vm-57})
 * @param name its name
 * @param path its inventory path ({@code /DC0/vm/folder/web-01}), when its parents lead to the root
 * @param powerState its power state, when the server reported one
 * @param guestId the configured guest OS id, e.g. {@code ubuntu64Guest}
 * @param template whether it is a template
 * @param numCpu virtual CPUs (0 when not reported)
 * @param memoryMb memory in MiB (0 when not reported)
 */
public record VmListing(
        ManagedObjectReference ref,
        String name,
        Optional<String> path,
        Optional<PowerState> powerState,
        Optional<String> guestId,
        boolean template,
        int numCpu,
        long memoryMb) {}
