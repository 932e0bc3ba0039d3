package io.hypersdk.pipeline.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestVm;
import io.hypersdk.core.manifest.NicArtifact;
import io.hypersdk.core.settings.LibvirtSettings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.w3c.dom.Document;

class LibvirtDefinerTest {
    private static final String TEST_URI = "test:///default";
    @TempDir Path tmp;

    /** Keeps the test driver's in-process state alive between the definer's connections. */
    private Connect keepAlive;

    @BeforeEach
    void open() throws Exception {
        try {
            keepAlive = new Connect(TEST_URI);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            assumeTrue(false, "libvirt's C library is not installed (Debian: libvirt0): " + e);
        }
    }

    @AfterEach
    void close() throws Exception {
        if (keepAlive != null) {
            keepAlive.close();
        }
    }

    private LibvirtSettings.Builder settings() {
        return LibvirtSettings.builder().enabled(true).uri(TEST_URI);
    }

    private List<Path> images(int n) throws Exception {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Files.writeString(tmp.resolve("vm-disk-" + i + ".qcow2"), "image " + i));
        }
        return out;
    }

    private static ArtifactManifest manifest(String name, ManifestVm vm, int nics) {
        ArtifactManifest.Builder b =
                ArtifactManifest.builder()
                        .source(ManifestSource.of("vsphere").withVmName(name))
                        .vm(vm)
                        .addDisk(
                                DiskArtifact.builder()
                                        .id("disk-0")
                                        .sourceFormat(DiskFormat.VMDK)
                                        .bytes(1)
                                        .localPath(Path.of("/exports/disk-0.vmdk"))
                                        .bootOrderHint(0)
                                        .build());
        for (int i = 0; i < nics; i++) {
            b.addNic(NicArtifact.of(String.format("00:50:56:aa:bb:%02x", i), "VM Network"));
        }
        return b.build();
    }

    private static LibvirtDefiner definer() {
        return LibvirtDefiner.builder().connector(Connect::new).build();
    }

    /** Runs virt-xml-validate on the XML; returns its output, failing when it rejects it. */
    private String validate(String xml) throws Exception {
        Path f = Files.writeString(tmp.resolve("domain-" + System.nanoTime() + ".xml"), xml);
        Process p;
        try {
            p =
                    new ProcessBuilder("virt-xml-validate", f.toString(), "domain")
                            .redirectErrorStream(true)
                            .start();
        } catch (java.io.IOException e) {
            assumeTrue(
                    false,
                    "virt-xml-validate is not installed (Debian: libvirt-clients,"
                            + " libxml2-utils)");
            return "";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("virt-xml-validate: %s\n%s", out, xml).isZero();
        return out;
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void biosGuestGetsMachinePcWithPciRootAndValidates() throws Exception {
        LibvirtDefiner.Plan plan =
                definer()
                        .plan(
                                manifest("web-01", ManifestVm.of(4, 8, Firmware.BIOS), 1),
                                images(1),
                                JobId.generate(),
                                settings().build());
        String xml = DomainXml.render(plan.spec());
        validate(xml);
        assertThat(xml)
                .contains("machine=\"pc\"")
                .contains("model=\"pci-root\"")
                .doesNotContain("pcie-root")
                .doesNotContain("<loader")
                .contains("<memory unit=\"MiB\">8192</memory>")
                .contains(">4</vcpu>")
                .doesNotContain("qxl")
                .doesNotContain("<emulator");
        assertThat(plan.notices()).isEmpty();
    }

    @Test
    void uefiGuestGetsQ35AndTheHostsOvmfAndValidates() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/usr/share/OVMF")), "ovmf is not installed");
        LibvirtDefiner.Plan plan =
                definer()
                        .plan(
                                manifest("uefi-01", ManifestVm.of(2, 4, Firmware.UEFI), 1),
                                images(1),
                                JobId.generate(),
                                settings().build());
        String xml = DomainXml.render(plan.spec());
        validate(xml);
        OvmfFirmware.Paths fw = plan.spec().uefi().orElseThrow();
        assertThat(fw.code()).exists();
        assertThat(fw.varsTemplate()).exists();
        assertThat(fw.secureBoot()).isFalse();
        assertThat(xml)
                .contains("machine=\"q35\"")
                .contains("model=\"pcie-root\"")
                .contains("<loader readonly=\"yes\" secure=\"no\" type=\"pflash\">" + fw.code())
                .contains("<nvram template=\"" + fw.varsTemplate() + "\"")
                .doesNotContain("<smm");
    }

    @Test
    void secureBootGuestGetsEnrolledSecureFirmwareAndSmm() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/usr/share/OVMF")), "ovmf is not installed");
        LibvirtDefiner.Plan plan =
                definer()
                        .plan(
                                manifest(
                                        "sb-01",
                                        ManifestVm.of(2, 4, Firmware.UEFI).withSecureboot(true),
                                        1),
                                images(1),
                                JobId.generate(),
                                settings().build());
        String xml = DomainXml.render(plan.spec());
        validate(xml);
        assertThat(plan.spec().uefi().orElseThrow().secureBoot()).isTrue();
        assertThat(xml).contains("secure=\"yes\"").contains("<smm state=\"on\"/>");
    }

    @Test
    void uefiGuestWithoutFirmwareOnTheHostIsAClearError() throws Exception {
        LibvirtDefiner noFirmware =
                LibvirtDefiner.builder()
                        .connector(Connect::new)
                        .firmware(OvmfFirmware.fromDescriptors(List.of(tmp)))
                        .build();
        assertThatThrownBy(
                        () ->
                                noFirmware.plan(
                                        manifest("uefi-02", ManifestVm.of(2, 4, Firmware.UEFI), 0),
                                        images(1),
                                        JobId.generate(),
                                        settings().build()))
                .isInstanceOf(LibvirtDefinitionException.class)
                .hasMessageContaining("no UEFI firmware (OVMF) found")
                .hasMessageContaining(tmp + "/*.json")
                .hasMessageContaining("Debian/Ubuntu: ovmf");
    }

    @Test
    void everyDiskAndEveryNicIsInTheDomain() throws Exception {
        LibvirtDefiner.Plan plan =
                definer()
                        .plan(
                                manifest("multi", ManifestVm.of(2, 2, Firmware.BIOS), 3),
                                images(4),
                                JobId.generate(),
                                settings().bridge("br0").build());
        String xml = DomainXml.render(plan.spec());
        validate(xml);
        Document doc = parse(xml);
        assertThat(doc.getElementsByTagName("disk").getLength()).isEqualTo(4);
        assertThat(doc.getElementsByTagName("interface").getLength()).isEqualTo(3);
        assertThat(xml)
                .contains("dev=\"vda\"")
                .contains("dev=\"vdd\"")
                .contains("<source bridge=\"br0\"/>")
                .contains("00:50:56:aa:bb:02")
                .contains("<boot order=\"1\"/>");
        assertThat(DomainXml.driveLetters(25)).isEqualTo("z");
        assertThat(DomainXml.driveLetters(26)).isEqualTo("aa");
    }

    @Test
    void hostileNamesArePlainTextInValidXml() throws Exception {
        String evil = "evil'\"<vm>&</name><devices/>\n\u0001 ; rm -rf / \u00e9\u6f22";
        Path weird = Files.writeString(tmp.resolve("disk with 'quotes' & <angles>.qcow2"), "x");
        ArtifactManifest m =
                ArtifactManifest.builder()
                        .source(ManifestSource.of("vsphere").withVmName(evil))
                        .vm(ManifestVm.of(1, 1, Firmware.BIOS))
                        .addDisk(
                                DiskArtifact.builder()
                                        .id("disk-0")
                                        .sourceFormat(DiskFormat.VMDK)
                                        .bytes(1)
                                        .localPath(Path.of("/x.vmdk"))
                                        .bootOrderHint(0)
                                        .build())
                        .addNic(NicArtifact.of("zz:<mac>", "net"))
                        .build();
        LibvirtDefiner.Plan plan =
                definer().plan(m, List.of(weird), JobId.generate(), settings().build());
        String xml = DomainXml.render(plan.spec());
        validate(xml);
        Document doc = parse(xml);
        assertThat(doc.getElementsByTagName("devices").getLength()).isEqualTo(1);
        String name = doc.getElementsByTagName("name").item(0).getTextContent();
        assertThat(name).matches("[A-Za-z0-9._-]+");
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent())
                .isEqualTo("evil'\"<vm>&</name><devices/> ? ; rm -rf / \u00e9\u6f22");
        assertThat(xml).contains("disk with 'quotes' &amp; &lt;angles&gt;.qcow2");
        assertThat(xml).doesNotContain("zz:<mac>");
        assertThat(plan.notices()).anyMatch(n -> n.contains("is not a usable unicast MAC"));
    }

    @Test
    void unknownMemoryUsesTheDocumentedDefaultAndSaysSo() throws Exception {
        LibvirtDefiner.Plan plan =
                definer()
                        .plan(
                                manifest("small", ManifestVm.of(0, 0, Firmware.BIOS), 0),
                                images(1),
                                JobId.generate(),
                                settings().build());
        assertThat(plan.spec().memoryMib())
                .isEqualTo(LibvirtDefiner.DEFAULT_MEMORY_MIB)
                .isEqualTo(2048);
        assertThat(plan.spec().vcpus()).isEqualTo(2);
        assertThat(plan.notices()).anyMatch(n -> n.contains("mem_gb 0") && n.contains("2048 MiB"));
        validate(DomainXml.render(plan.spec()));
    }

    @Test
    void definedDomainIsFoundThroughLibvirtAndMarkedAutostart() throws Exception {
        LibvirtDefiner.Defined d =
                definer()
                        .define(
                                manifest("defined-01", ManifestVm.of(2, 2, Firmware.BIOS), 2),
                                images(2),
                                JobId.generate(),
                                settings().autostart(true).build());
        Domain dom = keepAlive.domainLookupByName("defined-01");
        assertThat(dom.getName()).isEqualTo(d.name()).isEqualTo("defined-01");
        assertThat(dom.getAutostart()).isTrue();
        String live = dom.getXMLDesc(0);
        assertThat(live)
                .contains("vm-disk-0.qcow2")
                .contains("vm-disk-1.qcow2")
                .contains("00:50:56:aa:bb:01");
        dom.undefine();
    }

    @Test
    void anExistingDomainIsNeverReplacedUnlessRedefineIsSet() throws Exception {
        ArtifactManifest m = manifest("twice", ManifestVm.of(2, 2, Firmware.BIOS), 0);
        definer().define(m, images(1), JobId.generate(), settings().build());
        assertThatThrownBy(
                        () ->
                                definer()
                                        .define(
                                                manifest(
                                                        "twice",
                                                        ManifestVm.of(8, 2, Firmware.BIOS),
                                                        0),
                                                images(1),
                                                JobId.generate(),
                                                settings().build()))
                .isInstanceOf(LibvirtDefinitionException.class)
                .hasMessageContaining("libvirt domain twice already exists on test:///default")
                .hasMessageContaining("redefine");
        assertThat(keepAlive.domainLookupByName("twice").getXMLDesc(0)).contains(">2</vcpu>");
        LibvirtDefiner.Defined again =
                definer()
                        .define(
                                manifest("twice", ManifestVm.of(8, 2, Firmware.BIOS), 0),
                                images(1),
                                JobId.generate(),
                                settings().redefine(true).build());
        assertThat(again.notices()).anyMatch(n -> n.contains("existed and was redefined"));
        assertThat(keepAlive.domainLookupByName("twice").getXMLDesc(0)).contains(">8</vcpu>");
        keepAlive.domainLookupByName("twice").undefine();
    }

    /**
     * A connection that remembers what {@code virConnectClose} returned: the number of references
     * still held on it, i.e. domain and pool handles the definer did not free.
     */
    private static final class CountingConnect extends Connect {
        private final List<Integer> remaining;

        CountingConnect(String uri, List<Integer> remaining) throws org.libvirt.LibvirtException {
            super(uri);
            this.remaining = remaining;
        }

        @Override
        public int close() throws org.libvirt.LibvirtException {
            int left = super.close();
            remaining.add(left);
            return left;
        }
    }

    @Test
    void everyDomainAndPoolHandleIsFreedAndTheConnectionFullyClosed() throws Exception {
        List<Integer> remaining = new ArrayList<>();
        LibvirtDefiner counting =
                LibvirtDefiner.builder()
                        .connector(uri -> new CountingConnect(uri, remaining))
                        .build();
        org.libvirt.StoragePool pool = keepAlive.storagePoolLookupByName("default-pool");
        if (!List.of(pool.listVolumes()).contains("vm-disk-0.qcow2")) {
            pool.storageVolCreateXML(
                    "<volume><name>vm-disk-0.qcow2</name><capacity>1048576</capacity></volume>", 0);
        }
        try {
            defineRedefineAndRefuse(counting);
        } finally {
            pool.storageVolLookupByName("vm-disk-0.qcow2").delete(0);
        }
        assertThat(remaining)
                .as("references left on each connection when the definer closed it")
                .containsExactly(0, 0, 0, 0);
        keepAlive.domainLookupByName("handles").undefine();
    }

    private void defineRedefineAndRefuse(LibvirtDefiner counting) throws Exception {
        List<Path> imgs = images(1);
        // defined fresh (lookup misses, define, autostart), then redefined (lookup hits), then
        // refused (lookup hits, throws), each with the pool checked
        counting.define(
                manifest("handles", ManifestVm.of(1, 1, Firmware.BIOS), 0),
                imgs,
                JobId.generate(),
                settings().pool("default-pool").autostart(true).build());
        counting.define(
                manifest("handles", ManifestVm.of(2, 1, Firmware.BIOS), 0),
                imgs,
                JobId.generate(),
                settings().pool("default-pool").redefine(true).build());
        assertThatThrownBy(
                        () ->
                                counting.define(
                                        manifest("handles", ManifestVm.of(2, 1, Firmware.BIOS), 0),
                                        imgs,
                                        JobId.generate(),
                                        settings().pool("default-pool").build()))
                .isInstanceOf(LibvirtDefinitionException.class);
        assertThatThrownBy(
                        () ->
                                counting.define(
                                        manifest(
                                                "handles-2", ManifestVm.of(1, 1, Firmware.BIOS), 0),
                                        List.of(tmp.resolve("not-a-volume.qcow2")),
                                        JobId.generate(),
                                        settings().pool("default-pool").build()))
                .isInstanceOf(LibvirtDefinitionException.class);
    }

    @Test
    void poolSettingRefersToPoolVolumesAndAMissingVolumeIsNamed() throws Exception {
        List<Path> imgs = images(1);
        assertThatThrownBy(
                        () ->
                                definer()
                                        .define(
                                                manifest(
                                                        "pooled",
                                                        ManifestVm.of(1, 1, Firmware.BIOS),
                                                        0),
                                                imgs,
                                                JobId.generate(),
                                                settings().pool("default-pool").build()))
                .isInstanceOf(LibvirtDefinitionException.class)
                .hasMessageContaining("is not a volume of storage pool default-pool");
        keepAlive
                .storagePoolLookupByName("default-pool")
                .storageVolCreateXML(
                        "<volume><name>vm-disk-0.qcow2</name><capacity>1048576</capacity></volume>",
                        0);
        LibvirtDefiner.Defined d =
                definer()
                        .define(
                                manifest("pooled", ManifestVm.of(1, 1, Firmware.BIOS), 0),
                                imgs,
                                JobId.generate(),
                                settings().pool("default-pool").build());
        assertThat(d.xml())
                .contains("<disk type=\"volume\" device=\"disk\">")
                .contains("<source pool=\"default-pool\" volume=\"vm-disk-0.qcow2\"/>");
        validate(d.xml());
        keepAlive.domainLookupByName("pooled").undefine();
        assertThatThrownBy(
                        () ->
                                definer()
                                        .define(
                                                manifest(
                                                        "nopool",
                                                        ManifestVm.of(1, 1, Firmware.BIOS),
                                                        0),
                                                imgs,
                                                JobId.generate(),
                                                settings().pool("no-such-pool").build()))
                .isInstanceOf(LibvirtDefinitionException.class)
                .hasMessageContaining("storage pool no-such-pool does not exist");
    }
}
