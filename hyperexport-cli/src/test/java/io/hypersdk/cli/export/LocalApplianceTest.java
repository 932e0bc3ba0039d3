package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.Cancellation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample appliance through the real local provider: the README's command, direct mode, OVA. */
class LocalApplianceTest {
    @TempDir Path tmp;

    @Test
    void theReadmeCommandConvertsTheSampleAndDefinesItsDomain() throws Exception {
        Cli.Result r =
                Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        Cli.SAMPLE.toString(),
                        "--output",
                        tmp.resolve("out").toString(),
                        "--pipeline",
                        "--converter",
                        "qemu-img",
                        "--libvirt",
                        "--libvirt-uri",
                        "test:///default");
        r.succeeds();
        assertThat(r.out())
                .contains(
                        "exported sample-appliance (" + Cli.SAMPLE + ")",
                        "conversion: qemu-img mode",
                        "libvirt domain: sample-appliance (test:///default)");
        Path image = tmp.resolve("out/sample-appliance-disk-0.qcow2");
        Process check =
                new ProcessBuilder("qemu-img", "check", "-f", "qcow2", image.toString())
                        .redirectErrorStream(true)
                        .start();
        assertThat(new String(check.getInputStream().readAllBytes()))
                .contains("No errors were found");
        assertThat(check.waitFor()).isZero();
    }

    @Test
    void directModeRunsHyper2kvmOnTheSample() throws Exception {
        Path log = tmp.resolve("argv.log");
        Path h2k =
                Cli.standin(
                        Files.createDirectories(tmp.resolve("bin")),
                        Map.of("STANDIN_ARGS_LOG", log.toString()));
        Cli.Result r =
                Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        Cli.SAMPLE.toString(),
                        "--output",
                        tmp.resolve("out").toString(),
                        "--pipeline",
                        "--hyper2kvm-path",
                        h2k.toString(),
                        "--json");
        r.succeeds();
        JsonNode p = r.json().at("/results/0/pipeline");
        assertThat(p.get("mode").asText()).isEqualTo("direct");
        assertThat(p.get("mode_reason").asText()).contains("daemon mode off");
        assertThat(Path.of(p.at("/outputs/0").asText())).isRegularFile();
        assertThat(Cli.loggedArgv(log).get(0))
                .contains("--flatten")
                .containsSequence("--out-format", "qcow2");
    }

    @Test
    void withHyper2kvmOnPathTheSameCommandWithoutConverterUsesIt() throws Exception {
        Path log = tmp.resolve("argv.log");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Cli.standin(bin, Map.of("STANDIN_ARGS_LOG", log.toString()));
        Cli.Result r =
                Cli.run(
                        Map.of("PATH", bin + ":/usr/sbin:/usr/bin:/sbin:/bin"),
                        Cancellation.create(),
                        "--provider",
                        "local",
                        "--vm",
                        Cli.SAMPLE.toString(),
                        "--output",
                        tmp.resolve("out").toString(),
                        "--pipeline",
                        "--libvirt",
                        "--libvirt-uri",
                        Cli.libvirtNode(tmp));
        r.succeeds();
        assertThat(r.out()).contains("conversion: direct mode", "libvirt domain: sample-appliance");
        assertThat(Cli.loggedArgv(log)).hasSize(1);
    }

    @Test
    void formatOvaWritesOneArchive() {
        Cli.Result r =
                Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        Cli.SAMPLE.toString(),
                        "--output",
                        tmp.resolve("out").toString(),
                        "--format",
                        "ova",
                        "--json");
        r.succeeds();
        assertThat(r.json().at("/results/0/exported_files").toString())
                .contains("sample-appliance.ova\"");
        assertThat(tmp.resolve("out/sample-appliance.ova")).isRegularFile();
        Cli.Result ovf =
                Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        Cli.SAMPLE.toString(),
                        "--output",
                        tmp.resolve("ovf").toString(),
                        "--json");
        assertThat(ovf.json().at("/results/0/exported_files").toString()).doesNotContain(".ova\"");
    }

    @Test
    void onATerminalProgressIsDrawnAsBarsWithRateAndEta() {
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
                            Cli.SAMPLE.toString(),
                            "--output",
                            tmp.resolve("out").toString(),
                            "--pipeline",
                            "--converter",
                            "qemu-img"
                        },
                        io,
                        Cancellation.create());
        assertThat(code).isZero();
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e)
                .contains(
                        "\u25b8 sample-appliance: export",
                        "\u25b8 sample-appliance: convert",
                        "overall",
                        "[########################] 100%",
                        "ETA");
        assertThat(e).contains("\033[");
    }
}
