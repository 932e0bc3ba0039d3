package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypersdk.cli.ctl.ExitCodes;
import io.hypersdk.systemd.SystemdClient;
import io.hypersdk.systemd.testing.SystemdFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hyperctl against a real systemd (the shared fixture) running hyper2kvm instances in every state
 * an operator meets: active, failed, restarting, waiting to restart, enabled but stopped, and one
 * whose unit declares no directories.
 */
class DaemonFixtureTest {

    private static final Set<String> ALL =
            Set.of(
                    "default", "alpha", "flat", "disks", "nodirs", "broken", "flappy", "waiting",
                    "parked");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path root;
    private static SystemdFixture fixture;
    private static Path systemctl;

    @BeforeAll
    static void startDaemonsInEveryState() throws Exception {
        Path units = root.resolve("units");
        Files.createDirectories(units.resolve("fixture.target.wants"));
        Files.writeString(
                units.resolve("hyper2kvm.service"),
                """
                [Unit]
                Description=hyper2kvm default instance (test)
                [Service]
                ExecStart=/bin/sleep infinity
                Environment=WATCH_DIR=%1$s/default/queue OUTPUT_DIR=%1$s/default/output QUEUE_LAYOUT=workflow
                [Install]
                WantedBy=fixture.target
                """
                        .formatted(root));
        Files.writeString(
                units.resolve("hyper2kvm@.service"),
                """
                [Unit]
                Description=hyper2kvm %%i (test)
                [Service]
                ExecStart=/bin/sleep infinity
                Environment=WATCH_DIR=%1$s/%%i/queue
                Environment=OUTPUT_DIR=%1$s/%%i/output
                Environment=QUEUE_LAYOUT=workflow
                [Install]
                WantedBy=fixture.target
                """
                        .formatted(root));
        Files.createSymbolicLink(
                units.resolve("fixture.target.wants/hyper2kvm.service"),
                Path.of("../hyper2kvm.service"));
        for (String enabled : List.of("alpha", "flat", "disks", "nodirs", "parked")) {
            Files.createSymbolicLink(
                    units.resolve("fixture.target.wants/hyper2kvm@" + enabled + ".service"),
                    Path.of("../hyper2kvm@.service"));
        }
        dropIn(units, "flat", "Environment=QUEUE_LAYOUT=flat");
        dropIn(units, "disks", "Environment=QUEUE_LAYOUT=disk-watch");
        dropIn(units, "nodirs", "Environment=");
        dropIn(units, "broken", "ExecStart=\nExecStart=/bin/false");
        Path flappy = root.resolve("flappy.sh"); // fails twice, then runs
        Files.writeString(
                flappy,
                "#!/bin/sh\nn=$(cat '"
                        + root
                        + "/flappy.count' 2>/dev/null || echo 0)\n"
                        + "echo $((n + 1)) > '"
                        + root
                        + "/flappy.count'\n[ \"$n\" -ge 2 ] || exit 1\nexec sleep infinity\n");
        Files.setPosixFilePermissions(flappy, PosixFilePermissions.fromString("rwxr-xr-x"));
        dropIn(
                units,
                "flappy",
                "ExecStart=\nExecStart=" + flappy + "\nRestart=on-failure\nRestartSec=100ms");
        dropIn(units, "waiting", "ExecStart=\nExecStart=/bin/false\nRestart=always\nRestartSec=1h");

        // spools: alpha (workflow) 2 waiting + 1 in progress; flat 1 waiting; disks 2 waiting + 1
        // failed
        aged(root.resolve("alpha/queue/to_be_processed/job-1.json"), Duration.ofSeconds(125));
        aged(root.resolve("alpha/queue/to_be_processed/job-2.yaml"), Duration.ofSeconds(10));
        aged(root.resolve("alpha/queue/to_be_processed/.job-3.json.tmp"), Duration.ofSeconds(999));
        aged(root.resolve("alpha/queue/processing/job-0.json"), Duration.ofSeconds(30));
        aged(root.resolve("flat/queue/job-9.manifest.json"), Duration.ofSeconds(65));
        aged(root.resolve("disks/queue/job-7.vmdk"), Duration.ofSeconds(7));
        aged(root.resolve("disks/queue/job-8.ova"), Duration.ofSeconds(8));
        aged(root.resolve("disks/queue/job-6.vmdk"), Duration.ofSeconds(600));
        aged(root.resolve("disks/queue/.errors/job-6.vmdk.error.json"), Duration.ofSeconds(590));
        Files.createDirectories(root.resolve("default/queue/to_be_processed"));

        fixture = SystemdFixture.start(units);
        systemctl = fixture.systemctlWrapper();
        sh("start", "hyper2kvm@flappy.service");
        sh("start", "--no-block", "hyper2kvm@broken.service", "hyper2kvm@waiting.service");
        sh("stop", "hyper2kvm@parked.service");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // flappy's script also shows as running while its first two runs are about to fail: it is
        // settled once it runs after its two restarts
        while (!(show("hyper2kvm@flappy.service").get("SubState").equals("running")
                && show("hyper2kvm@flappy.service").get("NRestarts").equals("2")
                && show("hyper2kvm@broken.service").get("ActiveState").equals("failed")
                && show("hyper2kvm@waiting.service").get("SubState").equals("auto-restart"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "fixture units did not settle: "
                                + show("hyper2kvm@flappy.service")
                                + " "
                                + show("hyper2kvm@broken.service")
                                + " "
                                + show("hyper2kvm@waiting.service"));
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stopFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void listJsonReportsEveryInstanceAsSystemdSeesIt() throws Exception {
        Instant before = Instant.now();
        Cli r = Cli.run("daemon", "list", "--json", "--systemctl", systemctl.toString());
        Instant after = Instant.now();

        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_ACTIVE);
        JsonNode doc = JSON.readTree(r.out());
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        doc.get("instances").forEach(i -> byName.put(i.get("name").asText(), i));
        assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(ALL);
        assertThat(doc.get("total").asInt()).isEqualTo(ALL.size());

        for (JsonNode i : byName.values()) {
            String unit = i.get("service").asText();
            Map<String, String> truth = show(unit);
            assertThat(i.get("active_state").asText()).as(unit).isEqualTo(truth.get("ActiveState"));
            assertThat(i.get("sub_state").asText()).as(unit).isEqualTo(truth.get("SubState"));
            assertThat(i.get("active").asBoolean())
                    .as(unit)
                    .isEqualTo(truth.get("ActiveState").equals("active"));
            long pid = Long.parseLong(truth.get("MainPID"));
            if (pid == 0) {
                assertThat(i.get("main_pid").isNull()).as(unit + " main_pid").isTrue();
            } else {
                assertThat(i.get("main_pid").asLong()).as(unit + " main_pid").isEqualTo(pid);
            }
            assertThat(i.get("restarts").asLong())
                    .as(unit)
                    .isEqualTo(Long.parseLong(truth.get("NRestarts")));
            if (truth.get("ActiveState").equals("active")) {
                Instant since = usUtc(truth.get("ActiveEnterTimestamp"));
                long up = i.get("uptime_seconds").asLong();
                assertThat(up)
                        .as(unit + " uptime")
                        .isBetween(
                                Duration.between(since, before).getSeconds() - 1,
                                Duration.between(since, after).getSeconds() + 1);
                assertThat(i.get("uptime").asText()).isNotBlank();
            } else {
                assertThat(i.get("uptime_seconds").isNull()).as(unit + " uptime").isTrue();
            }
            Map<String, String> env = environment(truth.get("Environment"));
            if (env.containsKey("WATCH_DIR")) {
                assertThat(i.get("watch_dir").asText()).as(unit).isEqualTo(env.get("WATCH_DIR"));
                assertThat(i.get("output_dir").asText()).as(unit).isEqualTo(env.get("OUTPUT_DIR"));
                assertThat(i.get("queue_layout").asText())
                        .as(unit)
                        .isEqualTo(env.get("QUEUE_LAYOUT"));
                assertThat(i.get("watch_dir_source").asText()).isEqualTo("unit");
            }
        }
        assertThat(byName.get("broken").get("result").asText()).isEqualTo("exit-code");
        assertThat(byName.get("flappy").get("restarts").asLong()).isEqualTo(2);
        assertThat(byName.get("parked").get("unit_file_state").asText()).startsWith("enabled");
        assertThat(byName.get("parked").get("sub_state").asText()).isEqualTo("dead");

        JsonNode nodirs = byName.get("nodirs");
        assertThat(nodirs.get("watch_dir").asText()).isEqualTo("/var/lib/hyper2kvm/nodirs/queue");
        assertThat(nodirs.get("output_dir").asText()).isEqualTo("/var/lib/hyper2kvm/nodirs/output");
        assertThat(nodirs.get("watch_dir_source").asText()).isEqualTo("convention");
        assertThat(nodirs.get("queue_layout_source").asText()).isEqualTo("default");

        JsonNode alpha = byName.get("alpha").get("queue");
        assertThat(alpha.get("waiting").asInt()).isEqualTo(2);
        assertThat(alpha.get("in_progress").asInt()).isEqualTo(1);
        assertThat(alpha.get("oldest_waiting_seconds").asLong()).isBetween(124L, 140L);
        JsonNode flat = byName.get("flat").get("queue");
        assertThat(flat.get("waiting").asInt()).isEqualTo(1);
        assertThat(flat.get("in_progress").isNull()).isTrue();
        JsonNode disks = byName.get("disks").get("queue");
        assertThat(disks.get("waiting").asInt()).isEqualTo(2);
        assertThat(disks.get("oldest_waiting_seconds").asLong()).isBetween(8L, 30L);
        assertThat(byName.get("default").get("queue").get("waiting").asInt()).isZero();
    }

    @Test
    void statusTableShowsTheSameTruthAlignedInColumns() throws Exception {
        Cli r = Cli.run("daemon", "status", "--systemctl", systemctl.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_ACTIVE);
        String[] sections = r.out().split("\n\n");
        List<String> units = sections[0].lines().toList();
        assertThat(units.get(0)).startsWith("INSTANCE").contains("PID").contains("UPTIME");
        int pidColumn = units.get(0).indexOf("PID");
        Map<String, List<String>> rows = rows(units);
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(ALL);
        for (String name : ALL) {
            String unit =
                    name.equals("default") ? "hyper2kvm.service" : "hyper2kvm@" + name + ".service";
            Map<String, String> truth = show(unit);
            List<String> row = rows.get(name);
            assertThat(row.get(1)).isEqualTo(unit);
            assertThat(row.get(2))
                    .isEqualTo(truth.get("ActiveState") + "/" + truth.get("SubState"));
            String pid = truth.get("MainPID").equals("0") ? "-" : truth.get("MainPID");
            assertThat(row.get(3)).as(name + " PID").isEqualTo(pid);
            String line =
                    units.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow();
            assertThat(line.substring(pidColumn)).as("PID column aligned").startsWith(pid);
        }
        Map<String, List<String>> queues = rows(sections[1].lines().toList());
        assertThat(queues.get("alpha"))
                .containsSubsequence(
                        "workflow", "2", "1", root + "/alpha/queue", root + "/alpha/output");
        assertThat(queues.get("alpha")).anyMatch(cell -> cell.matches("2min \\d+s"));
        assertThat(queues.get("nodirs")).contains("/var/lib/hyper2kvm/nodirs/queue*");
        assertThat(r.out()).contains("* not set in the unit's Environment");
    }

    @Test
    void seedFormAndModernFormGiveTheSameAnswer() throws Exception {
        Cli seed =
                Cli.run(
                        "daemon",
                        "-op",
                        "status",
                        "-instance",
                        "alpha",
                        "-json",
                        "--systemctl",
                        systemctl.toString());
        Cli modern =
                Cli.run(
                        "daemon",
                        "status",
                        "--instance",
                        "alpha",
                        "--json",
                        "--systemctl",
                        systemctl.toString());

        assertThat(seed.exitCode()).isEqualTo(ExitCodes.ACTIVE);
        assertThat(modern.exitCode()).isEqualTo(ExitCodes.ACTIVE);
        assertThat(withoutTimes(seed.out())).isEqualTo(withoutTimes(modern.out()));
        assertThat(JSON.readTree(seed.out()).get("instances")).hasSize(1);

        Cli seedList = Cli.run("daemon", "-op", "list", "--systemctl", systemctl.toString());
        Cli modernList = Cli.run("daemon", "list", "--systemctl", systemctl.toString());
        assertThat(seedList.out().lines().map(l -> l.split(" +")[0]))
                .isEqualTo(modernList.out().lines().map(l -> l.split(" +")[0]).toList());
        assertThat(seedList.out().lines()).hasSize(ALL.size() + 1);
    }

    @Test
    void exitCodesFollowSystemctlIsActive() {
        assertThat(status("alpha").exitCode()).isEqualTo(ExitCodes.ACTIVE);
        assertThat(status("default").exitCode()).isEqualTo(ExitCodes.ACTIVE);
        assertThat(status("flappy").exitCode()).isEqualTo(ExitCodes.ACTIVE);
        assertThat(status("broken").exitCode()).isEqualTo(ExitCodes.NOT_ACTIVE);
        assertThat(status("waiting").exitCode()).isEqualTo(ExitCodes.NOT_ACTIVE);
        assertThat(status("parked").exitCode()).isEqualTo(ExitCodes.NOT_ACTIVE);
        Cli quiet = status("broken");
        assertThat(quiet.out()).isEmpty();
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void unknownInstanceHasItsOwnExitCodeAndMessage() {
        for (String name : List.of("nosuch", "never-enabled")) {
            Cli r = status(name);

            assertThat(r.exitCode()).as(name).isEqualTo(ExitCodes.UNKNOWN_INSTANCE);
            assertThat(r.err())
                    .contains("no hyper2kvm daemon instance '" + name + "'")
                    .contains("hyper2kvm@" + name + ".service")
                    .contains("hyperctl daemon list");
        }
    }

    @Test
    void quietListPrintsOnlyTheInstanceNames() {
        Cli r = Cli.run("daemon", "-op", "list", "--quiet", "--systemctl", systemctl.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_ACTIVE);
        assertThat(r.out().lines().toList()).containsExactlyInAnyOrderElementsOf(ALL);
    }

    @Test
    void oneShowByPatternReadsTheLoadedInstancesAndAtMostOneMoreTheOthers() throws IOException {
        Path calls = root.resolve("calls.log");
        Path recording = root.resolve("systemctl-recording");
        Files.writeString(
                recording,
                "#!/bin/sh\necho \"$*\" >> '" + calls + "'\nexec '" + systemctl + "' \"$@\"\n");
        Files.setPosixFilePermissions(recording, PosixFilePermissions.fromString("rwx------"));

        Cli r = Cli.run("daemon", "list", "--systemctl", recording.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_ACTIVE);
        List<String> showsOfInstances =
                Files.readAllLines(calls).stream()
                        .filter(c -> c.contains(" show ") && c.contains("hyper2kvm"))
                        .toList();
        // the first names no instance but the pattern; a second one, if any, only instances
        // that are not loaded (masked, enabled for a target that is not loaded)
        assertThat(showsOfInstances).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        assertThat(showsOfInstances.get(0))
                .contains(
                        " hyper2kvm.service default.target multi-user.target hyper2kvm@*.service");
        // with list-unit-files, two systemctl processes before that second show (issue 15)
        assertThat(Files.readAllLines(calls).subList(0, 2))
                .anyMatch(c -> c.contains(" show ") && c.contains("hyper2kvm@*.service"))
                .anyMatch(c -> c.contains(" list-unit-files "));
        assertThat(Files.readAllLines(calls)).noneMatch(c -> c.contains("*.target"));
        for (String name : ALL) {
            assertThat(r.out())
                    .contains(
                            name.equals("default")
                                    ? "hyper2kvm.service"
                                    : "hyper2kvm@" + name + ".service");
        }
    }

    @Test
    void anEarlyStartedQueryIsTheOneTheListUsesAndGivesTheSameAnswer() throws IOException {
        Path calls = root.resolve("early-calls.log");
        Path recording = recordingSystemctl("systemctl-early", calls);
        String[] args = {"daemon", "-op", "list", "--json", "--systemctl", recording.toString()};
        Cli plain = Cli.run(args);
        List<String> plainCalls = Files.readAllLines(calls);
        Files.delete(calls);

        // what hyperctl's main does: start before parsing, then run
        DaemonCommand.startEarly(args);
        Cli early = Cli.run(args);
        DaemonCommand.discardEarlyStart();

        assertThat(early.exitCode()).isEqualTo(plain.exitCode());
        assertThat(withoutTimes(early.out())).isEqualTo(withoutTimes(plain.out()));
        // the run asked nothing more than the early start did: the same calls, made once
        assertThat(Files.readAllLines(calls)).containsExactlyInAnyOrderElementsOf(plainCalls);
    }

    @Test
    void anEarlyQueryThatDoesNotFitTheParsedOptionsIsCancelledAndAskedAgain() throws IOException {
        Path earlyCalls = root.resolve("unfit-early-calls.log");
        Path runCalls = root.resolve("unfit-run-calls.log");
        Path early = recordingSystemctl("systemctl-unfit-early", earlyCalls);
        Path used = recordingSystemctl("systemctl-unfit-used", runCalls);

        DaemonCommand.startEarly(new String[] {"daemon", "list", "--systemctl", early.toString()});
        Cli r = Cli.run("daemon", "list", "--quiet", "--systemctl", used.toString());
        DaemonCommand.discardEarlyStart();

        assertThat(r.out().lines().toList()).containsExactlyInAnyOrderElementsOf(ALL);
        assertThat(Files.readAllLines(runCalls))
                .anyMatch(c -> c.contains(" show ") && c.contains(" hyper2kvm@*.service"));
    }

    @Test
    void onlyACommandThatNeedsEveryInstanceStartsEarly() {
        String s = systemctl.toString();
        SystemdClient sameAsTheRun =
                SystemdClient.builder()
                        .systemctl(systemctl)
                        .timeout(Duration.ofSeconds(10))
                        .build();

        EarlyQuery.start(new String[] {"daemon", "-op", "list", "--systemctl", s});
        assertThat(EarlyQuery.take(sameAsTheRun)).isPresent().get().satisfies(q -> q.cancel());
        EarlyQuery.start(new String[] {"daemon", "--systemctl=" + s, "--timeout", "10"});
        assertThat(EarlyQuery.take(sameAsTheRun)).isPresent().get().satisfies(q -> q.cancel());
        for (String[] args :
                List.of(
                        new String[] {"daemon", "status", "--instance", "alpha", "--systemctl", s},
                        new String[] {
                            "daemon", "-op", "status", "-instance=alpha", "--systemctl", s
                        },
                        new String[] {"daemon", "list", "--help", "--systemctl", s},
                        new String[] {"jobs", "list", "--systemctl", s},
                        new String[] {"daemon", "list", "--timeout", "soon", "--systemctl", s})) {
            EarlyQuery.start(args);
            assertThat(EarlyQuery.take(sameAsTheRun)).as(String.join(" ", args)).isEmpty();
        }
    }

    private static Path recordingSystemctl(String name, Path calls) throws IOException {
        Path recording = root.resolve(name);
        Files.writeString(
                recording,
                "#!/bin/sh\necho \"$*\" >> '" + calls + "'\nexec '" + systemctl + "' \"$@\"\n");
        Files.setPosixFilePermissions(recording, PosixFilePermissions.fromString("rwx------"));
        return recording;
    }

    private static Cli status(String instance) {
        return Cli.run(
                "daemon",
                "-op",
                "status",
                "-instance",
                instance,
                "-q",
                "--systemctl",
                systemctl.toString());
    }

    private static Map<String, List<String>> rows(List<String> table) {
        Map<String, List<String>> rows = new HashMap<>();
        for (String line : table.subList(1, table.size())) {
            List<String> cells = List.of(line.split(" {2,}"));
            rows.put(cells.get(0), cells);
        }
        return rows;
    }

    private static String withoutTimes(String json) throws IOException {
        JsonNode doc = JSON.readTree(json);
        for (JsonNode i : doc.get("instances")) {
            ((ObjectNode) i).remove(List.of("uptime", "uptime_seconds"));
            ((ObjectNode) i.get("queue"))
                    .remove(List.of("oldest_waiting", "oldest_waiting_seconds"));
        }
        return doc.toString();
    }

    private static void dropIn(Path units, String instance, String serviceLines)
            throws IOException {
        Path d = units.resolve("hyper2kvm@" + instance + ".service.d");
        Files.createDirectories(d);
        Files.writeString(d.resolve("test.conf"), "[Service]\n" + serviceLines + "\n");
    }

    private static void aged(Path file, Duration age) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
    }

    /** systemd's own answer, straight from the fixture's systemctl. */
    private static Map<String, String> show(String unit) throws IOException, InterruptedException {
        String out =
                sh(
                        "show",
                        "--timestamp=us+utc",
                        "-p",
                        "ActiveState,SubState,MainPID,NRestarts,ActiveEnterTimestamp,Environment",
                        "--",
                        unit);
        Map<String, String> props = new HashMap<>();
        out.lines()
                .filter(l -> l.contains("="))
                .forEach(
                        l ->
                                props.put(
                                        l.substring(0, l.indexOf('=')),
                                        l.substring(l.indexOf('=') + 1)));
        return props;
    }

    private static Map<String, String> environment(String value) {
        Map<String, String> env = new HashMap<>();
        for (String a : value.isBlank() ? new String[0] : value.split(" ")) {
            env.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        return env;
    }

    /** "Thu 2026-11-26 10:22:02.820217 UTC" */
    private static Instant usUtc(String ts) {
        String body = ts.substring(ts.indexOf(' ') + 1, ts.lastIndexOf(' '));
        return LocalDateTime.parse(body, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"))
                .toInstant(ZoneOffset.UTC);
    }

    private static String sh(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(systemctl.toString());
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
