package io.hypersdk.pipeline.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

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
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** Whatever the names, MACs and paths, the domain XML is well-formed and says exactly them. */
class DomainXmlPropertyTest {

    @Test
    void anyVmNameMacAndPathGiveWellFormedXmlThatCarriesThemAsText() {
        LibvirtDefiner definer = LibvirtDefiner.builder().build();
        JobId job = JobId.generate();
        qt().withExamples(300)
                .forAll(
                        strings().allPossible().ofLengthBetween(0, 60),
                        strings().allPossible().ofLengthBetween(0, 20),
                        strings().basicLatinAlphabet().ofLengthBetween(1, 40))
                .checkAssert(
                        (name, mac, file) -> {
                            ArtifactManifest m =
                                    ArtifactManifest.builder()
                                            .source(ManifestSource.of("p").withVmName(name))
                                            .vm(ManifestVm.of(1, 1, Firmware.BIOS))
                                            .addDisk(
                                                    DiskArtifact.builder()
                                                            .id("disk-0")
                                                            .sourceFormat(DiskFormat.VMDK)
                                                            .bytes(1)
                                                            .localPath(Path.of("/d.vmdk"))
                                                            .bootOrderHint(0)
                                                            .build())
                                            .addNic(NicArtifact.of(mac, "n"))
                                            .build();
                            Path image =
                                    Path.of("/images")
                                            .resolve(
                                                    file.replace('/', '_').replace('\0', '_')
                                                            + ".qcow2");
                            LibvirtDefiner.Plan plan =
                                    definer.plan(
                                            m,
                                            List.of(image),
                                            job,
                                            LibvirtSettings.builder().build());
                            Document doc = parse(DomainXml.render(plan.spec()));
                            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("domain");
                            assertThat(doc.getElementsByTagName("devices").getLength())
                                    .isEqualTo(1);
                            assertThat(doc.getElementsByTagName("name").item(0).getTextContent())
                                    .matches("[A-Za-z0-9._-]+");
                            String title = DomainXml.oneLine(name);
                            if (!title.isEmpty()) {
                                assertThat(
                                                doc.getElementsByTagName("title")
                                                        .item(0)
                                                        .getTextContent())
                                        .isEqualTo(title);
                            }
                            assertThat(
                                            ((org.w3c.dom.Element)
                                                            doc.getElementsByTagName("source")
                                                                    .item(0))
                                                    .getAttribute("file"))
                                    .isEqualTo(DomainXml.xmlSafe(image.toString()));
                        });
    }

    private static Document parse(String xml) {
        try {
            return DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed: " + e.getMessage() + "\n" + xml, e);
        }
    }
}
