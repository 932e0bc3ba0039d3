package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.cli.ctl.Hyperctl;
import io.hypersdk.core.JobId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and conversion on different hosts (issue 22), with real processes on a real network file
 * system: 2 conversion hosts, each with its own spool on its own disk, claimed there by its own
 * stand-in workflow daemon ({@link StandInDaemonMain}, a plain process) and described by the real
 * {@code hyperctl spool publish}; 3 export hosts (one JVM each running 10 real {@code hyperexport
 * --hyper2kvm-remote} invocations of the sample appliance) that mount both spools with sshfs over
 * veths and submit job j to spool j % 2 ({@link MultiHostHarness}). Each test is one fault; each
 * checks that every job is converted exactly once, none is lost, and every exit code.
 *
 * <p>Over 400 lines: the five faults share the run helpers (start, count, exactly-once table),
 * which would otherwise be repeated per file.
 *
 * <p>Needs root (namespaces, mounts); like {@code RealHyper2kvmIT} it is skipped when not root, and
 * as root a missing tool fails it (CI installs them with scripts/install-test-deps.sh).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MultiHostIT {
    private static final int PER_HOST = 10;
    private static final List<String> FAULT_TABLE = new ArrayList<>();

    @TempDir static Path tmp;
    static MultiHostHarness hosts;

    String name;
    Path logs;
    final List<Process> daemons = new ArrayList<>();
    final List<Process> publishers = new ArrayList<>();

    @BeforeAll
    static void hosts() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "the multi-host tests need root (network and mount namespaces, FUSE); CI runs them as root");
        for (String tool :
                List.of(
                        "/usr/sbin/sshd",
                        "/usr/bin/sshfs",
                        "/usr/bin/ssh-keygen",
                        "/usr/bin/qemu-img")) {
            assertThat(Path.of(tool))
                    .as("%s is missing: run scripts/install-test-deps.sh as root", tool)
                    .isExecutable();
        }
        assertThat(Path.of("/dev/fuse")).as("/dev/fuse (FUSE for sshfs)").exists();
        hosts = MultiHostHarness.start(tmp, 3);
    }

    @AfterAll
    static void cleanUp() {
        if (hosts != null) {
            hosts.close();
        }
        System.out.println(
                "fault | submitted | converted once | lost | duplicated | exit codes | wall time");
        FAULT_TABLE.forEach(System.out::println);
    }

    private void setUp(TestInfo info) throws Exception {
        name = info.getTestMethod().orElseThrow().getName();
        for (String side : List.of("a", "b")) {
            Files.createDirectories(base(side).resolve("exports"));
            Files.createDirectories(output(side));
            for (String d : List.of("to_be_processed", "processing", "processed", "failed")) {
                Files.createDirectories(spool(side).resolve(d));
            }
        }
        // outside the temporary directory, so that a failed run can be read afterwards
        logs = Files.createDirectories(Path.of("target", "multihost-logs", name).toAbsolutePath());
        try (Stream<Path> old = Files.list(logs)) {
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
    }

    /** A conversion host's tree for this test: its own disk, served by its own sshd. */
    private Path base(String side) {
        return (side.equals("a") ? hosts.shareA : hosts.shareB).resolve(name);
    }

    private Path spool(String side) {
        return base(side).resolve("spool");
    }

    private Path output(String side) {
        return base(side).resolve("output");
    }

    /**
     * A path under conversion host A's tree as an {@link ExportHostMain} {@code {side}} template.
     */
    private String perSide(Path onA) {
        Path rel = hosts.shareA.relativize(onA);
        return hosts.shareA.resolveSibling("share-{side}").resolve(rel).toString();
    }

    private static String side(MultiHostHarness.Host conv) {
        return conv.name();
    }

    // ---- the conversion side

    private void startPublishers() throws IOException {
        startPublisher(hosts.convA);
        startPublisher(hosts.convB);
    }

    private void startPublisher(MultiHostHarness.Host conv) throws IOException {
        String side = side(conv);
        Path spool = spool(side);
        publishers.add(
                hosts.startIn(
                        conv,
                        MultiHostHarness.java(
                                Hyperctl.class,
                                List.of(
                                        "spool",
                                        "publish",
                                        "--spool",
                                        spool.toString(),
                                        "--output-dir",
                                        output(side).toString(),
                                        "--layout",
                                        "workflow",
                                        "--host",
                                        "conv-" + side,
                                        "--every",
                                        "3")),
                        logs.resolve("publisher-" + side + ".log")));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(spool.resolve(".hypersdk-spool.json")));
    }

    private Process startDaemon(MultiHostHarness.Host h, long workMillis) throws IOException {
        Process p =
                hosts.startIn(
                        h,
                        MultiHostHarness.java(
                                StandInDaemonMain.class,
                                List.of(
                                        spool(side(h)).toString(),
                                        output(side(h)).toString(),
                                        "daemon-" + h.name(),
                                        logs.resolve("daemon-" + h.name() + ".conversions")
                                                .toString(),
                                        "2",
                                        "" + workMillis)),
                        logs.resolve("daemon-" + h.name() + ".log"));
        daemons.add(p);
        return p;
    }

    private void startConversionHosts(long workMillis) throws IOException {
        startPublishers();
        startDaemon(hosts.convA, workMillis);
        startDaemon(hosts.convB, workMillis);
    }

    private void stopConversionHosts() {
        daemons.forEach(MultiHostHarness::stop);
        daemons.clear();
        publishers.forEach(MultiHostHarness::stop);
        publishers.clear();
    }

    // ---- the export side

    private static String tag(int host, int job) {
        return "h" + host + "j" + job;
    }

    private List<String> tags(int host) {
        List<String> t = new ArrayList<>();
        for (int j = 0; j < PER_HOST; j++) {
            t.add(tag(host, j));
        }
        return t;
    }

    private Path exportDir(String tag) {
        return base(ExportHostMain.side(tag)).resolve("exports").resolve(tag);
    }

    private JobId jobId(String tag) {
        return JobId.forExport("sample-appliance", exportDir(tag));
    }

    private Process startExporter(int host, List<String> tags) throws IOException {
        return startExporter(host, tags, List.of());
    }

    private Process startExporter(int host, List<String> tags, List<String> extra)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(logs.toString(), String.join(",", tags), "--"));
        args.addAll(
                List.of(
                        "--provider",
                        "local",
                        "--vm",
                        Cli.SAMPLE.toString(),
                        "--output",
                        perSide(base("a").resolve("exports").resolve("{tag}")),
                        "--pipeline",
                        "--hyper2kvm-remote",
                        "--hyper2kvm-watch-dir",
                        perSide(spool("a")),
                        "--hyper2kvm-poll-interval",
                        "1",
                        "--hyper2kvm-daemon-timeout",
                        "2"));
        return hosts.startIn(
                hosts.exportHosts.get(host),
                MultiHostHarness.java(ExportHostMain.class, args),
                logs.resolve("exporter-" + host + ".log"));
    }

    private List<Process> startAllExporters() throws IOException {
        List<Process> ps = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            ps.add(startExporter(h, tags(h)));
        }
        return ps;
    }

    /** Every job's exit code from the exporters' logs ("EXIT tag code"), once all have ended. */
    private Map<String, Integer> exits(List<Process> exporters, Duration within) throws Exception {
        for (Process p : exporters) {
            assertThat(p.waitFor(within.toSeconds(), TimeUnit.SECONDS))
                    .as("exporter %s ended within %s (no hang past the timeout)", p.pid(), within)
                    .isTrue();
        }
        Map<String, Integer> codes = new TreeMap<>();
        for (int h = 0; h < 3; h++) {
            Path log = logs.resolve("exporter-" + h + ".log");
            if (!Files.exists(log)) {
                continue;
            }
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("EXIT ")) {
                    String[] f = line.split(" ");
                    codes.put(f[1], Integer.parseInt(f[2]));
                }
            }
        }
        return codes;
    }

    private String jobLog(String tag) throws IOException {
        Path err = logs.resolve(tag + ".err");
        Path out = logs.resolve(tag + ".out");
        return (Files.exists(out) ? Files.readString(out) : "")
                + (Files.exists(err) ? Files.readString(err) : "");
    }

    /** How often each job was converted ("DONE job" lines of both daemons). */
    private Map<String, Integer> conversions() throws IOException {
        Map<String, Integer> done = new HashMap<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".conversions")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("DONE ")) {
                        done.merge(line.substring(5).strip(), 1, Integer::sum);
                    }
                }
            }
        }
        return done;
    }

    /** How many distinct jobs the spool holds (queued, claimed, answered or failed). */
    private long inSpool() throws IOException {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (String side : List.of("a", "b")) {
            try (Stream<Path> s = Files.walk(spool(side))) {
                s.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".json") && !n.startsWith("."))
                        .filter(n -> !n.endsWith(".report.json") && !n.endsWith(".error.json"))
                        .forEach(n -> ids.add(n.substring(0, n.length() - ".json".length())));
            } catch (java.io.UncheckedIOException e) {
                return -1; // a file moved while walking: look again
            }
        }
        return ids.size();
    }

    /** Asserts exactly-once for all 30 jobs and records the fault table's row. */
    private void exactlyOnce(String fault, Map<String, Integer> codesSeen, long t0)
            throws IOException {
        Map<String, Integer> done = conversions();
        List<String> all = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            all.addAll(tags(h));
        }
        int once = 0;
        int lost = 0;
        int duplicated = 0;
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String t : all) {
            int n = done.getOrDefault(jobId(t).value(), 0);
            expected.put(t, n);
            if (n == 1) {
                once++;
            } else if (n == 0) {
                lost++;
            } else {
                duplicated++;
            }
        }
        TreeSet<Integer> codes = new TreeSet<>(codesSeen.values());
        FAULT_TABLE.add(
                fault
                        + " | "
                        + all.size()
                        + " | "
                        + once
                        + " | "
                        + lost
                        + " | "
                        + duplicated
                        + " | "
                        + codes
                        + " | "
                        + Duration.ofNanos(System.nanoTime() - t0).toSeconds()
                        + " s");
        assertThat(done.keySet())
                .as("only the 30 submitted jobs were converted")
                .allMatch(id -> all.stream().anyMatch(t -> jobId(t).value().equals(id)));
        assertThat(expected)
                .as("conversions per job")
                .allSatisfy((t, n) -> assertThat(n).as(t).isEqualTo(1));
    }

    /** Every one of the 30 jobs exited 0 (the message shows the job's own output). */
    private void allConverted(Map<String, Integer> codes) throws IOException {
        for (int h = 0; h < 3; h++) {
            for (String t : tags(h)) {
                assertThat(codes.get(t)).as("%s: %s", t, jobLog(t)).isEqualTo(0);
            }
        }
    }

    private int hyperctlWait(int host, String tag) throws Exception {
        Path log = logs.resolve("wait-" + tag + ".log");
        Process p =
                hosts.startIn(
                        hosts.exportHosts.get(host),
                        MultiHostHarness.java(
                                Hyperctl.class,
                                List.of(
                                        "job",
                                        "wait",
                                        jobId(tag).value(),
                                        "--spool",
                                        spool(ExportHostMain.side(tag)).toString(),
                                        "--timeout",
                                        "2",
                                        "--poll-interval",
                                        "1")),
                        log);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("hyperctl job wait %s ended", tag).isTrue();
        return p.exitValue();
    }

    // ---- the tests

    @Test
    void thirtyJobsFromThreeExportHostsAreEachConvertedOnceByTwoConversionHosts(TestInfo info)
            throws Exception {
        setUp(info);
        long t0 = System.nanoTime();
        startConversionHosts(100);
        Map<String, Integer> codes = exits(startAllExporters(), Duration.ofMinutes(4));
        for (int h = 0; h < 3; h++) {
            for (String t : tags(h)) {
                assertThat(codes.get(t)).as("%s: %s", t, jobLog(t)).isEqualTo(0);
                assertThat(jobLog(t)).contains(jobId(t).value());
            }
        }
        stopConversionHosts();
        exactlyOnce("none (30 jobs, 3 export hosts, 2 daemons)", codes, t0);
    }

    @Test
    void aDaemonKilledMidJobAndRestartedLosesAndDuplicatesNothing(TestInfo info) throws Exception {
        setUp(info);
        long t0 = System.nanoTime();
        startConversionHosts(800);
        List<Process> exporters = startAllExporters();
        Path conversionsA = logs.resolve("daemon-a.conversions");
        await().atMost(Duration.ofMinutes(2))
                .until(
                        () ->
                                Files.exists(conversionsA)
                                        && Files.readString(conversionsA).contains("CLAIM "));
        MultiHostHarness.kill(daemons.get(0)); // SIGKILL daemon A mid-job
        daemons.remove(0);
        startDaemon(hosts.convA, 100);
        Map<String, Integer> codes = exits(exporters, Duration.ofMinutes(4));
        allConverted(codes);
        assertThat(Files.readString(conversionsA)).contains("RESUME ");
        stopConversionHosts();
        exactlyOnce("SIGKILL daemon A mid-job, restart", codes, t0);
    }

    @Test
    void anExporterKilledMidWaitIsReplacedByHyperctlJobWait(TestInfo info) throws Exception {
        setUp(info);
        long t0 = System.nanoTime();
        startPublishers(); // daemons start later: the jobs wait in the queue
        List<Process> exporters = startAllExporters();
        await().atMost(Duration.ofMinutes(3)).until(() -> inSpool() == 30);
        MultiHostHarness.kill(exporters.get(0)); // SIGKILL export host 1's JVM mid-wait
        startDaemon(hosts.convA, 100);
        startDaemon(hosts.convB, 100);
        Map<String, Integer> codes = exits(exporters.subList(1, 3), Duration.ofMinutes(4));
        List<Thread> waits = new ArrayList<>();
        Map<String, Integer> waited = new java.util.concurrent.ConcurrentHashMap<>();
        for (String t : tags(0)) {
            Thread th =
                    new Thread(
                            () -> {
                                try {
                                    waited.put(t, hyperctlWait(0, t));
                                } catch (Exception e) {
                                    waited.put(t, -1);
                                }
                            });
            th.start();
            waits.add(th);
        }
        for (Thread th : waits) {
            th.join();
        }
        codes.putAll(waited);
        for (int h = 0; h < 3; h++) {
            for (String t : tags(h)) {
                assertThat(codes.get(t))
                        .as(
                                "%s: %s",
                                t,
                                h == 0
                                        ? Files.readString(logs.resolve("wait-" + t + ".log"))
                                        : jobLog(t))
                        .isEqualTo(0);
            }
        }
        stopConversionHosts();
        exactlyOnce("SIGKILL exporter 1 mid-wait, then hyperctl job wait", codes, t0);
    }

    @Test
    void cuttingAnExportHostOffForThirtySecondsMidWaitLosesNothing(TestInfo info) throws Exception {
        setUp(info);
        long t0 = System.nanoTime();
        startConversionHosts(1000);
        List<Process> exporters = startAllExporters();
        await().atMost(Duration.ofMinutes(3)).until(() -> inSpool() == 30);
        MultiHostHarness.Host cut = hosts.exportHosts.get(0);
        hosts.network(cut, false);
        try {
            Thread.sleep(30_000); // the fault itself: 30 s without the spool
        } finally {
            hosts.network(cut, true);
        }
        Map<String, Integer> codes = exits(exporters, Duration.ofMinutes(4));
        allConverted(codes);
        stopConversionHosts();
        exactlyOnce("network of export host 1 down 30 s mid-wait", codes, t0);
    }

    @Test
    void aStoppedDaemonsStaleHeartbeatEndsEveryWaitAndNothingIsLost(TestInfo info)
            throws Exception {
        setUp(info);
        long t0 = System.nanoTime();
        startConversionHosts(20000); // slow: most jobs are still pending when stopped
        List<Process> exporters = startAllExporters();
        await().atMost(Duration.ofMinutes(3)).until(() -> inSpool() == 30);
        stopConversionHosts(); // the conversion host's units stop: no heartbeat any more
        Map<String, Integer> codes = exits(exporters, Duration.ofMinutes(2));
        assertThat(codes).hasSize(30);
        assertThat(codes.values()).allMatch(c -> c == 0 || c == 4);
        assertThat(codes.values()).contains(4);
        for (Map.Entry<String, Integer> e : codes.entrySet()) {
            if (e.getValue() == 4) {
                assertThat(jobLog(e.getKey())).contains("heartbeat");
            }
        }
        // a new export now fails before anything is exported
        Process late = startExporter(1, List.of("late"));
        Map<String, Integer> lateCode = new HashMap<>();
        assertThat(late.waitFor(3, TimeUnit.MINUTES)).isTrue();
        for (String line : Files.readAllLines(logs.resolve("exporter-1.log"))) {
            if (line.startsWith("EXIT late ")) {
                lateCode.put("late", Integer.parseInt(line.split(" ")[2]));
            }
        }
        assertThat(lateCode.get("late")).as(jobLog("late")).isEqualTo(4);
        assertThat(jobLog("late")).contains("heartbeat").contains("s old");
        assertThat(exportDir("late")).doesNotExist();
        // back up: claimed jobs are waited for, withdrawn ones exported again; nothing converts
        // twice
        startConversionHosts(100);
        Map<String, Integer> finalCodes = new TreeMap<>(codes);
        List<Process> reruns = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            List<String> again = new ArrayList<>();
            for (String t : tags(h)) {
                if (codes.get(t) != 0) {
                    again.add(t);
                }
            }
            if (!again.isEmpty()) {
                Files.deleteIfExists(logs.resolve("exporter-" + h + ".log"));
                // --overwrite: a withdrawn job's export is written again; a claimed one is found
                reruns.add(startExporter(h, again, List.of("--overwrite")));
            }
        }
        finalCodes.putAll(exits(reruns, Duration.ofMinutes(4)));
        assertThat(finalCodes).allSatisfy((t, c) -> assertThat(c).as(t).isEqualTo(0));
        TreeMap<String, Integer> seen = new TreeMap<>(codes);
        seen.put("late", 4);
        stopConversionHosts();
        exactlyOnce("daemons + heartbeat stopped mid-run (stale), restarted, re-run", seen, t0);
    }
}
