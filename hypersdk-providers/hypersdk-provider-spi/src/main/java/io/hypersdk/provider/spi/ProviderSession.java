package io.hypersdk.provider.spi;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ProgressListener;
import java.util.List;

/**
 * A connection to one export source, from {@link ExportProvider#connect(ProviderConfig)}. Close it
 * when done (logs out, releases leases). A session may be used from one thread at a time unless the
 * provider documents otherwise.
 */
public interface ProviderSession extends AutoCloseable {

    /** The id of the provider that opened this session. */
    String providerId();

    /**
     * The VMs this session can export.
     *
     * @throws UnsupportedCapabilityException when the provider lacks {@link Capability#LIST_VMS}
     */
    List<VmSummary> listVms();

    /**
     * Hardware details of one VM.
     *
     * @param vm a name, inventory path or id, as {@link VmSummary} shows them
     * @throws VmNotFoundException when no VM matches
     */
    VmDescription describe(String vm);

    /**
     * Exports one VM: writes its disks and {@code artifact-manifest.json} into {@link
     * ExportRequest#outputDirectory()} and returns what it wrote. Nothing is written outside that
     * directory. Progress goes to {@code listener} (from any thread, one event at a time); {@code
     * cancellation} stops the export promptly with {@link io.hypersdk.core.CancelledException},
     * leaving resumable partial files and no manifest.
     *
     * @throws VmNotFoundException no such VM
     * @throws InvalidSourceException the source is malformed
     * @throws IntegrityException a checksum or size does not match
     * @throws TransferException moving bytes failed after retries
     * @throws io.hypersdk.core.CancelledException cancelled
     */
    ExportResult export(
            ExportRequest request, ProgressListener listener, Cancellation cancellation);

    /** Ends the session; never throws a checked exception. */
    @Override
    void close();
}
