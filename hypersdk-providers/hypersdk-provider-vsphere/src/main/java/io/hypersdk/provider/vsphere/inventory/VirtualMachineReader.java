package io.hypersdk.provider.vsphere.inventory;

import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.PowerStates;
import io.hypersdk.provider.vsphere.soap.VsphereException;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a VM's configuration, devices and power state and maps them to {@link VirtualMachineInfo}:
 * disks with their controller slot, NICs with the name of their network, CD-ROMs, the boot disk.
 *
 * <p>Module-internal: public for {@code VimClient} and the export, which go through it.
 */
public final class VirtualMachineReader {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualMachineReader.class);
    private static final Set<String> NIC_TYPES =
            Set.of(
                    "VirtualE1000",
                    "VirtualE1000e",
                    "VirtualPCNet32",
                    "VirtualVmxnet",
                    "VirtualVmxnet2",
                    "VirtualVmxnet3",
                    "VirtualVmxnet3Vrdma",
                    "VirtualSriovEthernetCard");

    /** Properties read for {@link #read}. */
    static final List<String> VM_PATHS =
            List.of(
                    "name",
                    "config.hardware.numCPU",
                    "config.hardware.memoryMB",
                    "config.firmware",
                    "config.guestId",
                    "config.guestFullName",
                    "config.instanceUuid",
                    "config.hardware.device",
                    "config.bootOptions",
                    "runtime.powerState",
                    "parent",
                    "network");

    private final PropertyCollector properties;
    private final NetworkNames networks;

    public VirtualMachineReader(PropertyCollector properties) {
        this.properties = properties;
        this.networks = new NetworkNames(properties);
    }

    /** Reads a VM's configuration, devices and power state. */
    public VirtualMachineInfo read(ManagedObjectReference vm) {
        Map<String, XmlElement> p = properties.properties(vm, VM_PATHS);
        if (p.isEmpty()) {
            throw new VsphereException(
                    "vSphere returned no properties for " + vm + "; the VM may have been deleted");
        }
        Map<String, String> networkNames = networks.of(p.get("network"));
        Map<Integer, XmlElement> byKey = new HashMap<>();
        List<XmlElement> devices =
                p.containsKey("config.hardware.device")
                        ? p.get("config.hardware.device").children()
                        : List.of();
        for (XmlElement d : devices) {
            d.childInt("key").ifPresent(k -> byKey.put(k, d));
        }
        List<VirtualDiskInfo> disks = new ArrayList<>();
        List<VirtualNicInfo> nics = new ArrayList<>();
        List<Integer> cdroms = new ArrayList<>();
        for (XmlElement d : devices) {
            String type = d.xsiType().orElse(d.name());
            int key = d.childInt("key").orElse(0);
            String label =
                    d.child("deviceInfo")
                            .flatMap(i -> i.childText("label"))
                            .orElse(type + "-" + key);
            if (type.equals("VirtualDisk")) {
                long capacity =
                        d.childLong("capacityInBytes")
                                .orElseGet(() -> d.childLong("capacityInKB").orElse(0L) * 1024L);
                XmlElement ctrl = d.childInt("controllerKey").map(byKey::get).orElse(null);
                disks.add(
                        new VirtualDiskInfo(
                                key,
                                label,
                                capacity,
                                d.child("backing").flatMap(b -> b.childText("fileName")),
                                ctrl == null ? "unknown" : ctrl.xsiType().orElse(ctrl.name()),
                                ctrl == null ? 0 : ctrl.childInt("busNumber").orElse(0),
                                d.childInt("unitNumber").orElse(0)));
            } else if (type.equals("VirtualCdrom")) {
                cdroms.add(key);
            } else if (NIC_TYPES.contains(type) || d.child("addressType").isPresent()) {
                nics.add(
                        new VirtualNicInfo(
                                key,
                                label,
                                type,
                                d.childText("macAddress").filter(s -> !s.isBlank()),
                                d.child("backing")
                                        .flatMap(b -> NetworkNames.nicNetwork(b, networkNames))));
            }
        }
        Optional<XmlElement> boot = Optional.ofNullable(p.get("config.bootOptions"));
        Optional<Integer> bootDisk =
                boot.flatMap(
                                b ->
                                        b.all("bootOrder").stream()
                                                .filter(
                                                        o ->
                                                                o.xsiType()
                                                                        .orElse("")
                                                                        .equals(
                                                                                "VirtualMachineBootOptionsBootableDiskDevice"))
                                                .findFirst())
                        .flatMap(o -> o.childInt("deviceKey"));
        return new VirtualMachineInfo(
                vm,
                text(p, "name").orElse(vm.value()),
                text(p, "config.hardware.numCPU").map(s -> Integer.parseInt(s.trim())).orElse(0),
                text(p, "config.hardware.memoryMB").map(s -> Long.parseLong(s.trim())).orElse(0L),
                text(p, "config.firmware").map(String::trim).filter(s -> !s.isEmpty()),
                boot.map(b -> b.childBoolean("efiSecureBootEnabled")).orElse(false),
                text(p, "config.guestId").filter(s -> !s.isBlank()),
                text(p, "config.guestFullName").filter(s -> !s.isBlank()),
                text(p, "config.instanceUuid").filter(s -> !s.isBlank()),
                text(p, "runtime.powerState").flatMap(PowerStates::parse),
                disks,
                nics,
                cdroms,
                bootDisk,
                Optional.ofNullable(p.get("parent")).map(XmlElement::asMoref));
    }

    private static Optional<String> text(Map<String, XmlElement> p, String path) {
        return Optional.ofNullable(p.get(path)).map(XmlElement::text);
    }

    /**
     * vSphere's {@code config.firmware} ({@code bios}, {@code efi}) as the manifest's firmware;
     * unset is BIOS.
     */
    public static Firmware firmware(Optional<String> vsphere) {
        if (vsphere.isEmpty()) {
            return Firmware.BIOS; // vSphere's default when unset
        }
        try {
            return Firmware.parse(vsphere.get());
        } catch (IllegalArgumentException e) {
            LOG.debug("unknown vSphere firmware {}", vsphere.get());
            return Firmware.UNKNOWN;
        }
    }
}
