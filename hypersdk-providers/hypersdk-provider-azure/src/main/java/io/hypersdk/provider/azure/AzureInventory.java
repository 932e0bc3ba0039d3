package io.hypersdk.provider.azure;

import com.azure.resourcemanager.compute.fluent.models.DiskInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineSizeInner;
import com.azure.resourcemanager.compute.models.DataDisk;
import com.azure.resourcemanager.compute.models.HyperVGeneration;
import com.azure.resourcemanager.compute.models.InstanceViewStatus;
import com.azure.resourcemanager.compute.models.NetworkInterfaceReference;
import com.azure.resourcemanager.compute.models.SecurityTypes;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmDisk;
import io.hypersdk.provider.spi.VmNic;
import io.hypersdk.provider.spi.VmSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An Azure VM as the SPI describes it: size, firmware, disks (OS disk first, then by LUN), NICs,
 * power state.
 */
final class AzureInventory {

    /** One managed disk of a VM, in boot order. */
    record ManagedDisk(String id, String name, Optional<Integer> lun, DiskInner disk) {
        boolean os() {
            return lun.isEmpty();
        }
    }

    /** A described VM with the managed disks its export reads. */
    record Described(VmDescription description, List<ManagedDisk> disks, String powerCode) {}

    private final AzureArm arm;

    AzureInventory(AzureArm arm) {
        this.arm = arm;
    }

    VmSummary summary(VirtualMachineInner vm) {
        Optional<VirtualMachineSizeInner> size = size(vm);
        return new VmSummary(
                vm.id(),
                vm.name(),
                Optional.of(AzureVmRefs.path(vm.id())),
                power(powerCode(vm)),
                size.map(s -> s.numberOfCores() == null ? 0 : s.numberOfCores()).orElse(0),
                size.map(s -> s.memoryInMB() == null ? 0L : s.memoryInMB() * 1024L * 1024L)
                        .orElse(0L),
                osType(vm));
    }

    Described describe(VirtualMachineInner vm) {
        List<ManagedDisk> disks = disks(vm);
        Optional<VirtualMachineSizeInner> size = size(vm);
        VmDescription.Builder b =
                VmDescription.builder()
                        .id(vm.id())
                        .name(vm.name())
                        .path(AzureVmRefs.path(vm.id()))
                        .powerState(power(powerCode(vm)))
                        .cpu(
                                size.map(s -> s.numberOfCores() == null ? 0 : s.numberOfCores())
                                        .orElse(0))
                        .memoryBytes(
                                size.map(
                                                s ->
                                                        s.memoryInMB() == null
                                                                ? 0L
                                                                : s.memoryInMB() * 1024L * 1024L)
                                        .orElse(0L))
                        .firmware(firmware(vm, disks))
                        .secureBoot(secureBoot(vm));
        osType(vm)
                .ifPresent(
                        os ->
                                b.guestOs(os)
                                        .osHint(
                                                os.toLowerCase(Locale.ROOT).startsWith("win")
                                                        ? "windows"
                                                        : "linux"));
        for (ManagedDisk d : disks) {
            long bytes =
                    d.disk().diskSizeBytes() != null
                            ? d.disk().diskSizeBytes()
                            : d.disk().diskSizeGB() == null
                                    ? 0
                                    : d.disk().diskSizeGB() * (1L << 30);
            b.addDisk(
                    new VmDisk(
                            d.name(),
                            Optional.of(d.os() ? "OS disk" : "data disk LUN " + d.lun().get()),
                            bytes,
                            DiskFormat.VHD,
                            Optional.of(d.id()),
                            Optional.of(d.os() ? "os" : "lun" + d.lun().get())));
        }
        if (vm.networkProfile() != null && vm.networkProfile().networkInterfaces() != null) {
            List<NetworkInterfaceReference> refs =
                    new ArrayList<>(vm.networkProfile().networkInterfaces());
            refs.sort(Comparator.comparingInt(r -> Boolean.TRUE.equals(r.primary()) ? 0 : 1));
            for (NetworkInterfaceReference r : refs) {
                Optional<NetworkInterfaceInner> nic = arm.nic(r.id());
                b.addNic(
                        new VmNic(
                                Optional.of(AzureVmRefs.leaf(r.id())),
                                nic.map(NetworkInterfaceInner::macAddress).map(AzureInventory::mac),
                                nic.flatMap(AzureInventory::subnet),
                                Optional.empty()));
            }
        }
        return new Described(b.build(), disks, powerCode(vm));
    }

    private Optional<VirtualMachineSizeInner> size(VirtualMachineInner vm) {
        if (vm.hardwareProfile() == null
                || vm.hardwareProfile().vmSize() == null
                || vm.location() == null) {
            return Optional.empty();
        }
        return arm.size(vm.location(), vm.hardwareProfile().vmSize().toString());
    }

    private List<ManagedDisk> disks(VirtualMachineInner vm) {
        List<ManagedDisk> out = new ArrayList<>();
        if (vm.storageProfile() == null || vm.storageProfile().osDisk() == null) {
            return out;
        }
        var os = vm.storageProfile().osDisk();
        if (os.managedDisk() == null || os.managedDisk().id() == null) {
            throw new InvalidSourceException(
                    "VM "
                            + vm.name()
                            + " has an unmanaged OS disk (a VHD in a storage account);"
                            + " only managed disks are exported: migrate it with az vm convert");
        }
        out.add(
                new ManagedDisk(
                        os.managedDisk().id(),
                        os.name() != null ? os.name() : AzureVmRefs.leaf(os.managedDisk().id()),
                        Optional.empty(),
                        arm.disk(os.managedDisk().id())));
        List<DataDisk> data =
                new ArrayList<>(
                        vm.storageProfile().dataDisks() == null
                                ? List.of()
                                : vm.storageProfile().dataDisks());
        data.sort(Comparator.comparingInt(DataDisk::lun));
        for (DataDisk d : data) {
            if (d.managedDisk() == null || d.managedDisk().id() == null) {
                throw new InvalidSourceException(
                        "VM "
                                + vm.name()
                                + " has an unmanaged data disk at LUN "
                                + d.lun()
                                + "; only managed disks are exported: migrate it with az vm convert");
            }
            out.add(
                    new ManagedDisk(
                            d.managedDisk().id(),
                            d.name() != null ? d.name() : AzureVmRefs.leaf(d.managedDisk().id()),
                            Optional.of(d.lun()),
                            arm.disk(d.managedDisk().id())));
        }
        return out;
    }

    /**
     * {@code deallocated}, {@code stopped}, {@code running} ...: the VM's {@code PowerState/...}
     * status.
     */
    static String powerCode(VirtualMachineInner vm) {
        if (vm.instanceView() == null || vm.instanceView().statuses() == null) {
            return "unknown";
        }
        for (InstanceViewStatus s : vm.instanceView().statuses()) {
            if (s.code() != null && s.code().startsWith("PowerState/")) {
                return s.code().substring("PowerState/".length());
            }
        }
        return "unknown";
    }

    static PowerState power(String code) {
        switch (code) {
            case "running":
            case "starting":
                return PowerState.ON;
            case "deallocated":
            case "stopped":
            case "deallocating":
            case "stopping":
                return PowerState.OFF;
            default:
                return PowerState.UNKNOWN;
        }
    }

    /**
     * UEFI for Trusted Launch / confidential VMs and for Hyper-V generation 2 OS disks; BIOS
     * otherwise.
     */
    static Firmware firmware(VirtualMachineInner vm, List<ManagedDisk> disks) {
        if (vm.securityProfile() != null
                && vm.securityProfile().securityType() != null
                && (SecurityTypes.TRUSTED_LAUNCH.equals(vm.securityProfile().securityType())
                        || SecurityTypes.CONFIDENTIAL_VM.equals(
                                vm.securityProfile().securityType()))) {
            return Firmware.UEFI;
        }
        if (!disks.isEmpty()
                && HyperVGeneration.V2.equals(disks.get(0).disk().hyperVGeneration())) {
            return Firmware.UEFI;
        }
        return Firmware.BIOS;
    }

    static boolean secureBoot(VirtualMachineInner vm) {
        return vm.securityProfile() != null
                && vm.securityProfile().uefiSettings() != null
                && Boolean.TRUE.equals(vm.securityProfile().uefiSettings().secureBootEnabled());
    }

    private static Optional<String> osType(VirtualMachineInner vm) {
        if (vm.storageProfile() == null
                || vm.storageProfile().osDisk() == null
                || vm.storageProfile().osDisk().osType() == null) {
            return Optional.empty();
        }
        return Optional.of(vm.storageProfile().osDisk().osType().toString());
    }

    /** Azure writes MACs as {@code 00-0D-3A-12-34-56}; the SPI wants {@code 00:0d:3a:12:34:56}. */
    static String mac(String azure) {
        return azure.replace('-', ':').toLowerCase(Locale.ROOT);
    }

    private static Optional<String> subnet(NetworkInterfaceInner nic) {
        if (nic.ipConfigurations() == null
                || nic.ipConfigurations().isEmpty()
                || nic.ipConfigurations().get(0).subnet() == null
                || nic.ipConfigurations().get(0).subnet().id() == null) {
            return Optional.empty();
        }
        String id = nic.ipConfigurations().get(0).subnet().id();
        // .../virtualNetworks/<vnet>/subnets/<subnet>
        String[] p = id.split("/");
        return Optional.of(p.length >= 3 ? p[p.length - 3] + "/" + p[p.length - 1] : id);
    }
}
