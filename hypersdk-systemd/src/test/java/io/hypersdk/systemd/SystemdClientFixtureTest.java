package io.hypersdk.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.systemd.testing.SystemdFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SystemdClient against a real systemd (the shared fixture), with stand-in hyper2kvm units whose
 * ExecStart is /bin/sleep or a small shell script.
 */
class SystemdClientFixtureTest {
    private static final String TEMPLATE =
            """
            [Unit]
            Description=hyper2kvm stand-in %i
            [Service]
            ExecStart=/bin/sleep infinity
            Environment=INSTANCE=%i "QUEUE=/var/lib/hyper2kvm/%i/queue"
            PrivateTmp=yes
            ProtectSystem=strict
            ProtectHome=read-only
            ReadWritePaths=/var/lib -/srv/hyper2kvm-missing
            [Install]
            WantedBy=multi-user.target
            """;
    private static final String DEFAULT_UNIT =
            """
            [Unit]
            Description=hyper2kvm stand-in (default)
            [Service]
            ExecStart=/bin/sleep infinity
            Environment="GREETING=hello world" "QUOTED=say \\"hi\\"" "BACKSLASH=a\\\\b" "DOLLAR=cost $$5" PLAIN=x=y EMPTY=
            Environment="UNICODE=ünï" "TAB=a\\tb"
            User=nobody
            Group=nogroup
            ReadOnlyPaths=/etc
            """;

    private static SystemdFixture fixture;
    private static SystemdClient client;
    private static Instant defaultBefore;
    private static Instant defaultAfter;
    private static Path workDir;

    @BeforeAll
    static void startFixture() throws IOException {
        workDir = Files.createTempDirectory("sdclient-test-");
        Path units = Files.createDirectories(workDir.resolve("units"));
        Files.writeString(units.resolve("hyper2kvm.service"), DEFAULT_UNIT);
        Files.writeString(units.resolve("hyper2kvm@.service"), TEMPLATE);
        dropIn(
                units,
                "azure-batch",
                "[Service]\nExecStart=\nExecStart=/bin/sh -c 'echo converting; exit 1'\n");
        dropIn(
                units,
                "restarting",
                "[Service]\nExecStart=\nExecStart=/bin/false\nRestart=always\nRestartSec=1h\n");
        // fails three times, then keeps running: NRestarts must end at exactly 3
        // (the template has ProtectSystem=strict: the counter lives in a preserved
        // RuntimeDirectory)
        dropIn(
                units,
                "flaky",
                "[Service]\nExecStart=\nExecStart=/bin/sh -c 'n=$(cat /run/flaky/count 2>/dev/null"
                        + " || echo 0); n=$((n+1)); echo $n > /run/flaky/count; [ $n -gt 3 ] || exit 1; exec sleep infinity'\n"
                        + "RuntimeDirectory=flaky\nRuntimeDirectoryPreserve=yes\nRestart=on-failure\nRestartSec=100ms\n");
        Files.writeString(
                units.resolve("sandboxed.service"),
                "[Service]\nExecStart=/bin/sleep infinity\n"
                        + "User=root\nPrivateUsers=yes\nProtectSystem=strict\nStateDirectory=sbx/queue sbx/output\n"
                        + "CacheDirectory=sbx\nLogsDirectory=sbx\n");
        Files.createSymbolicLink(units.resolve("hyper2kvm@masked.service"), Path.of("/dev/null"));
        Path wants = Files.createDirectories(units.resolve("multi-user.target.wants"));
        Files.createSymbolicLink(
                wants.resolve("hyper2kvm@enabled-only.service"), Path.of("../hyper2kvm@.service"));

        fixture = SystemdFixture.start(units);
        client =
                SystemdClient.builder()
                        .systemctl(fixture.systemctlWrapper())
                        .timeout(Duration.ofSeconds(20))
                        .build();

        defaultBefore = Instant.now();
        fixture.systemctlOk("start", "hyper2kvm.service");
        defaultAfter = Instant.now();
        fixture.systemctlOk(
                "start",
                "hyper2kvm@vsphere-prod.service",
                "hyper2kvm@azure-batch.service",
                "hyper2kvm@restarting.service",
                "hyper2kvm@flaky.service");
        fixture.awaitProperty(
                "hyper2kvm@azure-batch.service", "ActiveState", "failed", Duration.ofSeconds(10));
        fixture.awaitProperty(
                "hyper2kvm@restarting.service", "SubState", "auto-restart", Duration.ofSeconds(10));
        fixture.awaitProperty("hyper2kvm@flaky.service", "NRestarts", "3", Duration.ofSeconds(10));
        fixture.awaitProperty(
                "hyper2kvm@flaky.service", "SubState", "running", Duration.ofSeconds(10));
    }

    /**
     * A client whose systemctl appends {@code what} (shell words: {@code $*}, {@code $2}) of each
     * call to {@code log}, then runs the fixture's.
     */
    private static SystemdClient recording(String name, String what, Path log) throws IOException {
        Path script = workDir.resolve(name);
        Files.writeString(
                script,
                "#!/bin/sh\necho \""
                        + what
                        + "\" >> '"
                        + log
                        + "'\nexec '"
                        + fixture.systemctlWrapper()
                        + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return SystemdClient.builder().systemctl(script).build();
    }

    private static void dropIn(Path units, String instance, String content) throws IOException {
        Path d = Files.createDirectories(units.resolve("hyper2kvm@" + instance + ".service.d"));
        Files.writeString(d.resolve("override.conf"), content);
    }

    @AfterAll
    static void stopFixture() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
        if (workDir != null) {
            try (var s = Files.walk(workDir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String cmdlineInFixture(long pid) throws IOException {
        // the fixture's own /proc, seen through its root: MainPID is a PID of its namespace
        byte[] raw = Files.readAllBytes(fixture.root().resolve("proc/" + pid + "/cmdline"));
        return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
    }

    @Test
    void runningDefaultUnitReportsStateMainPidUptimeAndEnvironment() throws IOException {
        Instant now = Instant.now();
        UnitStatus s =
                SystemdClient.builder()
                        .systemctl(fixture.systemctlWrapper())
                        .clock(Clock.fixed(now, ZoneOffset.UTC))
                        .build()
                        .status(UnitName.service("hyper2kvm"));

        assertThat(s.id()).isEqualTo("hyper2kvm.service");
        assertThat(s.loadState()).isEqualTo("loaded");
        assertThat(s.activeState()).isEqualTo("active");
        assertThat(s.subState()).isEqualTo("running");
        assertThat(s.isActive()).isTrue();
        assertThat(s.mainPid()).isPresent();
        assertThat(cmdlineInFixture(s.mainPid().getAsLong())).isEqualTo("/bin/sleep infinity");
        assertThat(s.activeEnterTimestamp())
                .hasValueSatisfying(
                        t ->
                                assertThat(t)
                                        .isBetween(
                                                defaultBefore.minusMillis(50),
                                                defaultAfter.plusMillis(50)));
        Duration truthMax = Duration.between(defaultBefore, now);
        Duration truthMin = Duration.between(defaultAfter, now);
        assertThat(s.uptime())
                .hasValueSatisfying(
                        u ->
                                assertThat(u)
                                        .isBetween(
                                                truthMin.minusSeconds(1), truthMax.plusSeconds(1))
                                        .isBetween(
                                                truthMin.minusMillis(100),
                                                truthMax.plusMillis(100)));
        assertThat(s.nRestarts()).isZero();
        assertThat(s.result()).isEqualTo("success");
        assertThat(s.unitFileState()).isEqualTo("static");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GREETING", "hello world");
        env.put("QUOTED", "say \"hi\"");
        env.put("BACKSLASH", "a\\b");
        env.put("DOLLAR", "cost $$5");
        env.put("PLAIN", "x=y");
        env.put("EMPTY", "");
        env.put("UNICODE", "ünï");
        env.put("TAB", "a\tb");
        assertThat(s.environment()).containsExactlyEntriesOf(env);
        assertThat(s.user()).hasValue("nobody");
        assertThat(s.group()).hasValue("nogroup");
        assertThat(s.privateTmp()).isFalse();
        assertThat(s.protectSystem()).isEqualTo("no");
        assertThat(s.readOnlyPaths()).containsExactly(Path.of("/etc"));
        assertThat(s.memoryCurrent()).isEmpty(); // no memory controller in the fixture: [not set]
    }

    @Test
    void activeInstanceCarriesItsInstanceEnvironmentAndSandbox() throws IOException {
        UnitStatus s = client.status(UnitName.instance("hyper2kvm", "vsphere-prod"));

        assertThat(s.id()).isEqualTo("hyper2kvm@vsphere-prod.service");
        assertThat(s.instance()).hasValue("vsphere-prod");
        assertThat(s.isActive()).isTrue();
        assertThat(cmdlineInFixture(s.mainPid().getAsLong())).isEqualTo("/bin/sleep infinity");
        assertThat(s.environment())
                .containsExactly(
                        Map.entry("INSTANCE", "vsphere-prod"),
                        Map.entry("QUEUE", "/var/lib/hyper2kvm/vsphere-prod/queue"));
        assertThat(s.privateTmp()).isTrue();
        assertThat(s.protectSystem()).isEqualTo("strict");
        assertThat(s.protectHome()).isEqualTo("read-only");
        assertThat(s.readWritePaths())
                .containsExactly(Path.of("/var/lib"), Path.of("/srv/hyper2kvm-missing"));
        assertThat(s.user()).isEmpty();
        assertThat(s.unitFileState()).isEqualTo("disabled");
        assertThat(client.isActive(UnitName.instance("hyper2kvm", "vsphere-prod"))).isTrue();
    }

    @Test
    void privateUsersAndStateDirectoriesOfAUnitAreReported() {
        UnitStatus s = client.status(UnitName.service("sandboxed"));
        UnitStatus plain = client.status(UnitName.instance("hyper2kvm", "vsphere-prod"));

        assertThat(s.privateUsers()).isTrue();
        assertThat(s.stateDirectories())
                .containsExactlyInAnyOrder(Path.of("sbx/queue"), Path.of("sbx/output"));
        assertThat(s.writablePaths())
                .containsExactlyInAnyOrder(
                        Path.of("/var/lib/sbx/queue"),
                        Path.of("/var/lib/sbx/output"),
                        Path.of("/var/cache/sbx"),
                        Path.of("/var/log/sbx"));
        assertThat(plain.privateUsers()).isFalse();
        assertThat(plain.stateDirectories()).isEmpty();
    }

    @Test
    void failedInstanceIsNotActiveAndReportsExitCode() {
        UnitStatus s = client.status(UnitName.instance("hyper2kvm", "azure-batch"));

        assertThat(s.activeState()).isEqualTo("failed");
        assertThat(s.subState()).isEqualTo("failed");
        assertThat(s.isFailed()).isTrue();
        assertThat(s.isActive()).isFalse();
        assertThat(s.result()).isEqualTo("exit-code");
        assertThat(s.mainPid()).isEmpty();
        assertThat(s.uptime()).isEmpty();
        assertThat(s.activeEnterTimestamp())
                .isPresent(); // it did become active before its process failed
        assertThat(client.isActive(UnitName.instance("hyper2kvm", "azure-batch"))).isFalse();
    }

    @Test
    void restartingInstanceIsActivatingWithAutoRestart() {
        UnitStatus s = client.status(UnitName.instance("hyper2kvm", "restarting"));

        assertThat(s.activeState()).isEqualTo("activating");
        assertThat(s.subState()).isEqualTo("auto-restart");
        assertThat(s.result()).isEqualTo("exit-code");
        assertThat(s.isActive()).isFalse();
        assertThat(s.mainPid()).isEmpty();
    }

    @Test
    void instanceThatFailedThreeTimesCountsThreeRestarts() throws IOException {
        UnitStatus s = client.status(UnitName.instance("hyper2kvm", "flaky"));

        assertThat(s.isActive()).isTrue();
        assertThat(s.nRestarts()).isEqualTo(3);
        assertThat(cmdlineInFixture(s.mainPid().getAsLong())).isEqualTo("sleep infinity");
    }

    @Test
    void unknownUnitIsNotFoundNotAnError() {
        UnitStatus s = client.status(UnitName.service("hyper2kvm-does-not-exist"));

        assertThat(s.isNotFound()).isTrue();
        assertThat(s.loadState()).isEqualTo("not-found");
        assertThat(s.activeState()).isEqualTo("inactive");
        assertThat(s.isActive()).isFalse();
        assertThat(s.mainPid()).isEmpty();
        assertThat(s.unitFileState()).isEmpty();
        assertThat(s.activeEnterTimestamp()).isEmpty();
    }

    @Test
    void maskedInstanceIsMasked() {
        UnitStatus s = client.status(UnitName.instance("hyper2kvm", "masked"));

        assertThat(s.isMasked()).isTrue();
        assertThat(s.loadState()).isEqualTo("masked");
        assertThat(s.isActive()).isFalse();
    }

    @Test
    void severalUnitsComeBackInRequestOrderFromOneSystemctlProcess() throws IOException {
        Path log = workDir.resolve("calls.log");
        SystemdClient counted = recording("counting-systemctl", "$*", log);
        List<UnitName> units =
                List.of(
                        UnitName.instance("hyper2kvm", "azure-batch"),
                        UnitName.service("hyper2kvm"),
                        UnitName.service("nope"),
                        UnitName.instance("hyper2kvm", "masked"),
                        UnitName.instance("hyper2kvm", "vsphere-prod"));

        List<UnitStatus> s = counted.status(units);

        assertThat(s)
                .extracting(UnitStatus::id)
                .containsExactly(
                        "hyper2kvm@azure-batch.service",
                        "hyper2kvm.service",
                        "nope.service",
                        "hyper2kvm@masked.service",
                        "hyper2kvm@vsphere-prod.service");
        assertThat(s)
                .extracting(UnitStatus::activeState)
                .containsExactly("failed", "active", "inactive", "inactive", "active");
        List<String> calls = Files.readAllLines(log);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0))
                .startsWith("--no-pager show")
                .contains(" -- hyper2kvm@azure-batch.service ");
    }

    @Test
    void instancesListsDefaultAndEveryLoadedMaskedOrEnabledInstance() {
        List<UnitStatus> all = client.instances("hyper2kvm");

        assertThat(all)
                .extracting(UnitStatus::id)
                .containsExactly(
                        "hyper2kvm.service",
                        "hyper2kvm@azure-batch.service",
                        "hyper2kvm@enabled-only.service",
                        "hyper2kvm@flaky.service",
                        "hyper2kvm@masked.service",
                        "hyper2kvm@restarting.service",
                        "hyper2kvm@vsphere-prod.service");
        Map<String, UnitStatus> byId = new LinkedHashMap<>();
        all.forEach(s -> byId.put(s.id(), s));
        assertThat(byId.get("hyper2kvm@enabled-only.service").activeState()).isEqualTo("inactive");
        assertThat(byId.get("hyper2kvm@enabled-only.service").unitFileState())
                .startsWith("enabled");
        assertThat(byId.get("hyper2kvm@azure-batch.service").isFailed()).isTrue();
        assertThat(byId.get("hyper2kvm@masked.service").isMasked()).isTrue();
        assertThat(byId.get("hyper2kvm@vsphere-prod.service").isActive()).isTrue();
    }

    @Test
    void instancesReadsLoadedUnitsAndUnitFilesAtTheSameTimeThenOnlyTheUnloadedOnes()
            throws IOException {
        // each call logs its start and end; the three first calls take at least 300 ms each
        Path log = workDir.resolve("instances-calls.log");
        Path timed = workDir.resolve("timed-systemctl");
        Files.writeString(
                timed,
                "#!/bin/sh\necho \"start $2 $*\" >> '"
                        + log
                        + "'\n"
                        + "case \"$*\" in *Upholds*|*list-unit-files*|*'hyper2kvm@*.service'*) sleep 0.3 ;; esac\n"
                        + "'"
                        + fixture.systemctlWrapper()
                        + "' \"$@\"\nrc=$?\necho \"end $2\" >> '"
                        + log
                        + "'\nexit $rc\n");
        Files.setPosixFilePermissions(timed, PosixFilePermissions.fromString("rwxr-xr-x"));
        SystemdClient counted =
                SystemdClient.builder().systemctl(timed).timeout(Duration.ofSeconds(20)).build();

        List<UnitStatus> all = counted.instances("hyper2kvm");

        assertThat(all)
                .extracting(UnitStatus::id)
                .containsExactlyElementsOf(
                        client.instances("hyper2kvm").stream().map(UnitStatus::id).toList());
        List<String> calls = Files.readAllLines(log);
        assertThat(calls).hasSize(6);
        // the show of the default unit, the two targets and the loaded instances, and
        // list-unit-files, both started before either ended
        assertThat(calls.subList(0, 2))
                .allMatch(c -> c.startsWith("start "))
                .anyMatch(c -> c.startsWith("start list-unit-files "))
                .anyMatch(
                        c ->
                                c.startsWith("start show ")
                                        && c.contains(",Wants,Requires,Upholds ")
                                        && c.endsWith(
                                                " -- hyper2kvm.service default.target"
                                                        + " multi-user.target hyper2kvm@*.service"));
        assertThat(calls).noneMatch(c -> c.contains("*.target"));
        // then one show of the instances that are not loaded (a mask, an enabled-only instance
        // of the fixture's masked multi-user.target), and only of those
        assertThat(calls.get(4)).startsWith("start show ").doesNotContain("Upholds");
        assertThat(calls.get(4))
                .contains("hyper2kvm@enabled-only.service")
                .contains("hyper2kvm@masked.service")
                .doesNotContain("hyper2kvm@azure-batch.service")
                .doesNotContain("hyper2kvm@vsphere-prod.service");
    }

    @Test
    void instancesThatAreAllLoadedCostOneShowNextToListUnitFiles() throws IOException {
        Path log = workDir.resolve("loaded-only-calls.log");
        SystemdClient counted = recording("counting-systemctl-loaded", "$2", log);
        fixture.addUnit("allloaded@.service", "[Service]\nExecStart=/bin/sleep infinity\n");
        fixture.systemctlOk("start", "allloaded@one.service", "allloaded@two.service");

        List<UnitStatus> all = counted.instances("allloaded");

        assertThat(all)
                .extracting(UnitStatus::id)
                .containsExactly(
                        "allloaded.service", "allloaded@one.service", "allloaded@two.service");
        assertThat(all.get(0).isNotFound()).isTrue();
        assertThat(all.subList(1, 3)).allMatch(UnitStatus::isActive);
        // the instances' show (with the two targets), no second show for unloaded ones
        assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder("show", "list-unit-files");
    }

    @Test
    void anInstanceThatAStartedTargetWantsIsFoundStoppedWithoutReadingThatTarget()
            throws IOException {
        // what a third call once read (every loaded *.target): an instance a loaded target wants
        // is loaded itself, running or not, so the pattern of the one show finds it
        Path log = workDir.resolve("target-wanted-calls.log");
        SystemdClient counted = recording("counting-systemctl-target", "$*", log);
        fixture.addUnits(
                Map.of(
                        "batchq@.service",
                        "[Service]\nExecStart=/bin/sleep infinity\n",
                        "batchhost.target",
                        "[Unit]\nWants=batchq@nightly.service\nRequires=batchq@weekly.service\n"));
        fixture.systemctlOk("start", "batchhost.target");
        fixture.systemctlOk("stop", "batchq@nightly.service");

        List<UnitStatus> all = counted.instances("batchq");

        assertThat(all)
                .extracting(UnitStatus::id)
                .containsExactly(
                        "batchq.service", "batchq@nightly.service", "batchq@weekly.service");
        assertThat(all.get(1).activeState()).isEqualTo("inactive");
        assertThat(all.get(2).isActive()).isTrue();
        List<String> calls = Files.readAllLines(log);
        assertThat(calls).hasSize(2).noneMatch(c -> c.contains("batchhost"));
    }

    @Test
    void instancesOfAPrefixWithoutUnitsIsJustTheMissingDefault() {
        List<UnitStatus> all = client.instances("nothing-here");

        assertThat(all).hasSize(1);
        assertThat(all.get(0).id()).isEqualTo("nothing-here.service");
        assertThat(all.get(0).isNotFound()).isTrue();
    }

    @Test
    void aUnitNameThatLooksLikeAnOptionNeverReachesSystemctl() {
        assertThat(UnitName.instance("hyper2kvm", "--all")).hasToString("hyper2kvm@--all.service");
        assertThatThrownBy(() -> UnitName.service("--all"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"--all\"");
        assertThatThrownBy(() -> UnitName.parse("-H.service"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unitsAddedToARunningFixtureAreSeenAfterDaemonReload() {
        fixture.addUnit(
                "added-later.service",
                "[Service]\nExecStart=/bin/sleep infinity\nEnvironment=LATE=yes\n");
        fixture.systemctlOk("start", "added-later.service");

        UnitStatus s = client.status(UnitName.service("added-later"));

        assertThat(s.isActive()).isTrue();
        assertThat(s.environment()).containsEntry("LATE", "yes");
        assertThat(fixture.systemctl("is-active", "added-later.service").exitCode()).isZero();
        assertThat(fixture.systemctl("is-active", "hyper2kvm@azure-batch.service").exitCode())
                .isEqualTo(3);
    }

    @Test
    void olderSystemctlWithoutJsonOrTimestampOptionGivesTheSameAnswers() throws IOException {
        // emulates systemd < 246: --output=json is silently ignored (text table), --timestamp= is
        // unknown
        Path old = workDir.resolve("old-systemctl");
        Files.writeString(
                old,
                "#!/bin/sh\n"
                        + "for a do\n  shift\n  case \"$a\" in\n"
                        + "    --timestamp=*) echo \"systemctl: unrecognized option '$a'\" >&2; exit 1 ;;\n"
                        + "    --output=json) ;;\n"
                        + "    *) set -- \"$@\" \"$a\" ;;\n  esac\ndone\n"
                        + "exec '"
                        + fixture.systemctlWrapper()
                        + "' \"$@\"\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
        SystemdClient oldClient =
                SystemdClient.builder().systemctl(old).timeout(Duration.ofSeconds(20)).build();

        List<UnitStatus> viaOld = oldClient.instances("hyper2kvm");
        List<UnitStatus> viaNew = client.instances("hyper2kvm");

        assertThat(viaOld)
                .extracting(UnitStatus::id)
                .containsExactlyElementsOf(viaNew.stream().map(UnitStatus::id).toList());
        assertThat(viaOld)
                .extracting(UnitStatus::activeState)
                .containsExactlyElementsOf(viaNew.stream().map(UnitStatus::activeState).toList());
        UnitStatus oldDefault = viaOld.get(0);
        assertThat(oldDefault.activeEnterTimestamp())
                .isEqualTo(
                        viaNew.get(0)
                                .activeEnterTimestamp()
                                .map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        assertThat(oldClient.instances("nothing-here"))
                .extracting(UnitStatus::id)
                .containsExactly("nothing-here.service");
    }
}
