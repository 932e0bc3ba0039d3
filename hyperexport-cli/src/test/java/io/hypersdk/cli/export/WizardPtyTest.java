package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wizard driven through a real pseudo-terminal: hyperexport runs in a private tmux server, keys
 * go in with send-keys, the screen comes back with capture-pane. The run's --json result (stdout
 * redirected to a file; the wizard draws on the terminal) shows that the answers reached the export
 * and the pipeline settings.
 */
class WizardPtyTest {
    @TempDir Path tmp;
    private String socket;

    @BeforeEach
    void needTmux() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/tmux")),
                "tmux is not installed (scripts/install-test-deps.sh installs it)");
        socket = "hyperexport-test-" + UUID.randomUUID();
    }

    @AfterEach
    void stopTmux() throws Exception {
        Process p =
                new ProcessBuilder("tmux", "-L", socket, "display-message", "-p", "#{pid}").start();
        String pid = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() == 0 && pid.matches("\\d+")) {
            new ProcessBuilder("kill", pid).start().waitFor();
        }
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-J", "-S", "-300", "-t", "wiz");
    }

    /** Waits until the screen shows {@code text} at least {@code times} times. */
    private String await(String text, int times) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String s = "";
        while (System.nanoTime() < end) {
            s = screen();
            if (count(s, text) >= times) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "the screen never showed '" + text + "' " + times + " time(s):\n" + s);
    }

    private static int count(String s, String text) {
        int n = 0;
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    private void type(String line) throws Exception {
        tmux("send-keys", "-t", "wiz", "-l", line);
        tmux("send-keys", "-t", "wiz", "Enter");
    }

    private Path start(String... args) throws IOException, InterruptedException {
        Path result = tmp.resolve("result.json");
        Path rc = tmp.resolve("rc");
        String cmd =
                Cli.javaCommand(args).stream()
                        .map(a -> "'" + a.replace("'", "'\\''") + "'")
                        .collect(Collectors.joining(" "));
        Path script = tmp.resolve("run.sh");
        // the shell only waits: a trapped (not ignored) SIGINT leaves Ctrl-C to hyperexport and
        // lets the exit code be written
        Files.writeString(
                script,
                "#!/bin/sh\ntrap 'true' INT\ncd '"
                        + tmp
                        + "'\n"
                        + cmd
                        + " > '"
                        + result
                        + "'\necho $? > '"
                        + rc
                        + "'\nsleep 300\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        tmux("new-session", "-d", "-s", "wiz", "-x", "220", "-y", "60", script.toString());
        return rc;
    }

    private static int awaitExit(Path rc) throws Exception {
        for (int i = 0; i < 600 && (!Files.exists(rc) || Files.readString(rc).isBlank()); i++) {
            Thread.sleep(100);
        }
        return Integer.parseInt(Files.readString(rc).strip());
    }

    @Test
    void answersDriveTheExportAndThePipelineAndBadPollIntervalsAreRefused() throws Exception {
        Path h2k = Cli.standin(Files.createDirectories(tmp.resolve("bin")), java.util.Map.of());
        Path exports = tmp.resolve("exports");
        Path rc =
                start(
                        "--provider",
                        "recording",
                        "--interactive",
                        "--hyper2kvm-path",
                        h2k.toString(),
                        "--json");

        // step 1: filter, pick, go on, come back, go on again
        await("vms> ", 1);
        type("web");
        await("(filter: \"web\"", 1);
        String s =
                await(
                        "Enter continues",
                        2); // the filtered list is complete once its help line is drawn
        String filtered = s.substring(s.lastIndexOf("Step 1 of 3"));
        assertThat(filtered).contains("beta-web", "gamma-web").doesNotContain("alpha", "delta-db");
        type("1");
        await("1 selected", 1);
        type("");
        await("template (1-4)", 1);
        type("<");
        await("Step 1 of 3", 3);
        type("");

        // step 2: export configuration, parallel validated 1-8
        await("template (1-4)", 2);
        type("1");
        await("output directory", 1);
        type(exports.toString());
        await("parallel downloads (1-8)", 1);
        type("9");
        await("parallel downloads must be between 1 and 8", 1);
        type("3");

        // step 3: the daemon phase, poll interval 0 and 61 refused with the range shown
        await("convert the export for KVM", 1);
        type("y");
        await("use the hyper2kvm daemon?", 1);
        type("y");
        await("configure it?", 1);
        type("y");
        await("instance (empty", 1);
        type("wiz-test");
        await("watch directory [/var/lib/hyper2kvm/wiz-test/queue]", 1);
        type(tmp.resolve("q").toString());
        await("output directory [/var/lib/hyper2kvm/wiz-test/output]", 1);
        type(tmp.resolve("o").toString());
        await("poll interval (1-60 seconds)", 1);
        type("0");
        await("poll interval must be between 1 and 60 seconds (got 0)", 1);
        type("61");
        await("poll interval must be between 1 and 60 seconds (got 61)", 1);
        type("7");
        await("daemon timeout (1-240 minutes)", 1);
        type("241");
        await("daemon timeout must be between 1 and 240 minutes (got 241)", 1);
        type("3");

        // summary with the daemon settings, then confirm
        s = await("start the export?", 1);
        assertThat(s)
                .contains(
                        "VMs:              1 (beta-web)",
                        "template:         Quick Export",
                        "output directory: " + exports,
                        "parallel:         3",
                        "daemon:           yes, hyper2kvm@wiz-test.service; watch "
                                + tmp.resolve("q")
                                + "; output "
                                + tmp.resolve("o")
                                + "; poll 7 s; timeout 3 min");
        type("y");
        int code = awaitExit(rc);
        String finalScreen = screen();
        assertThat(code).as(finalScreen).isZero();

        JsonNode r =
                new ObjectMapper().readTree(tmp.resolve("result.json").toFile()).at("/results/0");
        assertThat(r.get("vm").asText()).isEqualTo("beta-web");
        assertThat(r.get("output_directory").asText())
                .isEqualTo(exports.resolve("beta-web").toString());
        JsonNode h = r.at("/pipeline/settings/hyper2kvm");
        assertThat(h.get("daemon").asBoolean()).isTrue();
        assertThat(h.get("instance").asText()).isEqualTo("wiz-test");
        assertThat(h.get("watch_dir").asText()).isEqualTo(tmp.resolve("q").toString());
        assertThat(h.get("output_dir").asText()).isEqualTo(tmp.resolve("o").toString());
        assertThat(h.get("poll_interval_seconds").asInt()).isEqualTo(7);
        assertThat(h.get("daemon_timeout_minutes").asInt()).isEqualTo(3);
        // no systemd unit wiz-test is running here: the pipeline fell back and said so
        assertThat(r.at("/pipeline/mode").asText()).isEqualTo("direct");
        assertThat(r.at("/pipeline/mode_reason").asText()).contains("hyper2kvm@wiz-test.service");
        assertThat(Path.of(r.at("/pipeline/outputs/0").asText())).isRegularFile();
        // the Quick Export template: OVF, no checksums
        JsonNode manifest =
                new ObjectMapper()
                        .readTree(exports.resolve("beta-web/artifact-manifest.json").toFile());
        assertThat(manifest.at("/disks/0").has("checksum")).isFalse();
        assertThat(RecordingProvider.VMS).contains("beta-web");
    }

    @Test
    void cancellingInTheSummaryExportsNothing() throws Exception {
        Path exports = tmp.resolve("exports");
        Path rc =
                start(
                        "--provider",
                        "recording",
                        "--interactive",
                        "--vm",
                        "alpha",
                        "--output",
                        exports.toString());
        await("1 selected", 1);
        type("");
        await("template (1-4)", 1);
        type("");
        await("output directory", 1);
        type("");
        await("parallel downloads", 1);
        type("");
        await("convert the export for KVM", 1);
        type("n");
        String s = await("start the export?", 1);
        assertThat(s).contains("conversion:       none (export only)", "daemon:           no");
        type("c");
        assertThat(awaitExit(rc)).isEqualTo(130);
        assertThat(exports).doesNotExist();
    }

    @Test
    void ctrlCInTheWizardCancelsWithExit130() throws Exception {
        Path exports = tmp.resolve("exports");
        Path rc = start("--provider", "recording", "--interactive", "--output", exports.toString());
        await("vms> ", 1);
        type("1");
        await("1 selected", 1);
        tmux("send-keys", "-t", "wiz", "C-c");
        assertThat(awaitExit(rc)).isEqualTo(130);
        assertThat(screen()).contains("cancelled in the wizard; nothing was exported");
        assertThat(exports).doesNotExist();
    }
}
