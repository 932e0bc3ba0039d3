package io.hypersdk.provider.vsphere.inventory;

import java.util.Optional;

/**
 * A network adapter of a VM.
 *
 * @param key the device key
 * @param label its label, e.g. {@code Network adapter 1}
 * @param adapterType the vim25 type, e.g. {@code VirtualVmxnet3}
 * @param macAddress its MAC address, when assigned
 * @param network the name of the network or distributed port group it is attached to
 */
public record VirtualNicInfo(
        int key,
        String label,
        String adapterType,
        Optional<String> macAddress,
        Optional<String> network) {}
