package io.hypersdk.provider.hyperv;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.InvalidSourceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code method=copy}: instead of Export-VM, each disk is taken from where it lives. Get-VHD
 * follows every disk's chain (ParentPath) to its base disk. A disk that is not differencing is
 * transferred in place (over SFTP; SMB reaches only the share, so there it is converted into the
 * staging directory first). A differencing disk is merged on the host with {@code Convert-VHD
 * -VHDType Dynamic} into the staging directory and that one file is transferred: qemu cannot read a
 * differencing VHDX (its vhdx driver refuses them, and {@code qemu-img create -f vhdx -b} says
 * "Backing file not supported for file format 'vhdx'"), so merging locally is not an option.
 *
 * <p>Only for a VM that is off or a checkpoint: the files read must not change meanwhile.
 */
final class DiskCopy {
    private DiskCopy() {}

    /** One Get-VHD answer in a chain. */
    record Link(String path, long fileSize, long size, boolean differencing) {}

    /** A drive's file and its ancestors, the drive's own file first, the base disk last. */
    record Chain(String drive, List<Link> links) {
        Chain {
            links = List.copyOf(links);
        }

        /** True when the drive's file is a differencing disk (it needs its ancestors). */
        boolean differencing() {
            return links.size() > 1 || links.get(0).differencing();
        }

        /** {@code a.avhdx -> b.vhdx} for notes. */
        String describe() {
            return String.join(" -> ", links.stream().map(l -> fileName(l.path())).toList());
        }
    }

    /** Reads the flat answer of {@link Scripts#DISK_CHAINS} into one chain per drive. */
    static List<Chain> chains(JsonNode answer) {
        Map<String, List<JsonNode>> byDrive = new LinkedHashMap<>();
        for (JsonNode n : HypervInventory.elements(answer)) {
            byDrive.computeIfAbsent(n.path("Drive").asText(), k -> new ArrayList<>()).add(n);
        }
        List<Chain> out = new ArrayList<>();
        byDrive.forEach(
                (drive, nodes) -> {
                    nodes.sort(Comparator.comparingInt(n -> n.path("Depth").asInt()));
                    List<Link> links = new ArrayList<>();
                    for (JsonNode n : nodes) {
                        String parent = n.path("ParentPath").asText("");
                        links.add(
                                new Link(
                                        n.path("Path").asText(),
                                        n.path("FileSize").asLong(),
                                        n.path("Size").asLong(),
                                        HypervInventory.differencing(n.path("VhdType"))
                                                || !parent.isEmpty()));
                    }
                    if (links.get(links.size() - 1).differencing()) {
                        throw new InvalidSourceException(
                                "the differencing chain of "
                                        + drive
                                        + " does not reach a base disk (last: "
                                        + links.get(links.size() - 1).path()
                                        + "); repair it on the host with Inspect-VHD / Set-VHD -ParentPath");
                    }
                    out.add(new Chain(drive, links));
                });
        return out;
    }

    /**
     * The files to transfer for {@code vm}: merged into {@code staging} when differencing (or when
     * {@code throughStaging}, as SMB needs), else the disk's own file. In the VM's boot order.
     */
    static HypervExporter.Staged stage(
            PowerShellHost host,
            HypervVm vm,
            Optional<String> checkpoint,
            String staging,
            boolean throughStaging,
            Path out,
            ProgressListener listener) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("vm", vm.id());
        p.put("checkpoint", checkpoint.orElse(""));
        List<Chain> chains = new ArrayList<>(chains(host.run(Scripts.DISK_CHAINS, p)));
        if (chains.isEmpty()) {
            throw new InvalidSourceException(
                    "Hyper-V VM "
                            + vm.name()
                            + " has no VHD/VHDX disk to copy (pass-through disks cannot be exported)");
        }
        // boot order: the VM's disks as the inventory sorted them, unknown drives last
        chains.sort(Comparator.comparingInt(c -> rank(vm, c.drive())));
        String base = VmNames.forFileName(vm.name());
        List<DiskDownloads.Planned> plan = new ArrayList<>();
        List<Optional<HypervVm.Disk>> disks = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < chains.size(); i++) {
            Chain c = chains.get(i);
            Optional<HypervVm.Disk> disk =
                    vm.disks().stream()
                            .filter(d -> d.path().equalsIgnoreCase(c.drive()))
                            .findFirst();
            Link top = c.links().get(0);
            if (c.differencing() || throughStaging) {
                String destination = staging + "\\disk-" + i + "\\" + stem(top.path()) + ".vhdx";
                listener.onEvent(
                        new PhaseChanged(
                                Phase.EXPORT,
                                (c.differencing()
                                                ? "merging " + c.describe()
                                                : "converting " + fileName(top.path()))
                                        + " into "
                                        + destination
                                        + " on the host (Convert-VHD)"));
                JsonNode merged =
                        host.run(
                                Scripts.MERGE_DISK,
                                Map.of("source", top.path(), "destination", destination));
                plan.add(
                        new DiskDownloads.Planned(
                                merged.path("FullName").asText(destination),
                                merged.path("Length").asLong(),
                                out.resolve(base + "-disk-" + i + ".vhdx")));
                if (c.differencing()) {
                    notes.add(
                            "disk-"
                                    + i
                                    + ": differencing chain "
                                    + c.describe()
                                    + " merged on the host with Convert-VHD");
                }
            } else {
                String ext = top.path().toLowerCase(Locale.ROOT).endsWith(".vhd") ? "vhd" : "vhdx";
                plan.add(
                        new DiskDownloads.Planned(
                                top.path(),
                                top.fileSize(),
                                out.resolve(base + "-disk-" + i + "." + ext)));
            }
            disks.add(disk);
        }
        return new HypervExporter.Staged(plan, disks, notes);
    }

    private static int rank(HypervVm vm, String drive) {
        for (int i = 0; i < vm.disks().size(); i++) {
            if (vm.disks().get(i).path().equalsIgnoreCase(drive)) {
                return i;
            }
        }
        return vm.disks().size();
    }

    private static String fileName(String windowsPath) {
        return windowsPath.substring(windowsPath.lastIndexOf('\\') + 1);
    }

    private static String stem(String windowsPath) {
        String name = fileName(windowsPath);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
