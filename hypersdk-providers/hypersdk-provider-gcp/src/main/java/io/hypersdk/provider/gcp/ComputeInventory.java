package io.hypersdk.provider.gcp;

import com.google.cloud.compute.v1.AttachedDisk;
import com.google.cloud.compute.v1.GuestOsFeature;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.ListInstancesRequest;
import com.google.cloud.compute.v1.MachineType;
import com.google.cloud.compute.v1.NetworkInterface;
import com.google.cloud.compute.v1.ShieldedInstanceConfig;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmDisk;
import io.hypersdk.provider.spi.VmNic;
import io.hypersdk.provider.spi.VmNotFoundException;
import io.hypersdk.provider.spi.VmSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compute Engine instances of one project and zone through the Compute client ({@code
 * instances.list}, {@code instances.get}, {@code machineTypes.get}) as the SPI's descriptions:
 * vCPUs and memory from the machine type, UEFI when the boot disk has the {@code UEFI_COMPATIBLE}
 * guest OS feature or the instance is a shielded VM, the boot disk first, NICs with their network
 * (the API gives no MAC address).
 */
final class ComputeInventory {
    private final ComputeClients compute;
    private final String project;
    private final String zone;
    private final Map<String, long[]> machineTypes = new HashMap<>();

    /** One persistent disk attached to an instance. */
    record GceDisk(String deviceName, String source, long sizeBytes, boolean boot) {
        /** The disk's name (the last segment of its source URL). */
        String name() {
            return lastSegment(source);
        }

        /** The zone of the disk (from its source URL). */
        String zone() {
            String[] parts = source.split("/");
            for (int i = 0; i + 1 < parts.length; i++) {
                if (parts[i].equals("zones")) {
                    return parts[i + 1];
                }
            }
            return "";
        }
    }

    /** An instance with what the exporter needs beyond its description. */
    record GceVm(VmDescription description, String zone, String status, List<GceDisk> disks) {
        GceVm {
            disks = List.copyOf(disks);
        }

        boolean running() {
            return status.equals("RUNNING");
        }
    }

    ComputeInventory(ComputeClients compute, String project, String zone) {
        this.compute = compute;
        this.project = project;
        this.zone = zone;
    }

    List<VmSummary> list() {
        List<VmSummary> out = new ArrayList<>();
        ComputeClients.call(
                "listing the instances of project " + project + " zone " + zone,
                () -> {
                    for (Instance i :
                            compute.instances
                                    .list(
                                            ListInstancesRequest.newBuilder()
                                                    .setProject(project)
                                                    .setZone(zone)
                                                    .setMaxResults(500)
                                                    .build())
                                    .iterateAll()) {
                        out.add(describe(i, zone).description().summary());
                    }
                    return out;
                });
        out.sort(Comparator.comparing(VmSummary::name));
        return out;
    }

    /** The instance {@code name} or {@code zone/name}. */
    GceVm find(String vm) {
        String z = zone;
        String name = vm.trim();
        int slash = name.indexOf('/');
        if (slash >= 0) {
            z = name.substring(0, slash);
            name = name.substring(slash + 1);
        }
        if (!name.matches("[a-z]([-a-z0-9]{0,61}[a-z0-9])?")
                || !z.matches("[a-z]+-[a-z]+[0-9]+-[a-z]")) {
            throw new VmNotFoundException(
                    vm,
                    "'"
                            + vm
                            + "' is not a Compute Engine instance name or zone/name"
                            + " (lower case letters, digits and '-', such as web-01 or us-central1-a/web-01)");
        }
        Instance i;
        String n = name;
        String iz = z;
        try {
            i =
                    ComputeClients.call(
                            "getting instance " + name + " in " + project + "/" + z,
                            () -> compute.instances.get(project, iz, n));
        } catch (GoogleApi.NotFound e) {
            throw new VmNotFoundException(
                    vm,
                    "no instance '"
                            + name
                            + "' in project "
                            + project
                            + " zone "
                            + z
                            + "; list them with --list-vms (or give zone/name for another zone)");
        }
        return describe(i, z);
    }

    private GceVm describe(Instance i, String z) {
        String name = i.getName();
        String status = i.hasStatus() ? i.getStatus() : "UNKNOWN";
        long[] cpuMem = machineType(i.getMachineType(), z);
        List<GceDisk> disks = new ArrayList<>();
        List<AttachedDisk> attached = new ArrayList<>(i.getDisksList());
        attached.sort(
                Comparator.comparing((AttachedDisk d) -> !d.getBoot())
                        .thenComparingInt(AttachedDisk::getIndex));
        boolean uefi = false;
        Optional<String> guestOs = Optional.empty();
        for (AttachedDisk d : attached) {
            if (!(d.hasType() ? d.getType() : "PERSISTENT").equals("PERSISTENT")
                    || d.getSource().isEmpty()) {
                continue; // local SSDs (SCRATCH) cannot be imaged
            }
            disks.add(
                    new GceDisk(
                            d.getDeviceName(),
                            d.getSource(),
                            d.getDiskSizeGb() << 30,
                            d.getBoot()));
            if (d.getBoot()) {
                for (GuestOsFeature f : d.getGuestOsFeaturesList()) {
                    uefi |= f.getType().equals("UEFI_COMPATIBLE");
                }
                if (d.getLicensesCount() > 0) {
                    guestOs = Optional.of(lastSegment(d.getLicenses(0)));
                }
            }
        }
        ShieldedInstanceConfig shielded = i.getShieldedInstanceConfig();
        boolean secureBoot = shielded.getEnableSecureBoot();
        uefi |= secureBoot || shielded.getEnableVtpm();
        VmDescription.Builder b =
                VmDescription.builder()
                        .id(i.hasId() ? Long.toUnsignedString(i.getId()) : name)
                        .name(name)
                        .path(z + "/" + name)
                        .powerState(power(status))
                        .cpu((int) cpuMem[0])
                        .memoryBytes(cpuMem[1])
                        .firmware(uefi ? Firmware.UEFI : Firmware.BIOS)
                        .secureBoot(secureBoot);
        guestOs.ifPresent(b::guestOs);
        for (GceDisk d : disks) {
            b.addDisk(
                    new VmDisk(
                            d.name(),
                            Optional.of(d.deviceName()),
                            d.sizeBytes(),
                            DiskFormat.RAW,
                            Optional.of(d.source()),
                            Optional.of(d.boot() ? "boot" : "data")));
        }
        for (NetworkInterface n : i.getNetworkInterfacesList()) {
            String network = n.getNetwork();
            b.addNic(
                    new VmNic(
                            Optional.of(n.getName()).filter(s -> !s.isEmpty()),
                            Optional.empty(),
                            network.isEmpty()
                                    ? Optional.empty()
                                    : Optional.of(lastSegment(network)),
                            Optional.of(n.getNicType())
                                    .filter(s -> !s.isEmpty())
                                    .map(s -> s.toLowerCase(java.util.Locale.ROOT))));
        }
        return new GceVm(b.build(), z, status, disks);
    }

    /** {vCPUs, memory bytes} of a machine type URL; cached per session. */
    private long[] machineType(String url, String z) {
        if (url.isEmpty()) {
            return new long[] {0, 0};
        }
        String type = lastSegment(url);
        return machineTypes.computeIfAbsent(
                z + "/" + type,
                k -> {
                    MachineType m =
                            ComputeClients.call(
                                    "getting machine type " + type + " in " + z,
                                    () -> compute.machineTypes.get(project, z, type));
                    return new long[] {m.getGuestCpus(), ((long) m.getMemoryMb()) << 20};
                });
    }

    static PowerState power(String status) {
        return switch (status) {
            case "RUNNING", "PROVISIONING", "STAGING", "STOPPING", "SUSPENDING", "REPAIRING" ->
                    PowerState.ON;
            case "STOPPED", "TERMINATED" -> PowerState.OFF;
            case "SUSPENDED" -> PowerState.SUSPENDED;
            default -> PowerState.UNKNOWN;
        };
    }

    static String lastSegment(String url) {
        int i = url.lastIndexOf('/');
        return i < 0 ? url : url.substring(i + 1);
    }
}
