package io.hypersdk.provider.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * One VM in a listing.
 *
 * @param id the source's stable id (a managed-object id, a file path); never empty
 * @param name the VM's display name
 * @param path an inventory path, when the source has one ({@code /DC1/vm/web-01})
 * @param powerState power state
 * @param cpu virtual CPUs (0 when unknown)
 * @param memoryBytes memory in bytes (0 when unknown)
 * @param guestOs the source's guest OS id ({@code ubuntu64Guest}), when known
 */
public record VmSummary(
        String id,
        String name,
        Optional<String> path,
        PowerState powerState,
        int cpu,
        long memoryBytes,
        Optional<String> guestOs) {
    public VmSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(powerState, "powerState");
        Objects.requireNonNull(guestOs, "guestOs");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("VmSummary.id must not be empty");
        }
        if (cpu < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException(
                    "VmSummary cpu and memoryBytes must be >= 0 (got "
                            + cpu
                            + ", "
                            + memoryBytes
                            + ")");
        }
    }
}
