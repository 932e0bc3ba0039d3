package io.hypersdk.provider.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * One network adapter of a VM.
 *
 * @param id the source's id or label ({@code ethernet0}, {@code Network adapter 1})
 * @param mac the MAC address, lower case {@code aa:bb:cc:dd:ee:ff}, when known
 * @param network the network it is connected to, when known
 * @param adapterType the adapter model ({@code vmxnet3}, {@code e1000}), when known
 */
public record VmNic(
        Optional<String> id,
        Optional<String> mac,
        Optional<String> network,
        Optional<String> adapterType) {
    public VmNic {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(adapterType, "adapterType");
    }
}
