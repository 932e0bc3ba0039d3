package io.hypersdk.provider.vsphere;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.TransferException;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmDisk;
import io.hypersdk.provider.spi.VmNic;
import io.hypersdk.provider.spi.VmNotFoundException;
import io.hypersdk.provider.spi.VmSummary;
import io.hypersdk.provider.vsphere.inventory.VirtualDiskInfo;
import io.hypersdk.provider.vsphere.inventory.VirtualMachineInfo;
import io.hypersdk.provider.vsphere.inventory.VirtualMachineReader;
import io.hypersdk.provider.vsphere.inventory.VirtualNicInfo;
import io.hypersdk.provider.vsphere.inventory.VmListing;
import io.hypersdk.provider.vsphere.nfc.VsphereExporter;
import io.hypersdk.provider.vsphere.soap.InvalidLoginException;
import io.hypersdk.provider.vsphere.soap.InvalidPowerStateException;
import io.hypersdk.provider.vsphere.soap.ManagedObjectNotFoundException;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.NotAuthenticatedException;
import io.hypersdk.provider.vsphere.soap.VsphereException;
import io.hypersdk.transfer.DownloadException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** A logged-in vSphere session behind the SPI. */
final class VsphereSession implements ProviderSession {
    private final VimClient vim;
    private final VsphereExporter exporter;

    VsphereSession(VimClient vim, VsphereExporter.Tuning tuning) {
        this.vim = vim;
        this.exporter =
                new VsphereExporter(
                        vim.connection(),
                        vim.propertyCollector(),
                        vim.inventory(),
                        vim.virtualMachines(),
                        vim.power(),
                        tuning);
    }

    VimClient client() {
        return vim;
    }

    VsphereExporter exporter() {
        return exporter;
    }

    @Override
    public String providerId() {
        return VsphereExportProvider.ID;
    }

    @Override
    public List<VmSummary> listVms() {
        return mapped(
                "list VMs of " + vim.hostPort(),
                "",
                () -> {
                    List<VmSummary> out = new ArrayList<>();
                    for (VmListing l : vim.listVirtualMachines()) {
                        out.add(
                                new VmSummary(
                                        l.ref().value(),
                                        l.name(),
                                        l.path(),
                                        l.powerState().orElse(PowerState.UNKNOWN),
                                        l.numCpu(),
                                        l.memoryMb() * 1024L * 1024L,
                                        l.guestId()));
                    }
                    return out;
                });
    }

    @Override
    public VmDescription describe(String vm) {
        return mapped(
                "describe " + vm,
                vm,
                () -> {
                    ManagedObjectReference ref = resolve(vm);
                    VirtualMachineInfo info = vim.virtualMachine(ref);
                    VmDescription.Builder b =
                            VmDescription.builder()
                                    .id(ref.value())
                                    .name(info.name())
                                    .powerState(info.powerState().orElse(PowerState.UNKNOWN))
                                    .cpu(info.numCpu())
                                    .memoryBytes(info.memoryMb() * 1024L * 1024L)
                                    .firmware(VirtualMachineReader.firmware(info.firmware()))
                                    .secureBoot(info.secureBoot());
                    if (vm.contains("/")) {
                        b.path(vm.startsWith("/") ? vm : "/" + vm);
                    }
                    info.guestId().ifPresent(b::guestOs);
                    List<VirtualDiskInfo> disks = new ArrayList<>(info.disks());
                    disks.sort(
                            Comparator.comparingInt(
                                            (VirtualDiskInfo d) ->
                                                    info.bootDiskKey().isPresent()
                                                                    && info.bootDiskKey().get()
                                                                            == d.key()
                                                            ? 0
                                                            : 1)
                                    .thenComparingInt(
                                            d -> d.controllerType().contains("IDE") ? 0 : 1)
                                    .thenComparingInt(VirtualDiskInfo::controllerBusNumber)
                                    .thenComparingInt(VirtualDiskInfo::unitNumber));
                    for (VirtualDiskInfo d : disks) {
                        b.addDisk(
                                new VmDisk(
                                        Integer.toString(d.key()),
                                        Optional.of(d.label()),
                                        d.capacityBytes(),
                                        DiskFormat.VMDK,
                                        d.fileName(),
                                        Optional.of(d.slot())));
                    }
                    for (VirtualNicInfo n : info.nics()) {
                        b.addNic(
                                new VmNic(
                                        Optional.of(n.label()),
                                        n.macAddress().map(m -> m.toLowerCase(Locale.ROOT)),
                                        n.network(),
                                        Optional.of(adapter(n.adapterType()))));
                    }
                    return b.build();
                });
    }

    @Override
    public ExportResult export(
            ExportRequest request, ProgressListener listener, Cancellation cancellation) {
        return mapped(
                "export " + request.vm(),
                request.vm(),
                () -> exporter.export(resolve(request.vm()), request, listener, cancellation));
    }

    @Override
    public void close() {
        vim.close();
    }

    /**
     * A VM by inventory path ({@code DC0/vm/web-01}), by name (unique in the inventory), or by
     * managed object id ({@code vm-57}).
     */
    ManagedObjectReference resolve(String vm) {
        String v = vm.trim();
        if (v.contains("/")) {
            return vim.findByInventoryPath(v)
                    .filter(r -> r.type().equals("VirtualMachine"))
                    .orElseThrow(
                            () ->
                                    new VmNotFoundException(
                                            vm,
                                            "no VM at inventory path "
                                                    + v
                                                    + "; paths look like DC/vm/FOLDER/NAME"
                                                    + " (list the VMs to see their names)"));
        }
        List<VmListing> all = vim.listVirtualMachines();
        List<VmListing> byName = all.stream().filter(l -> l.name().equals(v)).toList();
        if (byName.size() == 1) {
            return byName.get(0).ref();
        }
        if (byName.size() > 1) {
            throw new VmNotFoundException(
                    vm,
                    byName.size()
                            + " VMs are named "
                            + v
                            + " ("
                            + String.join(
                                    ", ",
                                    byName.stream()
                                            .map(l -> l.path().orElse(l.ref().value()))
                                            .toList())
                            + "); name one by inventory path or id");
        }
        return all.stream()
                .filter(l -> l.ref().value().equals(v))
                .findFirst()
                .map(VmListing::ref)
                .orElseThrow(
                        () ->
                                new VmNotFoundException(
                                        vm,
                                        "no VM named "
                                                + v
                                                + " in "
                                                + vim.hostPort()
                                                + "; give a VM name, an inventory path (DC/vm/NAME) or an id (vm-42)"));
    }

    private static String adapter(String vimType) {
        String t = vimType.startsWith("Virtual") ? vimType.substring("Virtual".length()) : vimType;
        return t.toLowerCase(Locale.ROOT);
    }

    /** Runs {@code body}, turning vSphere failures into the SPI's exception types. */
    private static <T> T mapped(String what, String vm, Supplier<T> body) {
        try {
            return body.get();
        } catch (ExportException | CancelledException e) {
            throw e;
        } catch (DownloadException e) {
            throw new TransferException(e.getMessage(), e);
        } catch (InvalidLoginException | NotAuthenticatedException e) {
            throw new AuthenticationException(e.getMessage(), e);
        } catch (InvalidPowerStateException e) {
            throw new InvalidSourceException("cannot " + what + ": " + e.getMessage(), e);
        } catch (ManagedObjectNotFoundException e) {
            throw new VmNotFoundException(vm, e.getMessage());
        } catch (VsphereExporter.SizeMismatchException e) {
            throw new io.hypersdk.provider.spi.IntegrityException(
                    "cannot " + what + ": " + e.getMessage(), e);
        } catch (VsphereExporter.LeaseFailedException e) {
            throw new TransferException(e.getMessage(), e);
        } catch (VsphereException e) {
            throw new ExportException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
