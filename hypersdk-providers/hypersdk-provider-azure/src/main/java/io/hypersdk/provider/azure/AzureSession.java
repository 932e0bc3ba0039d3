package io.hypersdk.provider.azure;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmNotFoundException;
import io.hypersdk.provider.spi.VmSummary;
import java.util.List;

/** A session on one subscription (and optionally one resource group). */
final class AzureSession implements ProviderSession {
    private final AzureArm arm;
    private final AzureSettings settings;
    private final AzureInventory inventory;
    private final AzureExporter exporter;

    AzureSession(AzureArm arm, AzureSettings settings, AzureExporter exporter) {
        this.arm = arm;
        this.settings = settings;
        this.inventory = new AzureInventory(arm);
        this.exporter = exporter;
    }

    @Override
    public String providerId() {
        return AzureExportProvider.ID;
    }

    @Override
    public List<VmSummary> listVms() {
        return arm.listVms().stream().map(inventory::summary).toList();
    }

    @Override
    public VmDescription describe(String vm) {
        return inventory.describe(find(vm)).description();
    }

    @Override
    public ExportResult export(
            ExportRequest request, ProgressListener listener, Cancellation cancellation) {
        VirtualMachineInner vm = find(request.vm());
        return exporter.export(vm, inventory.describe(vm), request, listener, cancellation);
    }

    private VirtualMachineInner find(String vm) {
        AzureVmRef ref = AzureVmRef.parse(vm, settings.resourceGroup(), settings.subscription());
        return arm.vm(ref.resourceGroup(), ref.name())
                .orElseThrow(
                        () ->
                                new VmNotFoundException(
                                        vm,
                                        "no VM "
                                                + ref
                                                + " in subscription "
                                                + settings.subscription()
                                                + "; check the name with az vm list -g "
                                                + ref.resourceGroup()
                                                + " -o table"));
    }

    AzureExporter exporter() {
        return exporter;
    }

    @Override
    public void close() {
        // the ARM clients hold no session to end; grants are revoked by each export
    }
}
