package io.hypersdk.core.manifest;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the VM came from ({@code source}).
 *
 * @param provider provider id ({@code provider}: vsphere, local, aws, ...), always written
 * @param vmId provider's VM id ({@code vm_id})
 * @param vmName the raw VM name ({@code vm_name})
 * @param datacenter datacenter name ({@code datacenter})
 * @param exportMethod how it was exported ({@code export_method})
 * @param exportTimestamp when ({@code export_timestamp}, RFC 3339)
 */
public record ManifestSource(
        String provider,
        Optional<String> vmId,
        Optional<String> vmName,
        Optional<String> datacenter,
        Optional<String> exportMethod,
        Optional<Instant> exportTimestamp) {

    /** Checks for nulls. */
    public ManifestSource {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(vmName, "vmName");
        Objects.requireNonNull(datacenter, "datacenter");
        Objects.requireNonNull(exportMethod, "exportMethod");
        Objects.requireNonNull(exportTimestamp, "exportTimestamp");
    }

    /**
     * A source with only the provider set.
     *
     * @param provider provider id
     * @return the source
     */
    public static ManifestSource of(String provider) {
        return new ManifestSource(
                provider,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    /**
     * Returns a copy with {@code vm_id} set.
     *
     * @param v VM id
     * @return a copy with {@code vm_id} set
     */
    public ManifestSource withVmId(String v) {
        return new ManifestSource(
                provider, Optional.of(v), vmName, datacenter, exportMethod, exportTimestamp);
    }

    /**
     * Returns a copy with {@code vm_name} set.
     *
     * @param v VM name
     * @return a copy with {@code vm_name} set
     */
    public ManifestSource withVmName(String v) {
        return new ManifestSource(
                provider, vmId, Optional.of(v), datacenter, exportMethod, exportTimestamp);
    }

    /**
     * Returns a copy with {@code datacenter} set.
     *
     * @param v datacenter
     * @return a copy with {@code datacenter} set
     */
    public ManifestSource withDatacenter(String v) {
        return new ManifestSource(
                provider, vmId, vmName, Optional.of(v), exportMethod, exportTimestamp);
    }

    /**
     * Returns a copy with {@code export_method} set.
     *
     * @param v export method
     * @return a copy with {@code export_method} set
     */
    public ManifestSource withExportMethod(String v) {
        return new ManifestSource(
                provider, vmId, vmName, datacenter, Optional.of(v), exportTimestamp);
    }

    /**
     * Returns a copy with {@code export_timestamp} set.
     *
     * @param v export time
     * @return a copy with {@code export_timestamp} set
     */
    public ManifestSource withExportTimestamp(Instant v) {
        return new ManifestSource(provider, vmId, vmName, datacenter, exportMethod, Optional.of(v));
    }
}
