package io.hypersdk.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.VmNic;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Generated OVF and VMX descriptors read back with the same CPU, memory, firmware, disks and NICs.
 */
class DescriptorPropertiesTest {

    private static final String POOL = "abcXYZ019 -_.&<>\"'|=#éü漢";
    private static final List<String> EXTENSIONS = List.of("vmdk", "qcow2", "img", "vhd", "vdi");

    record DiskSpec(long capacityMib, String label, String ext) {}

    record NicSpec(Optional<String> mac, String network, String adapter) {}

    record VmSpec(
            String name,
            int cpu,
            long memMib,
            boolean efi,
            boolean secureBoot,
            List<DiskSpec> disks,
            List<NicSpec> nics) {}

    private static Gen<String> text() {
        return lists().of(integers().between(0, POOL.length() - 1))
                .ofSizeBetween(1, 14)
                .map(
                        idx -> {
                            StringBuilder sb = new StringBuilder();
                            idx.forEach(i -> sb.append(POOL.charAt(i)));
                            String s = sb.toString().strip();
                            return s.isEmpty() ? "x" : s;
                        });
    }

    private static Gen<Optional<String>> mac() {
        return lists().of(integers().between(0, 255))
                .ofSize(6)
                .map(
                        bytes -> {
                            List<String> hex = new ArrayList<>();
                            bytes.forEach(b -> hex.add(String.format(Locale.ROOT, "%02X", b)));
                            return String.join(":", hex);
                        })
                .toOptionals(20);
    }

    private static Gen<VmSpec> vms() {
        Gen<DiskSpec> disk =
                integers()
                        .between(1, 4_000_000)
                        .zip(
                                text(),
                                integers().between(0, EXTENSIONS.size() - 1),
                                (cap, label, ext) -> new DiskSpec(cap, label, EXTENSIONS.get(ext)));
        Gen<NicSpec> nic =
                mac().zip(
                                text(),
                                integers().between(0, 2),
                                (m, net, a) ->
                                        new NicSpec(
                                                m,
                                                net,
                                                List.of("vmxnet3", "e1000", "E1000e").get(a)));
        Gen<int[]> hw =
                integers()
                        .between(1, 256)
                        .zip(
                                integers().between(4, 4 * 1024 * 1024),
                                booleans().all(),
                                booleans().all(),
                                (cpu, mem, efi, sb) ->
                                        new int[] {cpu, mem, efi ? 1 : 0, sb ? 1 : 0});
        return text().zip(
                        hw,
                        lists().of(disk).ofSizeBetween(1, 6),
                        lists().of(nic).ofSizeBetween(0, 4),
                        (name, h, disks, nics) ->
                                new VmSpec(
                                        name,
                                        h[0],
                                        h[1],
                                        h[2] == 1,
                                        h[2] == 1 && h[3] == 1,
                                        disks,
                                        nics));
    }

    private static String ovf(VmSpec vm) {
        List<OvfFixtures.Disk> disks = new ArrayList<>();
        for (int i = 0; i < vm.disks().size(); i++) {
            DiskSpec d = vm.disks().get(i);
            String format =
                    d.ext().equals("vmdk")
                            ? "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"
                            : "";
            disks.add(
                    new OvfFixtures.Disk(
                            "disk-" + i + "." + d.ext(), d.capacityMib(), d.label(), format));
        }
        List<OvfFixtures.Nic> nics =
                vm.nics().stream()
                        .map(n -> new OvfFixtures.Nic(n.mac(), n.network(), n.adapter()))
                        .toList();
        return OvfFixtures.descriptor(
                vm.name(), vm.cpu(), vm.memMib(), vm.efi() ? "efi" : "bios", disks, nics);
    }

    private static DiskFormat formatOf(String ext) {
        return switch (ext) {
            case "vmdk" -> DiskFormat.VMDK;
            case "qcow2" -> DiskFormat.QCOW2;
            case "vhd" -> DiskFormat.VHD;
            case "vdi" -> DiskFormat.VDI;
            default -> DiskFormat.RAW;
        };
    }

    private static void assertNics(List<VmNic> read, List<NicSpec> spec) {
        assertThat(read).hasSameSizeAs(spec);
        for (int i = 0; i < spec.size(); i++) {
            assertThat(read.get(i).mac())
                    .isEqualTo(spec.get(i).mac().map(m -> m.toLowerCase(Locale.ROOT)));
            assertThat(read.get(i).network()).hasValue(spec.get(i).network());
            assertThat(read.get(i).adapterType())
                    .hasValue(spec.get(i).adapter().toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void aGeneratedOvfDescriptorReadsBackWithTheSameHardware() {
        qt().withExamples(200)
                .forAll(vms())
                .checkAssert(
                        vm -> {
                            SourceVm read =
                                    OvfDescriptor.parse(
                                            new ByteArrayInputStream(
                                                    ovf(vm).getBytes(StandardCharsets.UTF_8)),
                                            "gen.ovf");

                            assertThat(read.name()).isEqualTo(vm.name());
                            assertThat(read.cpu()).isEqualTo(vm.cpu());
                            assertThat(read.memoryBytes()).isEqualTo(vm.memMib() << 20);
                            assertThat(read.firmware())
                                    .isEqualTo(vm.efi() ? Firmware.UEFI : Firmware.BIOS);
                            assertThat(read.disks()).hasSameSizeAs(vm.disks());
                            for (int i = 0; i < vm.disks().size(); i++) {
                                SourceVm.SourceDisk d = read.disks().get(i);
                                DiskSpec s = vm.disks().get(i);
                                assertThat(d.file()).isEqualTo("disk-" + i + "." + s.ext());
                                assertThat(d.capacityBytes()).isEqualTo(s.capacityMib() << 20);
                                assertThat(d.label()).hasValue(s.label());
                                assertThat(d.format()).isEqualTo(formatOf(s.ext()));
                                assertThat(d.controller()).hasValue("scsi0:" + i);
                            }
                            assertNics(read.nics(), vm.nics());
                        });
    }

    private static String vmxEscape(String s) {
        return s.replace("|", "|7C").replace("\"", "|22");
    }

    private static String vmx(VmSpec vm, long seed) {
        List<String> lines = new ArrayList<>();
        lines.add("config.version = \"8\"");
        lines.add("virtualHW.version = \"19\"");
        lines.add("displayName = \"" + vmxEscape(vm.name()) + "\"");
        lines.add("numvcpus = \"" + vm.cpu() + "\"");
        lines.add("memSize = \"" + vm.memMib() + "\"");
        lines.add("guestOS = \"ubuntu-64\"");
        if (vm.efi()) {
            lines.add("firmware = \"efi\"");
        }
        if (vm.secureBoot()) {
            lines.add("uefi.secureBoot.enabled = \"TRUE\"");
        }
        lines.add("ide1:0.present = \"TRUE\"");
        lines.add("ide1:0.deviceType = \"cdrom-image\"");
        lines.add("ide1:0.fileName = \"/isos/installer.iso\"");
        lines.add("scsi0.present = \"TRUE\"");
        for (int i = 0; i < vm.disks().size(); i++) {
            lines.add("scsi0:" + i + ".present = \"TRUE\"");
            lines.add(
                    "scsi0:"
                            + i
                            + ".fileName = \"disk-"
                            + i
                            + "."
                            + vm.disks().get(i).ext()
                            + "\"");
        }
        for (int i = 0; i < vm.nics().size(); i++) {
            NicSpec n = vm.nics().get(i);
            lines.add("ethernet" + i + ".present = \"TRUE\"");
            lines.add("ethernet" + i + ".virtualDev = \"" + n.adapter() + "\"");
            lines.add("ethernet" + i + ".networkName = \"" + vmxEscape(n.network()) + "\"");
            if (n.mac().isPresent()) {
                boolean isStatic = (seed + i) % 2 == 0;
                lines.add(
                        "ethernet"
                                + i
                                + ".addressType = \""
                                + (isStatic ? "static" : "generated")
                                + "\"");
                lines.add(
                        "ethernet"
                                + i
                                + (isStatic ? ".address" : ".generatedAddress")
                                + " = \""
                                + n.mac().get()
                                + "\"");
            }
        }
        Collections.shuffle(lines, new Random(seed));
        lines.add(0, ".encoding = \"UTF-8\"");
        lines.add(1, "# generated by the test");
        return String.join("\n", lines) + "\n";
    }

    @Test
    void aGeneratedVmxReadsBackWithTheSameHardwareWhateverTheKeyOrder() {
        qt().withExamples(200)
                .forAll(vms(), integers().between(0, 1_000_000))
                .checkAssert(
                        (vm, seed) -> {
                            SourceVm read = VmxDescriptor.parse(vmx(vm, seed), "gen.vmx", "gen");

                            assertThat(read.name()).isEqualTo(vm.name());
                            assertThat(read.cpu()).isEqualTo(vm.cpu());
                            assertThat(read.memoryBytes()).isEqualTo(vm.memMib() << 20);
                            assertThat(read.firmware())
                                    .isEqualTo(vm.efi() ? Firmware.UEFI : Firmware.BIOS);
                            assertThat(read.secureBoot()).isEqualTo(vm.secureBoot());
                            assertThat(read.disks())
                                    .extracting(SourceVm.SourceDisk::file)
                                    .containsExactlyElementsOf(
                                            java.util.stream.IntStream.range(0, vm.disks().size())
                                                    .mapToObj(
                                                            i ->
                                                                    "disk-"
                                                                            + i
                                                                            + "."
                                                                            + vm.disks()
                                                                                    .get(i)
                                                                                    .ext())
                                                    .toList());
                            assertThat(read.disks())
                                    .extracting(SourceVm.SourceDisk::format)
                                    .containsExactlyElementsOf(
                                            vm.disks().stream()
                                                    .map(d -> formatOf(d.ext()))
                                                    .toList());
                            assertNics(read.nics(), vm.nics());
                        });
    }

    @Test
    void bootDiskFollowsBiosHddOrderThenBusOrder() {
        String text =
                String.join(
                        "\n",
                        "config.version = \"8\"",
                        "scsi0:1.fileName = \"data.vmdk\"",
                        "nvme0:0.fileName = \"nvme.vmdk\"",
                        "sata0:0.fileName = \"sata.vmdk\"",
                        "scsi0:0.fileName = \"scsi0.vmdk\"",
                        "scsi0:2.fileName = \"gone.vmdk\"",
                        "scsi0:2.present = \"FALSE\"",
                        "bios.hddOrder = \"scsi0:1\"");
        SourceVm vm = VmxDescriptor.parse(text, "x.vmx", "x");
        assertThat(vm.disks())
                .extracting(SourceVm.SourceDisk::file)
                .containsExactly("data.vmdk", "sata.vmdk", "scsi0.vmdk", "nvme.vmdk");
        assertThat(vm.name()).isEqualTo("x");
        assertThat(vm.cpu()).isEqualTo(1);
    }

    @Test
    void anyTruncationOfAValidDescriptorParsesOrFailsWithInvalidSourceOnly() {
        qt().withExamples(200)
                .forAll(vms(), integers().between(0, 100_000))
                .checkAssert(
                        (vm, cut) -> {
                            byte[] full = ovf(vm).getBytes(StandardCharsets.UTF_8);
                            byte[] part = java.util.Arrays.copyOf(full, cut % full.length);
                            try {
                                OvfDescriptor.parse(new ByteArrayInputStream(part), "cut.ovf");
                            } catch (InvalidSourceException e) {
                                assertThat(e.getMessage())
                                        .startsWith("cut.ovf ")
                                        .doesNotContain("\n");
                            }
                        });
    }

    @Test
    void malformedXmlGivesOneLineNamingTheFileAndPosition() {
        String bad =
                "<?xml version=\"1.0\"?>\n<Envelope>\n  <References>\n    <File ovf:href=\"a.vmdk\"\n</Envelope>\n";
        assertThatThrownBy(
                        () ->
                                OvfDescriptor.parse(
                                        new ByteArrayInputStream(
                                                bad.getBytes(StandardCharsets.UTF_8)),
                                        "broken.ovf"))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageStartingWith("broken.ovf is not well-formed XML at line ")
                .hasMessageEndingWith("; check that the file is a complete OVF descriptor")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void xmlThatIsNotAnOvfOrUsesDtdsIsRefusedClearly() {
        assertThatThrownBy(
                        () ->
                                OvfDescriptor.parse(
                                        new ByteArrayInputStream(
                                                "<html/>".getBytes(StandardCharsets.UTF_8)),
                                        "page.ovf"))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessage(
                        "page.ovf is not an OVF descriptor: its root element is <html>, not <Envelope>");
        String xxe =
                "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Envelope>&x;</Envelope>";
        assertThatThrownBy(
                        () ->
                                OvfDescriptor.parse(
                                        new ByteArrayInputStream(
                                                xxe.getBytes(StandardCharsets.UTF_8)),
                                        "xxe.ovf"))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("xxe.ovf");
        String noDisks = OvfFixtures.descriptor("vm", 1, 512, null, List.of(), List.of());
        assertThatThrownBy(
                        () ->
                                OvfDescriptor.parse(
                                        new ByteArrayInputStream(
                                                noDisks.getBytes(StandardCharsets.UTF_8)),
                                        "empty.ovf"))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("empty.ovf describes no disks");
    }

    @Test
    void aVmxLineThatIsNotKeyValueIsReportedWithItsNumber() {
        assertThatThrownBy(
                        () ->
                                VmxDescriptor.parse(
                                        "config.version = \"8\"\nthis is not vmx\n",
                                        "bad.vmx",
                                        "bad"))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageStartingWith("bad.vmx line 2 is not 'key = \"value\"'");
        assertThatThrownBy(() -> VmxDescriptor.parse("foo = \"bar\"\n", "other.vmx", "o"))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("other.vmx is not a VMware .vmx file");
    }

    @Test
    void allocationUnitsAreUnderstoodInTheirCommonSpellings() {
        assertThat(OvfDescriptor.units("byte", "s", "u")).isEqualTo(1);
        assertThat(OvfDescriptor.units("byte * 2^20", "s", "u")).isEqualTo(1 << 20);
        assertThat(OvfDescriptor.units("byte*2^30", "s", "u")).isEqualTo(1 << 30);
        assertThat(OvfDescriptor.units("byte * 1024", "s", "u")).isEqualTo(1024);
        assertThat(OvfDescriptor.units("MegaBytes", "s", "u")).isEqualTo(1 << 20);
        assertThatThrownBy(() -> OvfDescriptor.units("furlongs", "x.ovf", "memory AllocationUnits"))
                .hasMessage(
                        "x.ovf: memory AllocationUnits 'furlongs' is not understood; expected e.g. 'byte * 2^20'");
    }
}
