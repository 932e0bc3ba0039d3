package io.hypersdk.provider.local;

import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.VmNic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a VMware {@code .vmx} file (keys are case-insensitive, values may use {@code |XX} escapes)
 * into a {@link SourceVm}: {@code numvcpus}, {@code memsize} (MiB), {@code firmware}, {@code
 * uefi.secureBoot.enabled}, {@code guestOS}, {@code displayName}; disks from {@code
 * <bus><n>:<unit>.fileName} (CD-ROMs skipped), boot disk first ({@code bios.hddOrder}, else ide,
 * sata, scsi, nvme by controller and unit); NICs from {@code ethernet<n>.*}. Capacities are left at
 * 0: the caller reads them from the VMDK files.
 */
final class VmxDescriptor {

    private static final Pattern LINE =
            Pattern.compile("\\s*([A-Za-z0-9_.:\\-]+)\\s*=\\s*(?:\"(.*)\"|(\\S*))\\s*");
    private static final Pattern DISK_KEY =
            Pattern.compile("(ide|sata|scsi|nvme)(\\d+):(\\d+)\\.filename");
    private static final Pattern NIC_KEY = Pattern.compile("ethernet(\\d+)\\.present");
    private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final List<String> BUS_ORDER = List.of("ide", "sata", "scsi", "nvme");

    private VmxDescriptor() {}

    /** The key/value pairs of a VMX text, keys lower-cased, values unescaped. */
    static Map<String, String> keys(String text, String source) {
        Map<String, String> m = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\r?\n")) {
            lineNo++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            Matcher lm = LINE.matcher(line);
            if (!lm.matches()) {
                throw new InvalidSourceException(
                        source
                                + " line "
                                + lineNo
                                + " is not 'key = \"value\"': '"
                                + (t.length() > 80 ? t.substring(0, 80) + "…" : t)
                                + "'; is this a VMware .vmx file?");
            }
            String value = lm.group(2) != null ? lm.group(2) : lm.group(3);
            m.put(lm.group(1).toLowerCase(Locale.ROOT), unescape(value));
        }
        return m;
    }

    static SourceVm parse(String text, String source, String defaultName) {
        Map<String, String> k = keys(text, source);
        if (!(k.containsKey("config.version")
                || k.containsKey("virtualhw.version")
                || k.containsKey("displayname")
                || k.containsKey("numvcpus")
                || k.containsKey("memsize")
                || k.containsKey("guestos"))) {
            throw new InvalidSourceException(
                    source
                            + " is not a VMware .vmx file: it has none of config.version,"
                            + " virtualHW.version, displayName, numvcpus, memsize, guestOS");
        }
        int cpu = intKey(k, "numvcpus", 1, source);
        long memMib = intKey(k, "memsize", 0, source);
        Firmware firmware;
        try {
            firmware = Firmware.parse(k.getOrDefault("firmware", "bios"));
        } catch (IllegalArgumentException e) {
            throw new InvalidSourceException(
                    source + ": firmware = \"" + k.get("firmware") + "\" is not bios or efi");
        }
        boolean secureBoot =
                bool(k.get("uefi.securebootenabled")) || bool(k.get("uefi.secureboot.enabled"));

        record Dev(String bus, int controller, int unit, String id) {}
        List<Dev> devs = new ArrayList<>();
        for (String key : k.keySet()) {
            Matcher dm = DISK_KEY.matcher(key);
            if (!dm.matches()) {
                continue;
            }
            String dev = dm.group(1) + dm.group(2) + ":" + dm.group(3);
            String type = k.getOrDefault(dev + ".devicetype", "disk").toLowerCase(Locale.ROOT);
            String file = k.get(key);
            boolean present = !k.containsKey(dev + ".present") || bool(k.get(dev + ".present"));
            boolean controllerPresent =
                    !k.containsKey(dm.group(1) + dm.group(2) + ".present")
                            || bool(k.get(dm.group(1) + dm.group(2) + ".present"));
            if (!present
                    || !controllerPresent
                    || type.contains("cdrom")
                    || file.isEmpty()
                    || file.toLowerCase(Locale.ROOT).endsWith(".iso")) {
                continue;
            }
            devs.add(
                    new Dev(
                            dm.group(1),
                            Integer.parseInt(dm.group(2)),
                            Integer.parseInt(dm.group(3)),
                            dev));
        }
        String first =
                k.getOrDefault("bios.hddorder", "").split(",")[0].trim().toLowerCase(Locale.ROOT);
        devs.sort(
                Comparator.<Dev>comparingInt(d -> d.id().equals(first) ? 0 : 1)
                        .thenComparingInt(d -> BUS_ORDER.indexOf(d.bus()))
                        .thenComparingInt(Dev::controller)
                        .thenComparingInt(Dev::unit));
        List<SourceVm.SourceDisk> disks = new ArrayList<>();
        for (Dev d : devs) {
            String file = k.get(d.id() + ".filename");
            DiskFormat format = DiskFormats.byName(file).orElse(DiskFormat.VMDK);
            disks.add(
                    new SourceVm.SourceDisk(
                            d.id(),
                            Optional.ofNullable(k.get(d.id() + ".displayname")),
                            0,
                            format,
                            file,
                            -1,
                            false,
                            Optional.of(d.id())));
        }
        if (disks.isEmpty()) {
            throw new InvalidSourceException(
                    source
                            + " attaches no disk (no present ide/sata/scsi/nvme disk with a fileName); nothing to export");
        }

        List<Integer> nicIdx = new ArrayList<>();
        for (String key : k.keySet()) {
            Matcher nm = NIC_KEY.matcher(key);
            if (nm.matches() && bool(k.get(key))) {
                nicIdx.add(Integer.parseInt(nm.group(1)));
            }
        }
        nicIdx.sort(null);
        List<VmNic> nics = new ArrayList<>();
        for (int i : nicIdx) {
            String p = "ethernet" + i + ".";
            String addressType =
                    k.getOrDefault(p + "addresstype", "generated").toLowerCase(Locale.ROOT);
            String mac =
                    addressType.equals("static")
                            ? k.get(p + "address")
                            : k.getOrDefault(p + "generatedaddress", k.get(p + "address"));
            Optional<String> m =
                    Optional.ofNullable(mac)
                            .filter(x -> MAC.matcher(x).matches())
                            .map(x -> x.toLowerCase(Locale.ROOT));
            Optional<String> network =
                    Optional.ofNullable(k.get(p + "networkname"))
                            .filter(s -> !s.isEmpty())
                            .or(
                                    () ->
                                            Optional.ofNullable(k.get(p + "vnet"))
                                                    .filter(s -> !s.isEmpty()));
            nics.add(
                    new VmNic(
                            Optional.of("ethernet" + i),
                            m,
                            network,
                            Optional.ofNullable(k.get(p + "virtualdev"))
                                    .map(s -> s.toLowerCase(Locale.ROOT))));
        }
        String name =
                Optional.ofNullable(k.get("displayname"))
                        .filter(s -> !s.isBlank())
                        .orElse(defaultName);
        return new SourceVm(
                name,
                Optional.ofNullable(k.get("guestos")).filter(s -> !s.isEmpty()),
                cpu,
                memMib << 20,
                firmware,
                secureBoot,
                disks,
                nics,
                List.of());
    }

    private static int intKey(Map<String, String> k, String key, int def, String source) {
        String v = k.get(key);
        if (v == null || v.isEmpty()) {
            return def;
        }
        if (!v.trim().matches("\\d{1,9}")) {
            throw new InvalidSourceException(
                    source + ": " + key + " = \"" + v + "\" is not a whole number");
        }
        return Integer.parseInt(v.trim());
    }

    private static boolean bool(String v) {
        return v != null
                && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equals("1"));
    }

    /** VMX escapes a byte as {@code |XX} (e.g. {@code |22} for a double quote). */
    static String unescape(String v) {
        if (v.indexOf('|') < 0) {
            return v;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '|' && isHex(v, i + 1) && isHex(v, i + 2)) {
                sb.append((char) Integer.parseInt(v.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
    }
}
