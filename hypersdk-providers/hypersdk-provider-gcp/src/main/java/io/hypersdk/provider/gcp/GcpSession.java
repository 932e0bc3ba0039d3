package io.hypersdk.provider.gcp;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmSummary;
import io.hypersdk.transfer.DownloadEngine;
import java.time.Clock;
import java.util.List;

/** A session against one project and zone. */
final class GcpSession implements ProviderSession {
    private final GoogleApi api;
    private final ComputeClients compute;
    private final com.google.cloud.storage.Storage storage;
    private final ComputeInventory inventory;
    private final GcpExporter exporter;

    GcpSession(
            GoogleApi api,
            GcpSettings settings,
            String project,
            DownloadEngine engine,
            Clock clock) {
        this.api = api;
        this.compute = new ComputeClients(settings.computeEndpoint(), api.credentials());
        this.storage =
                StorageObject.client(
                        settings.storageEndpoint(), project, api.credentials(), api.retryBackoff());
        this.inventory = new ComputeInventory(compute, project, settings.zone());
        this.exporter = new GcpExporter(api, compute, storage, settings, project, engine, clock);
    }

    @Override
    public String providerId() {
        return GcpExportProvider.ID;
    }

    @Override
    public List<VmSummary> listVms() {
        return inventory.list();
    }

    @Override
    public VmDescription describe(String vm) {
        return inventory.find(vm).description();
    }

    @Override
    public ExportResult export(
            ExportRequest request, ProgressListener listener, Cancellation cancellation) {
        return exporter.export(inventory.find(request.vm()), request, listener, cancellation);
    }

    @Override
    public void close() {
        compute.close();
        try {
            storage.close();
        } catch (Exception ignored) {
            // closing the client only releases its transport; nothing to report
        }
        api.close();
    }
}
