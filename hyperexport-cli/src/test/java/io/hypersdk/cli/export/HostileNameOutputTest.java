package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.text.TerminalText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names from an OVF reach the operator's terminal escaped (issue 14, defect 3): XML 1.1 lets a
 * descriptor carry ESC ({@code &#x1b;}) and line feeds ({@code &#10;}) in the VM name and in an
 * href. The real command runs on a generated OVF package through the real local provider.
 */
class HostileNameOutputTest {
    /** ESC[31m recolours, ESC]0;...BEL retitles the terminal, the line feed forges a line. */
    private static final String HOSTILE_NAME_XML =
            "web&#x1b;[31mRED&#x1b;]0;PWNED&#x7;&#10;hyperexport: forged line";

    private static final String HOSTILE_NAME_ESCAPED =
            "web\\u001b[31mRED\\u001b]0;PWNED\\u0007\\nhyperexport: forged line";

    @TempDir Path tmp;

    @Test
    void aVmNameWithEscapeSequencesAndANewlineIsPrintedEscapedAndNamesNoFile() throws IOException {
        Path ovf = ovfPackage(HOSTILE_NAME_XML, "boot.img", "boot.img");

        Cli.Result text =
                Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        ovf.toString(),
                        "--output",
                        tmp.resolve("text").toString(),
                        "--format",
                        "ova");
        text.succeeds();
        assertPrintable(text.out(), "stdout");
        assertPrintable(text.err(), "stderr");
        assertThat(text.out()).contains("exported " + HOSTILE_NAME_ESCAPED);
        assertThat(text.err()).contains(HOSTILE_NAME_ESCAPED + ": export");
        assertThat(text.out().lines().toList()).noneMatch(l -> l.startsWith("hyperexport: forged"));
        assertThat(text.err().lines().toList()).noneMatch(l -> l.startsWith("hyperexport: forged"));
        assertNoControlInFileNames(tmp.resolve("text"));

        Cli.Result quiet =
                Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        ovf.toString(),
                        "--output",
                        tmp.resolve("quiet").toString(),
                        "--quiet");
        quiet.succeeds();
        assertPrintable(quiet.out(), "stdout (--quiet)");
        assertPrintable(quiet.err(), "stderr (--quiet)");
        assertNoControlInFileNames(tmp.resolve("quiet"));
    }

    @Test
    void onATerminalTheProgressBarsAreTheOnlyEscapeSequences() throws IOException {
        Path ovf = ovfPackage(HOSTILE_NAME_XML, "boot.img", "boot.img");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io =
                new Io(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(new byte[0]),
                        System.getenv(),
                        true);

        int code =
                HyperExport.run(
                        new String[] {
                            "--provider",
                            "local",
                            "--vm",
                            ovf.toString(),
                            "--output",
                            tmp.resolve("out").toString()
                        },
                        io,
                        Cancellation.create());

        assertThat(code).isZero();
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e).contains("\u25b8 " + HOSTILE_NAME_ESCAPED + ": export");
        // what TerminalProgress itself draws: cursor up N lines, erase below
        assertPrintable(e.replaceAll("\u001b\\[[0-9]+F\u001b\\[J", ""), "stderr on a terminal");
        assertPrintable(out.toString(StandardCharsets.UTF_8), "stdout");
    }

    @Test
    void jsonOutputCarriesTheNameAsJsonEscapes() throws IOException {
        Path ovf = ovfPackage(HOSTILE_NAME_XML, "boot.img", "boot.img");
        Cli.Result r =
                Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        ovf.toString(),
                        "--output",
                        tmp.resolve("out").toString(),
                        "--json");
        r.succeeds();
        assertPrintable(r.out(), "stdout (--json)");
        assertPrintable(r.err(), "stderr (--json)");
        assertThat(r.json().at("/results/0/status").asText()).isEqualTo("success");
    }

    @Test
    void aDiskFileWhoseNameHoldsANewlineIsRefusedAndNothingIsWritten() throws IOException {
        String forged = "boot\nhyperexport: forged.img";
        Path ovf = ovfPackage("plain-vm", "boot&#10;hyperexport: forged.img", forged);
        Path out = tmp.resolve("out");

        Cli.Result r =
                Cli.run("--provider", "local", "--vm", ovf.toString(), "--output", out.toString());

        r.failsWith(
                ExitCodes.EXPORT_FAILED,
                "file name 'boot\\nhyperexport: forged.img' holds a control character",
                "rename the file");
        assertPrintable(r.out(), "stdout");
        assertPrintable(r.err(), "stderr");
        assertThat(Cli.filesUnder(out)).isEmpty();
    }

    /** No control character but the line feeds that end lines. */
    private static void assertPrintable(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && TerminalText.isControl(c)) {
                int from = Math.max(0, i - 40);
                throw new AssertionError(
                        what
                                + " holds control character U+"
                                + String.format("%04X", (int) c)
                                + " at "
                                + i
                                + ", after: "
                                + TerminalText.escape(text.substring(from, i)));
            }
        }
    }

    private static void assertNoControlInFileNames(Path dir) throws IOException {
        List<Path> files;
        try (var s = Files.walk(dir)) {
            files = s.toList();
        }
        assertThat(files).hasSizeGreaterThan(1);
        assertThat(files)
                .allSatisfy(
                        p ->
                                assertThat(TerminalText.hasControl(p.getFileName().toString()))
                                        .as("file name %s", TerminalText.escape(p.toString()))
                                        .isFalse());
    }

    /** An OVF 1.x package in XML 1.1: one raw 1 MiB disk, the name and href given as XML text. */
    private Path ovfPackage(String nameXml, String hrefXml, String diskFileName)
            throws IOException {
        Path pkg = Files.createDirectories(tmp.resolve("pkg"));
        Files.write(pkg.resolve(diskFileName), new byte[1 << 20]);
        String ovf =
                "<?xml version=\"1.1\" encoding=\"UTF-8\"?>\n"
                        + "<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\" xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/1\""
                        + " xmlns:rasd=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData\">\n"
                        + "<References><File ovf:href=\""
                        + hrefXml
                        + "\" ovf:id=\"file0\"/></References>\n"
                        + "<DiskSection><Info>disks</Info><Disk ovf:capacity=\"1\" ovf:capacityAllocationUnits=\"byte * 2^20\""
                        + " ovf:diskId=\"vmdisk0\" ovf:fileRef=\"file0\" ovf:format=\"\"/></DiskSection>\n"
                        + "<VirtualSystem ovf:id=\"vm\"><Info>A VM</Info><Name>"
                        + nameXml
                        + "</Name>\n"
                        + "<VirtualHardwareSection><Info>hw</Info>\n"
                        + "<Item><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType>"
                        + "<rasd:VirtualQuantity>1</rasd:VirtualQuantity></Item>\n"
                        + "<Item><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType>"
                        + "<rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:VirtualQuantity>512</rasd:VirtualQuantity></Item>\n"
                        + "<Item><rasd:InstanceID>3</rasd:InstanceID><rasd:ResourceType>6</rasd:ResourceType>"
                        + "<rasd:Address>0</rasd:Address><rasd:ResourceSubType>lsilogic</rasd:ResourceSubType></Item>\n"
                        + "<Item><rasd:InstanceID>10</rasd:InstanceID><rasd:ResourceType>17</rasd:ResourceType>"
                        + "<rasd:AddressOnParent>0</rasd:AddressOnParent><rasd:ElementName>Hard disk 1</rasd:ElementName>"
                        + "<rasd:HostResource>ovf:/disk/vmdisk0</rasd:HostResource><rasd:Parent>3</rasd:Parent></Item>\n"
                        + "</VirtualHardwareSection></VirtualSystem></Envelope>\n";
        return Files.writeString(pkg.resolve("vm.ovf"), ovf);
    }
}
