package io.hypersdk.provider.spi;

/** What a provider can do. Callers check {@link ExportProvider#capabilities()} before asking. */
public enum Capability {
    /** {@link ProviderSession#listVms()} returns the source's inventory. */
    LIST_VMS,
    /** {@link ProviderSession#describe(String)} returns hardware details. */
    DESCRIBE_VM,
    /** Exports as OVF: descriptor plus separate disk files. */
    EXPORT_OVF,
    /** Exports as a single OVA archive. */
    EXPORT_OVA,
    /** Computes SHA-256 checksums of the exported disks while exporting. */
    CHECKSUMS,
    /** An interrupted export continues where it stopped instead of starting over. */
    RESUME,
    /** Several disks are transferred in parallel ({@link ExportRequest#parallel()}). */
    PARALLEL_DISKS,
    /** Can power the VM off before exporting ({@link ExportRequest#powerOff()}). */
    POWER_OFF,
    /** Reads from local files only: no network, no credentials. */
    LOCAL_FILES
}
