package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypersdk.core.Cancellation;
import io.hypersdk.provider.spi.ExportFormat;
import io.hypersdk.provider.spi.ExportRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * One test per flag, each asserting what the flag DOES: files written or not, what the provider was
 * asked for, what the converter was run with, what libvirt defined. Exports use the {@link
 * RecordingProvider} (a real provider found through ServiceLoader, writing a real raw disk);
 * conversions use real qemu-img and the stand-in hyper2kvm.
 */
class FlagEffectsTest {
    @TempDir Path tmp;

    private Path out() {
        return tmp.resolve("out");
    }

    private List<String> base(String... more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--provider",
                                "recording",
                                "--vm",
                                "alpha",
                                "--output",
                                out().toString()));
        a.addAll(List.of(more));
        return a;
    }

    private Cli.Result run(List<String> args) {
        return Cli.run(args.toArray(String[]::new));
    }

    private ExportRequest lastRequestFor(Path dir) {
        List<ExportRequest> mine =
                RecordingProvider.REQUESTS.stream()
                        .filter(
                                r ->
                                        r.outputDirectory()
                                                .toAbsolutePath()
                                                .startsWith(dir.toAbsolutePath()))
                        .toList();
        assertThat(mine).as("requests the provider received for %s", dir).isNotEmpty();
        return mine.get(mine.size() - 1);
    }

    private static JsonNode manifest(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve("artifact-manifest.json").toFile());
    }

    private static String qemuImgFormat(Path image) throws Exception {
        Process p =
                new ProcessBuilder("qemu-img", "info", "--output=json", image.toString()).start();
        JsonNode info = new ObjectMapper().readTree(p.getInputStream());
        assertThat(p.waitFor()).isZero();
        return info.get("format").asText();
    }

    private Path standin(Map<String, String> env) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        return Cli.standin(bin, env);
    }

    // ---- source -----------------------------------------------------------------------------

    @Test
    void providerPicksTheExporterFoundThroughServiceLoader() {
        run(base()).succeeds();
        assertThat(lastRequestFor(out()).vm()).isEqualTo("alpha");
        assertThat(out().resolve("alpha-disk0.raw")).isRegularFile();
    }

    @Test
    void vmNamesTheVmThatIsExported() {
        Cli.run("--provider", "recording", "--vm", "beta-web", "--output", out().toString())
                .succeeds();
        assertThat(out().resolve("beta-web-disk0.raw")).isRegularFile();
        assertThat(out().resolve("alpha-disk0.raw")).doesNotExist();
    }

    @Test
    void aVmTheProviderDoesNotKnowIsAnExportFailure() {
        Cli.run("--provider", "recording", "--vm", "omega", "--output", out().toString())
                .failsWith(3, "no VM named 'omega'");
        assertThat(out()).doesNotExist();
    }

    @Test
    void providerOptionReachesTheProviderConfiguration() {
        run(base("--provider-option", "region=eu-1", "--provider-option", "insecure=true"))
                .succeeds();
        var config = RecordingProvider.CONFIGS.get(RecordingProvider.CONFIGS.size() - 1);
        assertThat(config.settings())
                .containsEntry("region", "eu-1")
                .containsEntry("insecure", "true");
    }

    // ---- export -----------------------------------------------------------------------------

    @Test
    void outputDefaultsToExportDashVmInTheWorkingDirectory() throws Exception {
        Cli.Result r = Cli.process(tmp, Map.of(), "--provider", "recording", "--vm", "gamma-web");
        r.succeeds();
        assertThat(tmp.resolve("export-gamma-web/gamma-web-disk0.raw")).isRegularFile();
    }

    @Test
    void formatAndParallelAreWhatTheProviderIsAskedFor() {
        run(base("--format", "ova", "--parallel", "2")).succeeds();
        ExportRequest r = lastRequestFor(out());
        assertThat(r.format()).isEqualTo(ExportFormat.OVA);
        assertThat(r.parallel()).isEqualTo(2);
        Path other = tmp.resolve("other");
        Cli.run("--provider", "recording", "--vm", "alpha", "--output", other.toString())
                .succeeds();
        assertThat(lastRequestFor(other).format()).isEqualTo(ExportFormat.OVF);
        assertThat(lastRequestFor(other).parallel()).isEqualTo(4);
    }

    @Test
    void dryRunLooksTheVmUpAndWritesNothing() {
        int before = RecordingProvider.REQUESTS.size();
        Cli.Result r =
                run(
                        base(
                                "--dry-run",
                                "--pipeline",
                                "--converter",
                                "qemu-img",
                                "--libvirt",
                                "--libvirt-uri",
                                "test:///default"));
        r.succeeds();
        assertThat(r.out())
                .contains(
                        "dry run: alpha",
                        "would export to " + out(),
                        "would convert with qemu-img",
                        "would define a libvirt domain on test:///default",
                        "nothing was written");
        assertThat(out()).doesNotExist();
        assertThat(RecordingProvider.REQUESTS).hasSize(before);
    }

    // ---- manifest ---------------------------------------------------------------------------

    @Test
    void manifestIsKeptOnlyWhenAskedFor() {
        run(base()).succeeds();
        assertThat(out().resolve("artifact-manifest.json")).doesNotExist();
        Path with = tmp.resolve("with");
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        with.toString(),
                        "--manifest")
                .succeeds();
        assertThat(with.resolve("artifact-manifest.json")).isRegularFile();
    }

    @Test
    void manifestChecksumIsOnByDefaultAndCanBeTurnedOff() throws IOException {
        run(base("--manifest")).succeeds();
        assertThat(manifest(out()).at("/disks/0/checksum").asText()).matches("sha256:[0-9a-f]{64}");
        assertThat(lastRequestFor(out()).checksums()).isTrue();
        Path off = tmp.resolve("off");
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        off.toString(),
                        "--manifest",
                        "--no-manifest-checksum")
                .succeeds();
        assertThat(manifest(off).at("/disks/0").has("checksum")).isFalse();
        assertThat(lastRequestFor(off).checksums()).isFalse();
    }

    @Test
    void verifyManifestFailsTheExportOnAChecksumMismatch() {
        run(base("--provider-option", "corrupt=true")).succeeds();
        Path verified = tmp.resolve("verified");
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        verified.toString(),
                        "--provider-option",
                        "corrupt=true",
                        "--verify-manifest")
                .failsWith(3, "alpha", "checksum");
        Path good = tmp.resolve("good");
        Cli.Result ok =
                Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        good.toString(),
                        "--verify-manifest");
        ok.succeeds();
        assertThat(ok.out()).contains("(verified)");
        assertThat(good.resolve("artifact-manifest.json")).isRegularFile();
    }

    @Test
    void manifestTargetChoosesTheImageFormat() throws Exception {
        Cli.Result r =
                run(
                        base(
                                "--pipeline",
                                "--converter",
                                "qemu-img",
                                "--manifest-target",
                                "raw",
                                "--json"));
        r.succeeds();
        Path image = Path.of(r.json().at("/results/0/pipeline/outputs/0").asText());
        assertThat(image.getFileName().toString()).endsWith(".raw");
        assertThat(qemuImgFormat(image)).isEqualTo("raw");
        assertThat(manifest(out()).at("/output/format").asText()).isEqualTo("raw");
    }

    // ---- pipeline ---------------------------------------------------------------------------

    @Test
    void pipelineConvertsAndWithoutItNothingIsConverted() throws Exception {
        run(base()).succeeds();
        assertThat(Cli.filesUnder(out())).noneMatch(p -> p.toString().endsWith(".qcow2"));
        Path conv = tmp.resolve("conv");
        Cli.Result r =
                Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        conv.toString(),
                        "--pipeline",
                        "--converter",
                        "qemu-img",
                        "--json");
        r.succeeds();
        JsonNode p = r.json().at("/results/0/pipeline");
        assertThat(p.get("mode").asText()).isEqualTo("qemu-img");
        Path image = Path.of(p.at("/outputs/0").asText());
        assertThat(qemuImgFormat(image)).isEqualTo("qcow2");
        assertThat(manifest(conv).at("/pipeline/convert/enabled").asBoolean()).isTrue();
    }

    @Test
    void converterHyper2kvmRunsHyper2kvmAndQemuImgDoesNot() throws Exception {
        Path log = tmp.resolve("argv.log");
        Path h2k = standin(Map.of("STANDIN_ARGS_LOG", log.toString()));
        Cli.Result r = run(base("--pipeline", "--hyper2kvm-path", h2k.toString(), "--json"));
        r.succeeds();
        assertThat(r.json().at("/results/0/pipeline/mode").asText()).isEqualTo("direct");
        assertThat(Cli.loggedArgv(log)).hasSize(1);
        assertThat(Cli.loggedArgv(log).get(0))
                .containsSequence("--cmd", "local")
                .contains("--flatten");
        Path q = tmp.resolve("q");
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        q.toString(),
                        "--pipeline",
                        "--converter",
                        "qemu-img",
                        "--hyper2kvm-path",
                        h2k.toString())
                .failsWith(2, "--hyper2kvm-path does nothing with --converter qemu-img");
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        q.toString(),
                        "--pipeline",
                        "--converter",
                        "qemu-img")
                .succeeds();
        assertThat(Cli.loggedArgv(log)).hasSize(1);
    }

    @Test
    void withoutHyper2kvmTheMessageSaysWhatToInstall() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        org.junit.jupiter.api.Assumptions.assumeFalse(
                Files.exists(Path.of("/usr/bin/hyper2kvm")), "hyper2kvm is installed here");
        Cli.Result r =
                Cli.run(env, Cancellation.create(), base("--pipeline").toArray(String[]::new));
        r.failsWith(4, "install hyper2kvm", "--converter qemu-img");
        assertThat(out()).as("checked before the export: nothing downloaded").doesNotExist();
    }

    @Test
    void hyper2kvmPathIsTheExecutableThatRuns() throws Exception {
        Path log = tmp.resolve("argv.log");
        Path h2k = standin(Map.of("STANDIN_ARGS_LOG", log.toString()));
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin");
        Cli.run(
                        env,
                        Cancellation.create(),
                        base("--pipeline", "--hyper2kvm-path", h2k.toString())
                                .toArray(String[]::new))
                .succeeds();
        assertThat(Cli.loggedArgv(log)).hasSize(1);
    }

    @Test
    @Timeout(
            value = 120,
            unit = TimeUnit.SECONDS) // the converter hangs forever: only the 2 s timeout ends it
    void pipelineTimeoutStopsAHungConverter() throws Exception {
        Path h2k = standin(Map.of("STANDIN_HANG", "1"));
        Cli.Result r =
                run(
                        base(
                                "--pipeline",
                                "--hyper2kvm-path",
                                h2k.toString(),
                                "--pipeline-timeout",
                                "2s"));
        r.failsWith(5, "timed out", "raise --pipeline-timeout");
        assertThat(r.err()).doesNotContain("submission was withdrawn");
    }

    @Test
    void pipelineDryRunConvertsNothing() throws Exception {
        Path log = tmp.resolve("argv.log");
        Path h2k = standin(Map.of("STANDIN_ARGS_LOG", log.toString()));
        run(base("--pipeline", "--hyper2kvm-path", h2k.toString(), "--pipeline-dry-run"))
                .succeeds();
        assertThat(Cli.loggedArgv(log).get(0)).contains("--dry-run");
        assertThat(Cli.filesUnder(out())).noneMatch(p -> p.toString().endsWith(".qcow2"));
        assertThat(manifest(out()).at("/options/dry_run").asBoolean()).isTrue();
    }

    @Test
    void stageFlagsAreWrittenToTheManifestAndTurnOffTheRepair() throws Exception {
        Path log = tmp.resolve("argv.log");
        Path h2k = standin(Map.of("STANDIN_ARGS_LOG", log.toString()));
        run(base(
                        "--pipeline",
                        "--hyper2kvm-path",
                        h2k.toString(),
                        "--no-pipeline-fix",
                        "--no-pipeline-inspect",
                        "--no-pipeline-validate"))
                .succeeds();
        JsonNode m = manifest(out());
        assertThat(m.at("/pipeline/fix/enabled").asBoolean()).isFalse();
        assertThat(m.at("/pipeline/inspect/enabled").asBoolean()).isFalse();
        assertThat(m.at("/pipeline/validate/enabled").asBoolean()).isFalse();
        assertThat(m.at("/pipeline/convert/enabled").asBoolean()).isTrue();
        assertThat(Cli.loggedArgv(log).get(0))
                .contains("--no-grub", "--no-regen-initramfs")
                .containsSequence("--fstab-mode", "noop");
        Path on = tmp.resolve("on");
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        on.toString(),
                        "--pipeline",
                        "--hyper2kvm-path",
                        h2k.toString())
                .succeeds();
        assertThat(manifest(on).at("/pipeline/fix/enabled").asBoolean()).isTrue();
        assertThat(Cli.loggedArgv(log).get(1)).doesNotContain("--no-grub");
    }

    @Test
    void pipelineCompressAndLevelReachTheConverter() throws Exception {
        Path log = tmp.resolve("argv.log");
        Path h2k = standin(Map.of("STANDIN_ARGS_LOG", log.toString()));
        run(base(
                        "--pipeline",
                        "--hyper2kvm-path",
                        h2k.toString(),
                        "--pipeline-compress",
                        "--compress-level",
                        "9"))
                .succeeds();
        assertThat(Cli.loggedArgv(log).get(0))
                .contains("--compress")
                .containsSequence("--compress-level", "9");
        assertThat(manifest(out()).at("/pipeline/convert/compress").asBoolean()).isTrue();
        Path plain = tmp.resolve("plain");
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        plain.toString(),
                        "--pipeline",
                        "--hyper2kvm-path",
                        h2k.toString())
                .succeeds();
        assertThat(Cli.loggedArgv(log).get(1)).doesNotContain("--compress");
    }

    // ---- libvirt ----------------------------------------------------------------------------

    /** Keeps the libvirt test driver's connection open so the defined domain can be inspected. */
    private static final class KeptOpen extends Connect {
        KeptOpen(String uri) throws LibvirtException {
            super(uri);
        }

        @Override
        public int close() {
            return 0;
        }

        int reallyClose() throws LibvirtException {
            return super.close();
        }
    }

    private Cli.Result runKeepingLibvirt(List<KeptOpen> conns, List<String> args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        Io io =
                new Io(
                        new PrintStream(o, true, StandardCharsets.UTF_8),
                        new PrintStream(e, true, StandardCharsets.UTF_8),
                        System.in,
                        System.getenv(),
                        false,
                        b ->
                                b.libvirtConnector(
                                        uri -> {
                                            KeptOpen c = new KeptOpen(uri);
                                            conns.add(c);
                                            return c;
                                        }));
        int code = HyperExport.run(args.toArray(String[]::new), io, Cancellation.create());
        return new Cli.Result(
                code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void libvirtDefinesTheDomainOnTheUriWithBridgeAndAutostart() throws Exception {
        List<KeptOpen> conns = new ArrayList<>();
        Cli.Result r =
                runKeepingLibvirt(
                        conns,
                        List.of(
                                "--provider",
                                "recording",
                                "--vm",
                                "delta-db",
                                "--output",
                                out().toString(),
                                "--pipeline",
                                "--converter",
                                "qemu-img",
                                "--libvirt",
                                "--libvirt-uri",
                                Cli.libvirtNode(tmp),
                                "--libvirt-bridge",
                                "br-lab",
                                "--libvirt-autostart",
                                "--json"));
        try {
            r.succeeds();
            assertThat(r.json().at("/results/0/pipeline/domain").asText()).isEqualTo("delta-db");
            assertThat(conns).isNotEmpty();
            Domain d = conns.get(conns.size() - 1).domainLookupByName("delta-db");
            String xml = d.getXMLDesc(0);
            assertThat(xml)
                    .contains("<source bridge='br-lab'/>")
                    .contains(out().resolve("delta-db-disk-0.qcow2").toString());
            assertThat(d.getAutostart()).isTrue();
        } finally {
            for (KeptOpen c : conns) {
                c.reallyClose();
            }
        }
    }

    @Test
    void withoutLibvirtNoDomainIsDefined() {
        List<KeptOpen> conns = new ArrayList<>();
        Cli.Result r =
                runKeepingLibvirt(conns, base("--pipeline", "--converter", "qemu-img", "--json"));
        r.succeeds();
        assertThat(r.json().at("/results/0/pipeline/domain").isNull()).isTrue();
        assertThat(conns).isEmpty();
    }

    @Test
    void libvirtUriIsTheConnectionUsed() {
        Path missing = tmp.resolve("no-such-node.xml");
        run(base(
                        "--pipeline",
                        "--converter",
                        "qemu-img",
                        "--libvirt",
                        "--libvirt-uri",
                        "test://" + missing))
                .failsWith(4, "test://" + missing);
        assertThat(out())
                .as("libvirt is checked before the export: nothing downloaded")
                .doesNotExist();
    }

    @Test
    void libvirtPoolMustHoldTheImages() throws IOException {
        run(base(
                        "--pipeline",
                        "--converter",
                        "qemu-img",
                        "--libvirt",
                        "--libvirt-uri",
                        Cli.libvirtNode(tmp),
                        "--libvirt-pool",
                        "nope"))
                .failsWith(4, "storage pool nope does not exist");
    }

    @Test
    void anExistingDomainIsNotReplacedWithoutLibvirtRedefine() {
        // the test driver starts with a domain named "test"
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "test",
                        "--output",
                        out().toString(),
                        "--pipeline",
                        "--converter",
                        "qemu-img",
                        "--libvirt",
                        "--libvirt-uri",
                        "test:///default")
                .failsWith(4, "already exists", "--libvirt-redefine");
        assertThat(out().resolve("test-disk-0.qcow2"))
                .as("the converted image is kept")
                .isRegularFile();
    }

    @Test
    void libvirtRedefineReplacesAnExistingDomain() {
        Cli.Result r =
                Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "test",
                        "--output",
                        out().toString(),
                        "--pipeline",
                        "--converter",
                        "qemu-img",
                        "--libvirt",
                        "--libvirt-uri",
                        "test:///default",
                        "--libvirt-redefine",
                        "--json");
        r.succeeds();
        assertThat(r.json().at("/results/0/pipeline/domain").asText()).isEqualTo("test");
    }

    // ---- batch, output ------------------------------------------------------------------------

    @Test
    void batchExportsEachVmIntoItsOwnDirectoryAndSummarises() throws IOException {
        Path list =
                Files.writeString(
                        tmp.resolve("vms.txt"), "# lab VMs\nalpha\n\nbeta-web   # web\nomega\n");
        Cli.Result r =
                Cli.run(
                        "--provider",
                        "recording",
                        "--batch",
                        list.toString(),
                        "--output",
                        out().toString(),
                        "--quiet");
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.out())
                .contains(
                        "success: alpha exported to " + out().resolve("alpha"),
                        "success: beta-web exported to " + out().resolve("beta-web"),
                        "batch-summary: total=3 success=2 failed=1");
        assertThat(r.err()).contains("hyperexport: omega: no VM named 'omega'");
        assertThat(out().resolve("alpha/alpha-disk0.raw")).isRegularFile();
        assertThat(out().resolve("beta-web/beta-web-disk0.raw")).isRegularFile();
        Path ok = Files.writeString(tmp.resolve("ok.txt"), "alpha\nbeta-web\n");
        Cli.Result good =
                Cli.run(
                        "--provider",
                        "recording",
                        "--batch",
                        ok.toString(),
                        "--output",
                        tmp.resolve("ok").toString());
        good.succeeds();
        assertThat(good.out()).contains("batch: 2 VMs, 2 succeeded, 0 failed");
    }

    @Test
    void quietPrintsResultLinesAndNoProgress() {
        Cli.Result r = run(base("--quiet", "--pipeline", "--converter", "qemu-img"));
        r.succeeds();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines())
                .containsExactly(
                        "success: alpha exported to " + out() + " (1.0 MiB)",
                        "converted: alpha mode=qemu-img " + out().resolve("alpha-disk-0.qcow2"));
        Cli.Result loud =
                Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        tmp.resolve("loud").toString());
        assertThat(loud.err()).contains("alpha: export");
    }

    @Test
    void jsonIsOneDocumentWithTheResult() throws Exception {
        Cli.Result r =
                run(
                        base(
                                "--pipeline",
                                "--converter",
                                "qemu-img",
                                "--libvirt",
                                "--libvirt-uri",
                                Cli.libvirtNode(tmp),
                                "--json"));
        r.succeeds();
        JsonNode j = r.json();
        assertThat(j.get("status").asText()).isEqualTo("success");
        JsonNode v = j.at("/results/0");
        assertThat(v.get("vm").asText()).isEqualTo("alpha");
        assertThat(v.get("manifest").asText())
                .isEqualTo(out().resolve("artifact-manifest.json").toString());
        assertThat(v.get("exported_files").get(0).asText())
                .isEqualTo(out().resolve("alpha-disk0.raw").toString());
        assertThat(v.at("/pipeline/mode").asText()).isEqualTo("qemu-img");
        assertThat(v.at("/pipeline/mode_reason").asText()).contains("qemu-img");
        assertThat(v.at("/pipeline/outputs/0").asText()).endsWith("alpha-disk-0.qcow2");
        assertThat(v.at("/pipeline/domain").asText()).isEqualTo("alpha");
        assertThat(j.at("/summary/succeeded").asInt()).isEqualTo(1);
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Cli.Result r = Cli.run("--version");
        r.succeeds();
        assertThat(r.out()).startsWith("hyperexport ").doesNotContain("unknown").contains("0.1.0");
    }

    @Test
    void helpDocumentsTheExitCodes() {
        Cli.Result r = Cli.run("--help");
        r.succeeds();
        assertThat(r.out())
                .contains(
                        "Exit codes:",
                        "2     usage error",
                        "3     export failed",
                        "4     conversion",
                        "5     timeout",
                        "130   cancelled");
    }

    // ---- options file -------------------------------------------------------------------------

    @Test
    void optionsFileSuppliesFlagsAndTheCommandLineWins() throws Exception {
        Path yaml =
                Files.writeString(
                        tmp.resolve("opts.yaml"),
                        "provider: recording\npipeline: true\nconverter: qemu-img\nmanifest_target: raw\nmanifest-checksum: false\n"
                                + "provider-option: {region: eu-2, insecure: true}\n");
        Cli.Result r =
                Cli.run(
                        "--options-file",
                        yaml.toString(),
                        "--vm",
                        "alpha",
                        "--output",
                        out().toString(),
                        "--manifest-target",
                        "qcow2",
                        "--json");
        r.succeeds();
        JsonNode p = r.json().at("/results/0/pipeline");
        assertThat(p.get("mode").asText()).isEqualTo("qemu-img");
        assertThat(qemuImgFormat(Path.of(p.at("/outputs/0").asText()))).isEqualTo("qcow2");
        assertThat(lastRequestFor(out()).checksums()).isFalse();
        assertThat(RecordingProvider.CONFIGS.get(RecordingProvider.CONFIGS.size() - 1).settings())
                .containsEntry("region", "eu-2")
                .containsEntry("insecure", "true");
    }

    // ---- cancellation -------------------------------------------------------------------------

    @Test
    void cancellingDuringConversionExits130AndKeepsTheExport() throws Exception {
        Path started = tmp.resolve("converter-started.log");
        Path h2k = standin(Map.of("STANDIN_HANG", "1", "STANDIN_ARGS_LOG", started.toString()));
        Cancellation c = Cancellation.create();
        // the converter logs its argv when it starts (and then hangs): cancel once it has
        Cli.Result r =
                runCancelledWhen(
                        c,
                        () -> Files.exists(started),
                        base("--pipeline", "--hyper2kvm-path", h2k.toString()));
        r.failsWith(130, "cancelled");
        assertThat(out().resolve("alpha-disk0.raw")).isRegularFile();
    }

    /**
     * Runs the command in the background and cancels it when {@code event} holds (or fails after 60
     * s).
     */
    private static Cli.Result runCancelledWhen(
            Cancellation c, Callable<Boolean> event, List<String> args) throws Exception {
        CompletableFuture<Cli.Result> running =
                CompletableFuture.supplyAsync(
                        () -> Cli.run(Map.of(), c, args.toArray(String[]::new)));
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(event);
        } finally {
            c.cancel();
        }
        return running.get(120, TimeUnit.SECONDS);
    }

    @Test
    void cancellingDuringTheExportExits130AndKeepsThePartialFile() throws Exception {
        Cancellation c = Cancellation.create();
        Path part = out().resolve("alpha-disk0.raw.part");
        // the slow provider writes the disk in small steps: cancel once the partial file exists
        Cli.Result r =
                runCancelledWhen(
                        c,
                        () -> Files.exists(part),
                        base(
                                "--provider-option",
                                "slow=true",
                                "--pipeline",
                                "--converter",
                                "qemu-img"));
        r.failsWith(130, "alpha");
        assertThat(out().resolve("alpha-disk0.raw.part")).as("kept for resume").isRegularFile();
        assertThat(Cli.filesUnder(out())).noneMatch(p -> p.toString().endsWith(".qcow2"));
    }
}
