package io.hypersdk.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmDisk;
import io.hypersdk.provider.spi.VmNic;
import io.hypersdk.provider.spi.VmNotFoundException;
import io.hypersdk.provider.spi.VmSummary;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compute Engine instances of one project and zone ({@code instances.list}, {@code instances.get},
 * {@code machineTypes.get}) as the SPI's descriptions: vCPUs and memory from the machine type, UEFI
 * when the boot disk has the {@code UEFI_COMPATIBLE} guest OS feature or the instance is a shielded
 * VM, the boot disk first, NICs with their network (the API gives no MAC address).
 */
final class ComputeInventory {
    private final GoogleApi api;
    private final URI compute;
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

    ComputeInventory(GoogleApi api, URI compute, String project, String zone) {
        this.api = api;
        this.compute = compute;
        this.project = project;
        this.zone = zone;
    }

    List<VmSummary> list() {
        List<VmSummary> out = new ArrayList<>();
        String page = "";
        do {
            URI uri =
                    URI.create(
                            zoneUrl(zone)
                                    + "/instances?maxResults=500"
                                    + (page.isEmpty()
                                            ? ""
                                            : "&pageToken="
                                                    + URLEncoder.encode(
                                                            page, StandardCharsets.UTF_8)));
            JsonNode r =
                    api.get(uri, "listing the instances of project " + project + " zone " + zone);
            for (JsonNode i : r.path("items")) {
                out.add(describe(i, zone).description().summary());
            }
            page = r.path("nextPageToken").asText("");
        } while (!page.isEmpty());
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
        JsonNode i;
        try {
            i =
                    api.get(
                            URI.create(zoneUrl(z) + "/instances/" + name),
                            "getting instance " + name + " in " + project + "/" + z);
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

    private GceVm describe(JsonNode i, String z) {
        String name = i.path("name").asText();
        String status = i.path("status").asText("UNKNOWN");
        long[] cpuMem = machineType(i.path("machineType").asText(""), z);
        List<GceDisk> disks = new ArrayList<>();
        List<JsonNode> diskNodes = new ArrayList<>();
        i.path("disks").forEach(diskNodes::add);
        diskNodes.sort(
                Comparator.comparing((JsonNode d) -> !d.path("boot").asBoolean(false))
                        .thenComparingInt(d -> d.path("index").asInt(0)));
        boolean uefi = false;
        Optional<String> guestOs = Optional.empty();
        for (JsonNode d : diskNodes) {
            if (!d.path("type").asText("PERSISTENT").equals("PERSISTENT")
                    || d.path("source").asText("").isEmpty()) {
                continue; // local SSDs (SCRATCH) cannot be imaged
            }
            boolean boot = d.path("boot").asBoolean(false);
            disks.add(
                    new GceDisk(
                            d.path("deviceName").asText(""),
                            d.path("source").asText(),
                            d.path("diskSizeGb").asLong(0) << 30,
                            boot));
            if (boot) {
                for (JsonNode f : d.path("guestOsFeatures")) {
                    uefi |= f.path("type").asText("").equals("UEFI_COMPATIBLE");
                }
                JsonNode licenses = d.path("licenses");
                if (licenses.size() > 0) {
                    guestOs = Optional.of(lastSegment(licenses.get(0).asText()));
                }
            }
        }
        JsonNode shielded = i.path("shieldedInstanceConfig");
        boolean secureBoot = shielded.path("enableSecureBoot").asBoolean(false);
        uefi |= secureBoot || shielded.path("enableVtpm").asBoolean(false);
        VmDescription.Builder b =
                VmDescription.builder()
                        .id(i.path("id").asText(name))
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
        for (JsonNode n : i.path("networkInterfaces")) {
            String network = n.path("network").asText("");
            b.addNic(
                    new VmNic(
                            Optional.of(n.path("name").asText("nic")).filter(s -> !s.isEmpty()),
                            Optional.empty(),
                            network.isEmpty()
                                    ? Optional.empty()
                                    : Optional.of(lastSegment(network)),
                            Optional.of(n.path("nicType").asText(""))
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
                    JsonNode m =
                            api.get(
                                    URI.create(zoneUrl(z) + "/machineTypes/" + type),
                                    "getting machine type " + type + " in " + z);
                    return new long[] {
                        m.path("guestCpus").asLong(0), m.path("memoryMb").asLong(0) << 20
                    };
                });
    }

    private String zoneUrl(String z) {
        return compute + "/compute/v1/projects/" + project + "/zones/" + z;
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
