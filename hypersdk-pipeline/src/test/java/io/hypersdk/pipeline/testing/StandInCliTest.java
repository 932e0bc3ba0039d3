package io.hypersdk.pipeline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the stand-in's one-shot CLI to hyper2kvm's documented behaviour (other modules rely on it).
 */
class StandInCliTest {
    @TempDir Path tmp;

    record Run(int exit, String stdout, String stderr) {}

    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(StandIn.executable().toString());
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        Path out = tmp.resolve("stdout-" + System.nanoTime());
        Path err = tmp.resolve("stderr-" + System.nanoTime());
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void oneShotConvertsToTheGivenNameAndPrintsNothingOnStdout() throws Exception {
        Path in = Disks.create(tmp.resolve("in.vmdk"), "vmdk", 1, 0x2a);
        Run r =
                run(
                        Map.of(),
                        "--cmd",
                        "local",
                        "--vmdk",
                        in.toString(),
                        "--output-dir",
                        tmp.resolve("out").toString(),
                        "--to-output",
                        "vm.qcow2",
                        "--out-format",
                        "qcow2",
                        "--flatten",
                        "--workdir",
                        tmp.resolve("work").toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("Conversion complete").contains("Generated images:");
        assertThat(tmp.resolve("out")).isDirectoryContaining(p -> p.endsWith("vm.qcow2"));
        assertThat(tmp.resolve("out/vm.qcow2.part")).doesNotExist();
        assertThat(Disks.identical(in, "vmdk", tmp.resolve("out/vm.qcow2"), "qcow2")).isTrue();
        // like the real tool, --flatten leaves its work file in the work dir
        try (var s = Files.list(tmp.resolve("work"))) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .singleElement()
                    .satisfies(n -> assertThat(n).startsWith("working-flattened-"));
        }
    }

    @Test
    void usageErrorsExitTwoAndValidationErrorsExitOne() throws Exception {
        Run positional = run(Map.of(), tmp.resolve("artifact-manifest.json").toString());
        assertThat(positional.exit()).isEqualTo(2);
        assertThat(positional.stderr())
                .contains(
                        "error: unrecognized arguments: " + tmp.resolve("artifact-manifest.json"));
        assertThat(run(Map.of(), "--cmd", "local", "--frobnicate").exit()).isEqualTo(2);
        assertThat(run(Map.of(), "--cmd", "daemon").exit()).isEqualTo(2);
        assertThat(run(Map.of(), "--cmd", "local", "--vmdk", "/x", "--out-format", "vmdk").exit())
                .isEqualTo(2);
        Run missing =
                run(
                        Map.of(),
                        "--cmd",
                        "local",
                        "--vmdk",
                        tmp.resolve("nope.vmdk").toString(),
                        "--output-dir",
                        tmp.toString(),
                        "--to-output",
                        "x.qcow2");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.stderr()).contains("Disk not found: " + tmp.resolve("nope.vmdk"));
        assertThat(run(Map.of()).stderr()).contains("Missing required YAML key: cmd");
        assertThat(run(Map.of(), "--version").stdout()).startsWith("hyper2kvm ");
    }

    @Test
    void configFilesAreReadLikeTheRealTool() throws Exception {
        Path a =
                Files.writeString(
                        tmp.resolve("a.conf"),
                        "# comment\ncmd: daemon\nout_format: raw\n"
                                + "fix:\n  nested: ignored\nunknown_key: 1\n");
        Path b =
                Files.writeString(tmp.resolve("b.yaml"), "to_output: from-b.qcow2\nflatten: yes\n");
        Run r =
                run(
                        Map.of(),
                        "--config",
                        a.toString(),
                        "--config",
                        b.toString(),
                        "--watch-dir",
                        "/q",
                        "--out-format",
                        "qcow2",
                        "--dump-config");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout())
                .contains("\"cmd\": \"daemon\"")
                .contains("\"to_output\": \"from-b.qcow2\"")
                .contains("\"flatten\": true")
                .contains("\"out_format\": \"qcow2\"")
                .contains("\"watch_dir\": \"/q\"");
        Path list = Files.writeString(tmp.resolve("list.yaml"), "- a\n- b\n");
        Run bad = run(Map.of(), "--config", list.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.stderr()).contains("Config must be a mapping/dict");
    }
}
