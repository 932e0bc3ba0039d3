package io.hypersdk.provider.hyperv;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.PowerState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the JSON of {@link Scripts#LIST} and {@link Scripts#DESCRIBE}. Enums arrive as numbers
 * (Windows PowerShell 5.1, and PowerShell 7 without {@code -EnumsAsStrings}) or as names; both are
 * read: VMState (Running 2, Off 3, Saved 6, Paused 9 ...), ControllerType (IDE 0, SCSI 1),
 * VhdFormat (VHD 2, VHDX 3, VHDSet 4), VhdType (Fixed 2, Dynamic 3, Differencing 4), OnOffState (On
 * 0, Off 1). Where each comes from: the module README.
 */
final class HypervInventory {
    private HypervInventory() {}

    /** One VM of the LIST answer. */
    record Listed(String name, String id, PowerState power, int cpu, long memoryBytes) {}

    static List<Listed> list(JsonNode answer) {
        List<Listed> out = new ArrayList<>();
        for (JsonNode vm : elements(answer)) {
            out.add(
                    new Listed(
                            text(vm, "Name"),
                            text(vm, "Id"),
                            power(vm.path("State")),
                            vm.path("ProcessorCount").asInt(),
                            vm.path("MemoryStartup").asLong()));
        }
        return out;
    }

    static HypervVm describe(JsonNode answer) {
        JsonNode vm = answer.path("VM");
        if (!vm.isObject()) {
            throw new InvalidSourceException(
                    "the Hyper-V host's answer has no VM object; is this a Hyper-V host?");
        }
        int generation = vm.path("Generation").asInt(1);
        Optional<HypervVm.DynamicMemory> dyn =
                vm.path("DynamicMemoryEnabled").asBoolean(false)
                        ? Optional.of(
                                new HypervVm.DynamicMemory(
                                        vm.path("MemoryMinimum").asLong(),
                                        vm.path("MemoryMaximum").asLong()))
                        : Optional.empty();
        List<HypervVm.Disk> disks = new ArrayList<>();
        for (JsonNode d : elements(answer.path("HardDrives"))) {
            String path = d.path("Path").asText("");
            if (path.isEmpty()) {
                continue; // a pass-through physical disk has no file to export
            }
            JsonNode vhd = vhdFor(answer.path("Vhds"), path);
            disks.add(
                    new HypervVm.Disk(
                            controller(d.path("ControllerType")),
                            d.path("ControllerNumber").asInt(),
                            d.path("ControllerLocation").asInt(),
                            path,
                            vhdFormat(vhd.path("VhdFormat"), path),
                            vhd.path("FileSize").asLong(0),
                            vhd.path("Size").asLong(0),
                            Optional.ofNullable(vhd.path("ParentPath").textValue())
                                    .filter(s -> !s.isEmpty())));
        }
        List<String> bootPaths = new ArrayList<>();
        JsonNode fw = answer.path("Firmware");
        for (JsonNode b : elements(fw.path("BootOrder"))) {
            Optional.ofNullable(b.path("Path").textValue()).ifPresent(bootPaths::add);
        }
        // generation 2 boots the first drive in the firmware's order; generation 1 boots IDE 0:0
        Comparator<HypervVm.Disk> order =
                Comparator.comparingInt((HypervVm.Disk d) -> bootRank(bootPaths, d.path()))
                        .thenComparingInt(
                                d -> generation == 1 && d.controller().equals("IDE") ? 0 : 1)
                        .thenComparing(HypervVm.Disk::controller)
                        .thenComparingInt(HypervVm.Disk::controllerNumber)
                        .thenComparingInt(HypervVm.Disk::controllerLocation);
        disks.sort(order);
        List<HypervVm.Nic> nics = new ArrayList<>();
        for (JsonNode n : elements(answer.path("NetworkAdapters"))) {
            nics.add(
                    new HypervVm.Nic(
                            n.path("Name").asText("Network Adapter"),
                            mac(n.path("MacAddress").textValue()),
                            Optional.ofNullable(n.path("SwitchName").textValue())
                                    .filter(s -> !s.isEmpty())));
        }
        boolean secureBoot = generation == 2 && onOff(fw.path("SecureBoot"));
        JsonNode state = vm.path("State");
        return new HypervVm(
                text(vm, "Name"),
                text(vm, "Id"),
                power(state),
                state.asText(),
                generation,
                vm.path("ProcessorCount").asInt(),
                vm.path("MemoryStartup").asLong(),
                dyn,
                disks,
                nics,
                secureBoot);
    }

    /**
     * VMState, as a number or a name. The numbers are Msvm_ComputerSystem's RequestedState values
     * (Other 1, Running 2, Off 3, Stopping 4, Saved 6, Paused 9, Starting 10, Reset 11, Saving
     * 32773, Pausing 32776, Resuming 32777, FastSaved 32779, FastSaving 32780, then the *Critical
     * states 32781-32792 in the same order as Running..FastSaving).
     */
    static PowerState power(JsonNode state) {
        if (state.isNumber()) {
            return switch (state.asInt()) {
                // Running, Stopping, Starting, Reset, Pausing, Resuming and their Critical forms
                case 2, 4, 10, 11, 32776, 32777, 32781, 32783, 32786, 32787, 32789, 32790 ->
                        PowerState.ON;
                case 3, 32782 -> PowerState.OFF; // Off, OffCritical
                // Saved, Paused, Saving, FastSaved, FastSaving and their Critical forms
                case 6, 9, 32773, 32779, 32780, 32784, 32785, 32788, 32791, 32792 ->
                        PowerState.SUSPENDED;
                default -> PowerState.UNKNOWN; // Other 1
            };
        }
        String s = state.asText("").toLowerCase(Locale.ROOT);
        if (s.startsWith("off")) {
            return PowerState.OFF;
        }
        if (s.startsWith("saved")
                || s.startsWith("paused")
                || s.startsWith("fastsav")
                || s.startsWith("saving")) {
            return PowerState.SUSPENDED;
        }
        return s.isEmpty() || s.startsWith("other") ? PowerState.UNKNOWN : PowerState.ON;
    }

    /**
     * {@code 00155D010203} or {@code 00-15-5D-01-02-03} as {@code 00:15:5d:01:02:03}; empty for all
     * zeros.
     */
    static Optional<String> mac(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String hex = raw.replaceAll("[^0-9A-Fa-f]", "").toLowerCase(Locale.ROOT);
        if (hex.length() != 12 || hex.equals("000000000000")) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i += 2) {
            sb.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return Optional.of(sb.toString());
    }

    /** VhdType Differencing: 4 as a number (Fixed 2, Dynamic 3), or the name. */
    static boolean differencing(JsonNode t) {
        return t.isNumber() ? t.asInt() == 4 : t.asText("").equalsIgnoreCase("Differencing");
    }

    private static String controller(JsonNode t) {
        if (t.isNumber()) {
            return t.asInt() == 0 ? "IDE" : t.asInt() == 1 ? "SCSI" : "PMEM";
        }
        return t.asText("SCSI").toUpperCase(Locale.ROOT);
    }

    private static String vhdFormat(JsonNode f, String path) {
        if (f.isNumber()) {
            return f.asInt() == 2 ? "vhd" : "vhdx";
        }
        if (f.isTextual()) {
            return f.asText().toLowerCase(Locale.ROOT).equals("vhd") ? "vhd" : "vhdx";
        }
        return path.toLowerCase(Locale.ROOT).endsWith(".vhd") ? "vhd" : "vhdx";
    }

    private static boolean onOff(JsonNode v) {
        return v.isNumber() ? v.asInt() == 0 : v.asText("").equalsIgnoreCase("On");
    }

    private static int bootRank(List<String> bootPaths, String path) {
        for (int i = 0; i < bootPaths.size(); i++) {
            if (bootPaths.get(i).equalsIgnoreCase(path)) {
                return i;
            }
        }
        return bootPaths.size();
    }

    private static JsonNode vhdFor(JsonNode vhds, String path) {
        for (JsonNode v : elements(vhds)) {
            if (path.equalsIgnoreCase(v.path("Path").asText())) {
                return v;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /**
     * An array's elements; a single object (ConvertTo-Json unwraps one-element arrays) as a list of
     * one.
     */
    static List<JsonNode> elements(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(out::add);
        } else if (n.isObject()) {
            out.add(n);
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new InvalidSourceException(
                    "the Hyper-V host's answer lacks "
                            + field
                            + "; check the host's PowerShell version");
        }
        return v.asText();
    }
}
