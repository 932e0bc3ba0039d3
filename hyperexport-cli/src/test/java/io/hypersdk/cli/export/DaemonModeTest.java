package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.Cancellation;
import io.hypersdk.systemd.testing.SystemdFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end in daemon mode: a real systemd (the shared fixture) runs the stand-in hyper2kvm daemon
 * as {@code hyper2kvm@<instance>.service}; hyperexport finds systemctl on its PATH (the fixture's
 * wrapper), submits to the unit's spool and reads the result back. Also: the fallback to direct
 * mode with the reason, --require-daemon, the queue layout flag, and Ctrl-C withdrawing an
 * unclaimed submission.
 */
class DaemonModeTest {
    private static SystemdFixture fixture;
    private static Path base;
    private static Map<String, String> env;

    private static String unit(String description, String execArgs, String environment) {
        return "[Unit]\nDescription="
                + description
                + "\n[Service]\nType=simple\n"
                + environment
                + "ExecStart="
                + Cli.STANDIN
                + " --cmd daemon "
                + execArgs
                + " --scan-interval 0.2\n";
    }

    @BeforeAll
    static void startSystemd() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/python3")),
                "the stand-in daemon's workflow and flat layouts need /usr/bin/python3");
        base = Files.createTempDirectory(Path.of("/tmp"), "hyperexport-daemon-");
        for (String d : List.of("wq", "wo", "xq", "xo", "fq", "fo", "hq", "ho")) {
            Files.createDirectories(base.resolve(d));
        }
        fixture =
                SystemdFixture.start(
                        Map.of(
                                "hyper2kvm@cli-wf.service",
                                        unit(
                                                "workflow daemon",
                                                "--layout workflow --watch-dir "
                                                        + base.resolve("wq")
                                                        + " --output-dir "
                                                        + base.resolve("wo"),
                                                "Environment=WATCH_DIR="
                                                        + base.resolve("wq")
                                                        + " OUTPUT_DIR="
                                                        + base.resolve("wo")
                                                        + " QUEUE_LAYOUT=workflow\n"),
                                "hyper2kvm@cli-explicit.service",
                                        unit(
                                                "daemon whose Environment points elsewhere",
                                                "--layout workflow --watch-dir "
                                                        + base.resolve("xq")
                                                        + " --output-dir "
                                                        + base.resolve("xo"),
                                                ""),
                                "hyper2kvm@cli-flat.service",
                                        unit(
                                                "flat daemon",
                                                "--layout flat --watch-dir "
                                                        + base.resolve("fq")
                                                        + " --output-dir "
                                                        + base.resolve("fo"),
                                                "Environment=WATCH_DIR="
                                                        + base.resolve("fq")
                                                        + " OUTPUT_DIR="
                                                        + base.resolve("fo")
                                                        + "\n"),
                                "hyper2kvm@cli-hang.service",
                                        unit(
                                                "daemon that never picks anything up",
                                                "--layout workflow --watch-dir "
                                                        + base.resolve("hq")
                                                        + " --output-dir "
                                                        + base.resolve("ho"),
                                                "Environment=WATCH_DIR="
                                                        + base.resolve("hq")
                                                        + " OUTPUT_DIR="
                                                        + base.resolve("ho")
                                                        + " QUEUE_LAYOUT=workflow STANDIN_HANG=1\n"),
                                "hyper2kvm@cli-off.service",
                                        unit(
                                                "installed but stopped",
                                                "--watch-dir /nonexistent",
                                                "")));
        for (String i : List.of("cli-wf", "cli-explicit", "cli-flat", "cli-hang")) {
            fixture.systemctlOk("start", "hyper2kvm@" + i + ".service");
        }
        fixture.awaitProperty(
                "hyper2kvm@cli-hang.service", "ActiveState", "active", Duration.ofSeconds(10));
        env =
                Map.of(
                        "PATH",
                        fixture.systemctlWrapper().getParent() + ":/usr/sbin:/usr/bin:/sbin:/bin");
        // the workflow daemon creates its sub-directories at start
        for (int i = 0; i < 50 && !Files.isDirectory(base.resolve("hq/to_be_processed")); i++) {
            sleep(100);
        }
    }

    @AfterAll
    static void stopSystemd() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
        if (base != null) {
            try (var s = Files.walk(base)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @TempDir Path tmp;

    private Cli.Result run(String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "--provider",
                                "recording",
                                "--vm",
                                "alpha",
                                "--output",
                                tmp.resolve("out").toString(),
                                "--pipeline",
                                "--json"));
        all.addAll(List.of(args));
        return Cli.run(env, Cancellation.create(), all.toArray(String[]::new));
    }

    @Test
    void anActiveInstanceConvertsInDaemonModeWithItsOwnDirectories() {
        Cli.Result r = run("--hyper2kvm-daemon", "--hyper2kvm-instance", "cli-wf");
        r.succeeds();
        JsonNode p = r.json().at("/results/0/pipeline");
        assertThat(p.get("mode").asText()).isEqualTo("daemon");
        assertThat(p.get("mode_reason").asText()).contains("hyper2kvm@cli-wf.service");
        Path image = Path.of(p.at("/outputs/0").asText());
        assertThat(image).isRegularFile().startsWith(base.resolve("wo"));
    }

    @Test
    void explicitWatchAndOutputDirectoriesOverrideTheUnit() {
        Cli.Result r =
                run(
                        "--hyper2kvm-daemon",
                        "--hyper2kvm-instance",
                        "cli-explicit",
                        "--hyper2kvm-queue-layout",
                        "workflow",
                        "--hyper2kvm-watch-dir",
                        base.resolve("xq").toString(),
                        "--hyper2kvm-output-dir",
                        base.resolve("xo").toString(),
                        "--hyper2kvm-poll-only",
                        "--hyper2kvm-poll-interval",
                        "1");
        r.succeeds();
        JsonNode p = r.json().at("/results/0/pipeline");
        assertThat(p.get("mode").asText()).isEqualTo("daemon");
        assertThat(Path.of(p.at("/outputs/0").asText()))
                .isRegularFile()
                .startsWith(base.resolve("xo"));
        assertThat(p.at("/settings/hyper2kvm/poll_interval_seconds").asInt()).isEqualTo(1);
        assertThat(p.at("/settings/hyper2kvm/poll_only").asBoolean()).isTrue();
    }

    @Test
    void queueLayoutFlagSpeaksTheDaemonsLayout() {
        Cli.Result r =
                run(
                        "--hyper2kvm-daemon",
                        "--hyper2kvm-instance",
                        "cli-flat",
                        "--hyper2kvm-queue-layout",
                        "flat");
        r.succeeds();
        JsonNode p = r.json().at("/results/0/pipeline");
        assertThat(p.get("mode").asText()).isEqualTo("daemon");
        assertThat(Path.of(p.at("/outputs/0").asText()))
                .isRegularFile()
                .startsWith(base.resolve("fo"));
    }

    @Test
    void anInactiveUnitFallsBackToDirectModeAndSaysWhy() throws IOException {
        Path h2k = Cli.standin(Files.createDirectories(tmp.resolve("bin")), Map.of());
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--provider",
                                "recording",
                                "--vm",
                                "alpha",
                                "--output",
                                tmp.resolve("out").toString(),
                                "--pipeline",
                                "--hyper2kvm-daemon",
                                "--hyper2kvm-instance",
                                "cli-off",
                                "--hyper2kvm-path",
                                h2k.toString()));
        Cli.Result r = Cli.run(env, Cancellation.create(), args.toArray(String[]::new));
        r.succeeds();
        assertThat(r.out())
                .contains("conversion: direct mode (")
                .contains("hyper2kvm@cli-off.service")
                .contains("fell back");
        assertThat(r.err()).contains("warning: ").contains("hyper2kvm@cli-off.service");
        assertThat(tmp.resolve("out/alpha-disk-0.qcow2")).isRegularFile();
    }

    @Test
    void requireDaemonRefusesTheFallbackBeforeTheExport() {
        Cli.Result r =
                run("--hyper2kvm-daemon", "--hyper2kvm-instance", "cli-off", "--require-daemon");
        r.failsWith(4, "hyper2kvm@cli-off.service", "systemctl start", "--require-daemon");
        assertThat(tmp.resolve("out")).as("nothing was exported").doesNotExist();
    }

    @Test
    void aWatchDirThatIsARegularFileIsRefusedBeforeTheExport() throws IOException {
        Path file = Files.writeString(tmp.resolve("queue-file"), "x");
        Cli.Result r =
                run(
                        "--hyper2kvm-daemon",
                        "--hyper2kvm-instance",
                        "cli-wf",
                        "--hyper2kvm-watch-dir",
                        file.toString());
        r.failsWith(
                4,
                "watch directory " + file,
                "is a regular file, not a directory",
                "--hyper2kvm-watch-dir");
        assertThat(r.err()).doesNotContain("does not exist");
        assertThat(tmp.resolve("out")).as("nothing was exported").doesNotExist();
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void aMissingWatchDirIsRefusedBeforeTheExport() {
        Path missing = tmp.resolve("no-queue");
        Cli.Result r =
                run(
                        "--hyper2kvm-daemon",
                        "--hyper2kvm-instance",
                        "cli-wf",
                        "--hyper2kvm-watch-dir",
                        missing.toString());
        r.failsWith(4, "watch directory " + missing + " does not exist", "--hyper2kvm-watch-dir");
        assertThat(tmp.resolve("out")).as("nothing was exported").doesNotExist();
        assertThat(missing).doesNotExist();
    }

    @Test
    void ctrlCWithdrawsTheUnclaimedSubmissionAndKeepsTheExport() throws Exception {
        Path out = tmp.resolve("out");
        List<String> cmd =
                Cli.javaCommand(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        out.toString(),
                        "--pipeline",
                        "--hyper2kvm-daemon",
                        "--hyper2kvm-instance",
                        "cli-hang");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = tmp.resolve("log.txt");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        Path queue = base.resolve("hq/to_be_processed");
        try {
            boolean submitted = false;
            for (int i = 0; i < 300 && !submitted; i++) {
                try (var s = Files.list(queue)) {
                    submitted = s.anyMatch(f -> !f.getFileName().toString().startsWith("."));
                }
                if (!submitted) {
                    sleep(100);
                }
            }
            assertThat(submitted)
                    .as("a job was submitted to %s; output: %s", queue, Files.readString(log))
                    .isTrue();
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            assertThat(p.waitFor(30, TimeUnit.SECONDS))
                    .as("hyperexport ended after SIGINT")
                    .isTrue();
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(log);
        assertThat(p.exitValue()).as(text).isEqualTo(130);
        assertThat(text).contains("interrupted: cancelling");
        try (var s = Files.list(queue)) {
            assertThat(s.toList()).as("the submission was withdrawn").isEmpty();
        }
        assertThat(out.resolve("alpha-disk0.raw")).as("the export is kept").isRegularFile();
    }

    @Test
    void daemonTimeoutIsExitFiveNotCutShortByThePipelineTimeoutAndWithdrawsTheSubmission()
            throws IOException {
        long t0 = System.nanoTime();
        Cli.Result r =
                run(
                        "--hyper2kvm-daemon",
                        "--hyper2kvm-instance",
                        "cli-hang",
                        "--hyper2kvm-daemon-timeout",
                        "1",
                        "--pipeline-timeout",
                        "5s");
        double seconds = (System.nanoTime() - t0) / 1e9;
        r.failsWith(5, "timed out", "withdrawn", "raise --hyper2kvm-daemon-timeout");
        assertThat(seconds)
                .as("waited the daemon timeout (1 min), not --pipeline-timeout (5 s)")
                .isBetween(59.0, 120.0);
        assertThat(r.json().at("/results/0/status").asText()).isEqualTo("timeout");
        try (var s = Files.list(base.resolve("hq/to_be_processed"))) {
            assertThat(s.toList()).as("the submission was withdrawn").isEmpty();
        }
    }
}
