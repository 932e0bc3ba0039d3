package io.hypersdk.provider.local;

import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.VmNic;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an OVF descriptor (1.x or 2.x, as written by vSphere, ovftool, VirtualBox, qemu tools) into
 * a {@link SourceVm}: CPU and memory from the {@code VirtualHardwareSection}, firmware and secure
 * boot from VMware's {@code vmw:Config}, disks in hardware order with their files from {@code
 * References}/{@code DiskSection}, NICs with MAC and network.
 */
final class OvfDescriptor {

    private static final Pattern UNITS =
            Pattern.compile(
                    "\\s*byte\\s*(?:\\*\\s*(\\d+)\\s*(?:\\^\\s*(\\d+))?)?\\s*",
                    Pattern.CASE_INSENSITIVE);
    private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}([:-][0-9a-f]{2}){5}");

    private OvfDescriptor() {}

    /**
     * Parses a descriptor.
     *
     * @param in the descriptor's bytes
     * @param source its name for error messages ({@code appliance.ova!appliance.ovf})
     * @throws InvalidSourceException naming {@code source} when it is not XML or not a usable OVF
     */
    static SourceVm parse(InputStream in, String source) {
        XmlTree root = XmlTree.parse(in, source);
        if (!root.name.equals("Envelope")) {
            throw new InvalidSourceException(
                    source
                            + " is not an OVF descriptor: its root element is <"
                            + root.name
                            + ">, not <Envelope>");
        }
        Map<String, XmlTree> files = new HashMap<>();
        root.child("References")
                .ifPresent(
                        refs ->
                                refs.children("File")
                                        .forEach(
                                                f ->
                                                        f.attr("id")
                                                                .ifPresent(
                                                                        id -> files.put(id, f))));
        Map<String, XmlTree> disks = new HashMap<>();
        root.children("DiskSection")
                .forEach(
                        ds ->
                                ds.children("Disk")
                                        .forEach(
                                                d ->
                                                        d.attr("diskId")
                                                                .ifPresent(
                                                                        id -> disks.put(id, d))));

        if (root.child("VirtualSystemCollection").isPresent()) {
            throw new InvalidSourceException(
                    source
                            + " describes several VMs (VirtualSystemCollection); export each VM"
                            + " from its own OVF package");
        }
        XmlTree vs =
                root.child("VirtualSystem")
                        .orElseThrow(
                                () ->
                                        new InvalidSourceException(
                                                source
                                                        + " has no <VirtualSystem>; it is not a VM descriptor"));
        String name = vs.childText("Name").or(() -> vs.attr("id")).orElse("vm");

        Optional<String> guestOs =
                vs.child("OperatingSystemSection")
                        .flatMap(os -> os.attr("osType").or(() -> os.childText("Description")));

        XmlTree hw =
                vs.child("VirtualHardwareSection")
                        .orElseThrow(
                                () ->
                                        new InvalidSourceException(
                                                source
                                                        + " has no <VirtualHardwareSection>; it is not a VM descriptor"));
        List<XmlTree> items = new ArrayList<>();
        for (XmlTree c : hw.children) {
            if (c.name.equals("Item")
                    || c.name.equals("StorageItem")
                    || c.name.equals("EthernetPortItem")) {
                items.add(c);
            }
        }
        Map<String, XmlTree> byInstance = new HashMap<>();
        items.forEach(i -> i.childText("InstanceID").ifPresent(id -> byInstance.put(id, i)));

        int cpu = 0;
        long memory = 0;
        List<SourceVm.SourceDisk> sourceDisks = new ArrayList<>();
        List<VmNic> nics = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, Integer> controllerCounts = new HashMap<>();
        Map<String, String> controllerNames = new HashMap<>();
        for (XmlTree item : items) {
            int type = resourceType(item, source);
            switch (type) {
                case 5, 6, 20 -> {
                    String kind = type == 5 ? "ide" : type == 6 ? "scsi" : "sata";
                    int index = controllerCounts.merge(kind, 1, Integer::sum) - 1;
                    String bus =
                            item.childText("Address")
                                    .filter(a -> a.matches("\\d{1,3}"))
                                    .orElse(Integer.toString(index));
                    item.childText("InstanceID")
                            .ifPresent(id -> controllerNames.put(id, kind + bus));
                }
                default -> {}
            }
        }
        for (XmlTree item : items) {
            int type = resourceType(item, source);
            switch (type) {
                case 3 -> cpu = (int) Math.min(Integer.MAX_VALUE, quantity(item, source, "CPU"));
                case 4 -> {
                    long q = quantity(item, source, "memory");
                    String units = item.childText("AllocationUnits").orElse("byte * 2^20");
                    memory = multiply(q, units(units, source, "memory AllocationUnits"), source);
                }
                case 17 -> {
                    SourceVm.SourceDisk d =
                            disk(item, files, disks, controllerNames, sourceDisks.size(), source);
                    if (d == null) {
                        warnings.add(
                                source
                                        + ": disk "
                                        + item.childText("ElementName")
                                                .orElse(item.childText("HostResource").orElse("?"))
                                        + " is an empty disk (no file) and was not exported; add a blank disk of its size after conversion");
                    } else {
                        sourceDisks.add(d);
                    }
                }
                case 10 -> nics.add(nic(item, source));
                default -> {}
            }
        }
        if (sourceDisks.isEmpty()) {
            throw new InvalidSourceException(
                    source
                            + (warnings.isEmpty()
                                    ? " describes no disks (no hardware item of ResourceType 17)"
                                    : " has only empty disks (no disk files)")
                            + "; nothing to export");
        }

        Firmware firmware = Firmware.BIOS;
        boolean secureBoot = false;
        for (XmlTree c : hw.children) {
            if (c.name.equals("Config") || c.name.equals("ExtraConfig")) {
                String key = c.attr("key").orElse("");
                String value = c.attr("value").orElse("");
                if (key.equals("firmware")) {
                    try {
                        firmware = Firmware.parse(value);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidSourceException(
                                source + ": firmware '" + value + "' is not bios or efi");
                    }
                } else if (key.equals("bootOptions.efiSecureBootEnabled")
                        || key.equals("uefi.secureBoot.enabled")) {
                    secureBoot = value.equalsIgnoreCase("true");
                }
            }
        }
        return new SourceVm(
                name, guestOs, cpu, memory, firmware, secureBoot, sourceDisks, nics, warnings);
    }

    /**
     * The disk of a ResourceType 17 item, or null for an empty disk (a DiskSection entry without a
     * file).
     */
    private static SourceVm.SourceDisk disk(
            XmlTree item,
            Map<String, XmlTree> files,
            Map<String, XmlTree> disks,
            Map<String, String> controllers,
            int index,
            String source) {
        String host =
                item.childText("HostResource")
                        .orElseThrow(
                                () ->
                                        new InvalidSourceException(
                                                source
                                                        + ": disk item "
                                                        + item.childText("ElementName")
                                                                .orElse("#" + (index + 1))
                                                        + " has no HostResource"));
        XmlTree file;
        long capacity = 0;
        Optional<DiskFormat> format = Optional.empty();
        String id;
        Matcher dm = Pattern.compile("(?:ovf:)?/disk/(.+)").matcher(host);
        Matcher fm = Pattern.compile("(?:ovf:)?/file/(.+)").matcher(host);
        if (dm.matches()) {
            id = dm.group(1);
            XmlTree d = disks.get(id);
            if (d == null) {
                throw new InvalidSourceException(
                        source
                                + ": disk item refers to "
                                + host
                                + " but DiskSection has no disk '"
                                + id
                                + "'");
            }
            Optional<String> ref = d.attr("fileRef").filter(r -> !r.isEmpty());
            if (ref.isEmpty()) {
                return null; // an empty disk: nothing to copy; the caller warns
            }
            String fileRef = ref.get();
            file = files.get(fileRef);
            if (file == null) {
                throw new InvalidSourceException(
                        source
                                + ": disk '"
                                + id
                                + "' refers to file '"
                                + fileRef
                                + "' which References does not list");
            }
            String cap = d.attr("capacity").orElse("0");
            if (!cap.matches("\\d{1,20}")) {
                throw new InvalidSourceException(
                        source
                                + ": disk '"
                                + id
                                + "' has capacity '"
                                + cap
                                + "', not a number (OVF properties in capacities are not supported)");
            }
            capacity =
                    multiply(
                            Long.parseLong(cap),
                            units(
                                    d.attr("capacityAllocationUnits").orElse("byte"),
                                    source,
                                    "capacityAllocationUnits of disk '" + id + "'"),
                            source);
            format = d.attr("format").flatMap(DiskFormats::byOvfFormat);
        } else if (fm.matches()) {
            id = fm.group(1);
            file = files.get(id);
            if (file == null) {
                throw new InvalidSourceException(
                        source
                                + ": disk item refers to "
                                + host
                                + " which References does not list");
            }
        } else {
            throw new InvalidSourceException(
                    source
                            + ": disk item has HostResource '"
                            + host
                            + "'; expected ovf:/disk/<id>");
        }
        String href =
                file.attr("href")
                        .orElseThrow(
                                () ->
                                        new InvalidSourceException(
                                                source
                                                        + ": file '"
                                                        + file.attr("id").orElse("?")
                                                        + "' has no href"));
        if (href.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
            throw new InvalidSourceException(
                    source
                            + ": disk file '"
                            + href
                            + "' is a URL; only files inside the OVF package are supported");
        }
        if (file.attr("chunkSize").isPresent()) {
            throw new InvalidSourceException(
                    source
                            + ": disk file '"
                            + href
                            + "' is split into chunks (ovf:chunkSize), which is not supported;"
                            + " re-export the VM without chunking");
        }
        boolean gzip =
                file.attr("compression")
                        .map(
                                c -> {
                                    if (c.equalsIgnoreCase("gzip")) {
                                        return true;
                                    }
                                    if (c.equalsIgnoreCase("identity") || c.isEmpty()) {
                                        return false;
                                    }
                                    throw new InvalidSourceException(
                                            source
                                                    + ": disk file '"
                                                    + href
                                                    + "' uses compression '"
                                                    + c
                                                    + "'; only gzip is supported");
                                })
                        .orElse(false);
        long size =
                file.attr("size")
                        .filter(s -> s.matches("\\d{1,20}"))
                        .map(Long::parseLong)
                        .orElse(-1L);
        DiskFormat f = format.or(() -> DiskFormats.byName(href)).orElse(DiskFormat.VMDK);
        Optional<String> controller =
                item.childText("Parent")
                        .map(controllers::get)
                        .map(c -> c + ":" + item.childText("AddressOnParent").orElse("0"));
        return new SourceVm.SourceDisk(
                id, item.childText("ElementName"), capacity, f, href, size, gzip, controller);
    }

    private static VmNic nic(XmlTree item, String source) {
        Optional<String> mac =
                item.childText("Address")
                        .filter(a -> MAC.matcher(a).matches())
                        .map(a -> a.toLowerCase(Locale.ROOT).replace('-', ':'));
        Optional<String> network = item.childText("Connection");
        Optional<String> adapter =
                item.childText("ResourceSubType").map(s -> s.toLowerCase(Locale.ROOT));
        return new VmNic(item.childText("ElementName"), mac, network, adapter);
    }

    private static int resourceType(XmlTree item, String source) {
        String t = item.childText("ResourceType").orElse("0");
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new InvalidSourceException(
                    source
                            + ": hardware item "
                            + item.childText("ElementName").orElse("?")
                            + " has ResourceType '"
                            + t
                            + "', not a number");
        }
    }

    private static long quantity(XmlTree item, String source, String what) {
        String q = item.childText("VirtualQuantity").orElse("0");
        if (!q.matches("\\d{1,18}")) {
            throw new InvalidSourceException(
                    source + ": " + what + " VirtualQuantity '" + q + "' is not a whole number");
        }
        return Long.parseLong(q);
    }

    /**
     * Bytes per unit for {@code byte}, {@code byte * 2^20}, {@code byte * 1024}, {@code MegaBytes}
     * ...
     */
    static long units(String units, String source, String what) {
        String u = units.trim().toLowerCase(Locale.ROOT);
        switch (u) {
            case "kilobytes", "kb":
                return 1L << 10;
            case "megabytes", "mb":
                return 1L << 20;
            case "gigabytes", "gb":
                return 1L << 30;
            case "terabytes", "tb":
                return 1L << 40;
            default:
                break;
        }
        Matcher m = UNITS.matcher(units);
        if (m.matches()) {
            if (m.group(1) == null) {
                return 1;
            }
            BigInteger base = new BigInteger(m.group(1));
            BigInteger v =
                    m.group(2) == null
                            ? base
                            : base.pow(Math.min(64, Integer.parseInt(m.group(2))));
            if (v.signum() > 0 && v.bitLength() < 63) {
                return v.longValueExact();
            }
        }
        throw new InvalidSourceException(
                source
                        + ": "
                        + what
                        + " '"
                        + units
                        + "' is not understood; expected e.g. 'byte * 2^20'");
    }

    private static long multiply(long q, long unit, String source) {
        try {
            return Math.multiplyExact(q, unit);
        } catch (ArithmeticException e) {
            throw new InvalidSourceException(
                    source + ": a size (" + q + " x " + unit + " bytes) is too large");
        }
    }
}
