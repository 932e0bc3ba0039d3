package io.hypersdk.core.manifest;

import java.util.Objects;
import java.util.Optional;

/**
 * A network interface ({@code nics[]}); every field is optional.
 *
 * @param id interface id ({@code id})
 * @param mac MAC address ({@code mac}, {@code xx:xx:xx:xx:xx:xx})
 * @param network network or port group name ({@code network})
 */
public record NicArtifact(Optional<String> id, Optional<String> mac, Optional<String> network) {
    /** Checks for nulls. */
    public NicArtifact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(network, "network");
    }

    /**
     * A NIC with a MAC address and a network.
     *
     * @param mac MAC address
     * @param network network name
     * @return the NIC
     */
    public static NicArtifact of(String mac, String network) {
        return new NicArtifact(Optional.empty(), Optional.of(mac), Optional.of(network));
    }
}
