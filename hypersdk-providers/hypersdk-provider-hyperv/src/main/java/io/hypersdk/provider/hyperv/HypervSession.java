package io.hypersdk.provider.hyperv;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmDisk;
import io.hypersdk.provider.spi.VmNic;
import io.hypersdk.provider.spi.VmNotFoundException;
import io.hypersdk.provider.spi.VmSummary;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An SSH session to one Hyper-V host behind the SPI. */
final class HypervSession implements ProviderSession {
    private final PowerShellHost host;
    private final HypervExporter exporter;

    HypervSession(PowerShellHost host, Clock clock) {
        this.host = host;
        this.exporter = new HypervExporter(host, clock);
    }

    @Override
    public String providerId() {
        return HypervExportProvider.ID;
    }

    @Override
    public List<VmSummary> listVms() {
        return HypervInventory.list(host.run(Scripts.LIST, Map.of())).stream()
                .map(
                        v ->
                                new VmSummary(
                                        v.id(),
                                        v.name(),
                                        Optional.empty(),
                                        v.power(),
                                        v.cpu(),
                                        v.memoryBytes(),
                                        Optional.empty()))
                .toList();
    }

    @Override
    public VmDescription describe(String vm) {
        HypervVm v = found(vm, () -> exporter.describe(vm));
        VmDescription.Builder b =
                VmDescription.builder()
                        .id(v.id())
                        .name(v.name())
                        .powerState(v.power())
                        .cpu(v.cpu())
                        .memoryBytes(v.memoryStartupBytes())
                        .firmware(v.generation() == 2 ? Firmware.UEFI : Firmware.BIOS)
                        .secureBoot(v.secureBoot())
                        .osHint("unknown");
        for (int i = 0; i < v.disks().size(); i++) {
            HypervVm.Disk d = v.disks().get(i);
            b.addDisk(
                    new VmDisk(
                            "disk-" + i,
                            Optional.of(
                                    d.controller()
                                            + " "
                                            + d.controllerNumber()
                                            + ":"
                                            + d.controllerLocation()),
                            d.capacityBytes(),
                            d.format().equals("vhd") ? DiskFormat.VHD : DiskFormat.VHDX,
                            Optional.of(d.path()),
                            Optional.of(d.controller())));
        }
        for (HypervVm.Nic n : v.nics()) {
            b.addNic(new VmNic(Optional.of(n.name()), n.mac(), n.switchName(), Optional.empty()));
        }
        return b.build();
    }

    @Override
    public ExportResult export(
            ExportRequest request, ProgressListener listener, Cancellation cancellation) {
        return found(request.vm(), () -> exporter.export(request, listener, cancellation));
    }

    /**
     * Runs {@code work}, turning the scripts' "no such VM" exit code into {@link
     * VmNotFoundException}.
     */
    private <T> T found(String vm, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (HypervCommandException e) {
            if (e.exitCode() == PowerShellHost.EXIT_VM_NOT_FOUND) {
                throw new VmNotFoundException(
                        vm,
                        "no Hyper-V VM on "
                                + host.settings().hostPort()
                                + " is named '"
                                + vm
                                + "' or has that Id; list them with hyperexport --provider hyperv --list");
            }
            throw e;
        }
    }

    @Override
    public void close() {
        host.close();
    }
}
