package io.hypersdk.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.systemd.CapturedSamples.Section;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The parser on every output captured from a real systemd 252 (shared/fixtures/systemctl). */
class CapturedOutputTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:30:00Z");
    private static final Instant SLEEPER_START = Instant.parse("2026-11-26T10:22:02Z");

    private static List<UnitStatus> parse(Section s) {
        List<Map<String, String>> blocks = ShowOutput.parseBlocks(s.output());
        List<String> units = s.showUnits();
        assertThat(blocks).as("blocks of %s", s.command()).hasSize(units.size());
        return java.util.stream.IntStream.range(0, units.size())
                .mapToObj(i -> ShowOutput.toStatus(units.get(i), blocks.get(i), NOW))
                .toList();
    }

    private static UnitStatus one(String file, String command) {
        return parse(CapturedSamples.showSection(file, command)).get(0);
    }

    @Test
    void everyCapturedFileIsCovered() {
        assertThat(CapturedSamples.files())
                .extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(
                        "host-no-systemd.txt",
                        "is-active.txt",
                        "list-units.txt",
                        "nspawn-show-sleeper.txt",
                        "show-all-properties-hardened.service.txt",
                        "show-all-properties-not-found.service.txt",
                        "show-all-properties-sleeper.service.txt",
                        "show-multi-unit.txt",
                        "show-requested-props.txt",
                        "show-transitional-states.txt",
                        "show-variants.txt");
    }

    @Test
    void everyKeyValueShowSectionParsesAndEveryOtherFailsOnlyWithTheDocumentedException() {
        int parsed = 0;
        int refused = 0;
        for (Path f : CapturedSamples.files()) {
            for (Section s : CapturedSamples.sections(f.getFileName().toString())) {
                try {
                    for (Map<String, String> block : ShowOutput.parseBlocks(s.output())) {
                        if (!block.isEmpty()) {
                            ShowOutput.toStatus("x.service", block, NOW);
                        }
                    }
                    parsed++;
                } catch (SystemctlOutputException e) {
                    refused++;
                    assertThat(e.getMessage()).isNotBlank();
                }
            }
        }
        assertThat(parsed).isGreaterThanOrEqualTo(20);
        assertThat(refused).isGreaterThan(5);
    }

    @Test
    void runningServiceFromRequestedProperties() {
        UnitStatus s = one("show-requested-props.txt", "sleeper.service");
        assertThat(s.id()).isEqualTo("sleeper.service");
        assertThat(s.loadState()).isEqualTo("loaded");
        assertThat(s.activeState()).isEqualTo("active");
        assertThat(s.subState()).isEqualTo("running");
        assertThat(s.mainPid()).hasValue(139);
        assertThat(s.activeEnterTimestamp()).hasValue(SLEEPER_START);
        assertThat(s.uptime()).hasValue(Duration.between(SLEEPER_START, NOW));
        assertThat(s.nRestarts()).isZero();
        assertThat(s.memoryCurrent()).isEmpty();
        assertThat(s.unitFileState()).isEqualTo("static");
        assertThat(s.isActive()).isTrue();
    }

    @Test
    void failedRestartedInstanceTargetAndNotFoundFromRequestedProperties() {
        UnitStatus failing = one("show-requested-props.txt", "failing.service");
        assertThat(failing.isFailed()).isTrue();
        assertThat(failing.mainPid()).isEmpty();
        assertThat(failing.uptime()).isEmpty();
        assertThat(failing.activeEnterTimestamp()).hasValue(Instant.parse("2026-11-26T10:22:16Z"));

        assertThat(one("show-requested-props.txt", "restarter.service").nRestarts()).isEqualTo(3);
        assertThat(one("show-requested-props.txt", "hardened.service").mainPid()).hasValue(164);

        UnitStatus instance = one("show-requested-props.txt", "foo@a.service");
        assertThat(instance.instance()).hasValue("a");
        assertThat(instance.unitFileState()).isEqualTo("disabled");

        UnitStatus target = one("show-requested-props.txt", "foo.target");
        assertThat(target.isActive()).isTrue();
        assertThat(target.mainPid()).isEmpty(); // omitted for targets
        assertThat(target.nRestarts()).isZero();

        UnitStatus missing = one("show-requested-props.txt", "does-not-exist.service");
        assertThat(missing.isNotFound()).isTrue();
        assertThat(missing.isActive()).isFalse();
        assertThat(missing.activeEnterTimestamp()).isEmpty();
        assertThat(missing.unitFileState()).isEmpty();
    }

    @Test
    void multiUnitOutputIsSplitAtBlankLinesInArgumentOrder() {
        List<UnitStatus> all = parse(CapturedSamples.sections("show-multi-unit.txt").get(0));
        assertThat(all)
                .extracting(UnitStatus::id)
                .containsExactly("sleeper.service", "does-not-exist.service", "foo@b.service");
        assertThat(all)
                .extracting(UnitStatus::loadState)
                .containsExactly("loaded", "not-found", "loaded");
        assertThat(all.get(2).mainPid()).hasValue(169);
    }

    @Test
    void transitionalStatesAndTheirIsActiveAnswersAgree() {
        UnitStatus activating = one("show-transitional-states.txt", "slowstart.service");
        assertThat(activating.activeState()).isEqualTo("activating");
        assertThat(activating.subState()).isEqualTo("start");
        assertThat(activating.mainPid()).hasValue(311);
        assertThat(activating.activeEnterTimestamp()).isEmpty();
        assertThat(activating.uptime()).isEmpty();

        UnitStatus deactivating = one("show-transitional-states.txt", "slowstop.service");
        assertThat(deactivating.activeState()).isEqualTo("deactivating");
        assertThat(deactivating.isActive()).isFalse();

        assertThat(one("show-transitional-states.txt", "foo@b.service").activeState())
                .isEqualTo("inactive");
        UnitStatus never = one("show-transitional-states.txt", "rescue.service");
        assertThat(never.activeEnterTimestamp()).isEmpty();
        assertThat(never.mainPid()).isEmpty();

        UnitStatus masked = one("show-transitional-states.txt", "systemd-sysctl.service");
        assertThat(masked.isMasked()).isTrue();
        assertThat(masked.unitFileState()).isEqualTo("masked-runtime");

        // the is-active sections of the same capture: exit 3 and the same word
        for (String unit : List.of("slowstart.service", "slowstop.service")) {
            Section isActive =
                    CapturedSamples.section("show-transitional-states.txt", "is-active " + unit);
            assertThat(isActive.exitCode()).isEqualTo(3);
            assertThat(isActive.output().strip())
                    .isEqualTo(
                            one(
                                            "show-transitional-states.txt",
                                            "show -p Id,ActiveState,SubState,MainPID,ActiveEnterTimestamp,ActiveEnterTimestampMonotonic,ExecMainStartTimestamp,LoadState,UnitFileState,NRestarts,MemoryCurrent "
                                                    + unit)
                                    .activeState());
        }
    }

    @Test
    void isActiveAgreesWithSystemctlIsActiveOnTheCapturedUnits() {
        Map<String, UnitStatus> shown = new HashMap<>();
        for (Section s : CapturedSamples.sections("show-requested-props.txt")) {
            UnitStatus u = parse(s).get(0);
            shown.put(u.id(), u);
        }
        shown.put("foo@b.service", one("show-transitional-states.txt", "foo@b.service"));
        int compared = 0;
        for (Section s : CapturedSamples.sections("is-active.txt")) {
            if (!s.command().startsWith("systemctl is-active ")
                    || s.command().contains("--quiet")) {
                continue;
            }
            List<String> units =
                    List.of(
                            s.command()
                                    .replaceAll("\\s+\\([^)]*\\)\\s*$", "")
                                    .substring("systemctl is-active ".length())
                                    .split(" "));
            List<String> words = s.output().lines().toList();
            assertThat(words).hasSameSizeAs(units);
            boolean anyActive = false;
            for (int i = 0; i < units.size(); i++) {
                UnitStatus u = shown.get(units.get(i));
                assertThat(u).as(units.get(i)).isNotNull();
                assertThat(u.isActive()).as(units.get(i)).isEqualTo(words.get(i).equals("active"));
                anyActive |= u.isActive();
                compared++;
            }
            assertThat(s.exitCode()).isEqualTo(anyActive ? 0 : 3);
        }
        assertThat(compared).isGreaterThanOrEqualTo(8);
        // is-enabled answers are not used by the client; the captured exit codes are what the facts
        // say
        assertThat(
                        CapturedSamples.sections("is-active.txt").stream()
                                .filter(s -> s.command().contains("is-enabled"))
                                .map(Section::exitCode)
                                .toList())
                .containsExactly(1, 1, 0, 1);
    }

    @Test
    void timestampVariants() {
        UnitStatus unix =
                ShowOutput.toStatus(
                        "sleeper.service",
                        withState(
                                CapturedSamples.section("show-variants.txt", "--timestamp=unix")
                                        .output()),
                        NOW);
        assertThat(unix.activeEnterTimestamp()).hasValue(SLEEPER_START);

        UnitStatus micros =
                ShowOutput.toStatus(
                        "sleeper.service",
                        withState(
                                CapturedSamples.section("show-variants.txt", "--timestamp=us+utc")
                                        .output()),
                        NOW);
        assertThat(micros.activeEnterTimestamp())
                .hasValue(Instant.parse("2026-11-26T10:22:02.820217Z"));

        Section berlin = CapturedSamples.section("show-variants.txt", "TZ=Europe/Berlin");
        assertThatThrownBy(
                        () ->
                                ShowOutput.toStatus(
                                        "sleeper.service", withState(berlin.output()), NOW))
                .isInstanceOf(SystemctlOutputException.class)
                .hasMessageContaining("CET")
                .hasMessageContaining("TZ=UTC");
    }

    private static Map<String, String> withState(String output) {
        Map<String, String> block = new HashMap<>(ShowOutput.parseBlocks(output).get(0));
        block.put("LoadState", "loaded");
        block.put("ActiveState", "active");
        return block;
    }

    @Test
    void valueOnlyAndUnknownPropertyOutputsAreRefusedWithTheDocumentedException() {
        for (String cmd : List.of("--value -p ActiveState", "-P MainPID")) {
            Section s = CapturedSamples.section("show-variants.txt", cmd);
            assertThatThrownBy(() -> ShowOutput.parseBlocks(s.output()))
                    .isInstanceOf(SystemctlOutputException.class)
                    .hasMessageContaining("not Name=Value");
        }
        Section none = CapturedSamples.section("show-variants.txt", "NoSuchProperty");
        assertThat(ShowOutput.parseBlocks(none.output())).containsExactly(Map.of());
        assertThatThrownBy(() -> ShowOutput.toStatus("sleeper.service", Map.of(), NOW))
                .isInstanceOf(SystemctlOutputException.class)
                .hasMessageContaining("sleeper.service");

        Map<String, String> failing =
                ShowOutput.parseBlocks(
                                CapturedSamples.section("show-variants.txt", "Result,").output())
                        .get(0);
        assertThat(failing)
                .containsEntry("Result", "exit-code")
                .containsEntry("ExecMainStatus", "1");
    }

    @Test
    void privateUsersAndTheDirectoriesSystemdMakesWritableAreRead() {
        // what systemd 252 prints for the shipped hyper2kvm@.service (instance vsphere-prod)
        Map<String, String> block =
                ShowOutput.parseBlocks(
                                """
                Id=hyper2kvm@vsphere-prod.service
                LoadState=loaded
                ActiveState=active
                User=root
                Group=hyper2kvm-submit
                PrivateUsers=yes
                ProtectSystem=strict
                ReadWritePaths=
                StateDirectory=hyper2kvm/vsphere-prod/queue hyper2kvm/vsphere-prod/output
                CacheDirectory=hyper2kvm/vsphere-prod
                LogsDirectory=hyper2kvm/vsphere-prod
                """)
                        .get(0);

        UnitStatus s = ShowOutput.toStatus("hyper2kvm@vsphere-prod.service", block, NOW);

        assertThat(s.privateUsers()).isTrue();
        assertThat(s.stateDirectories())
                .containsExactly(
                        Path.of("hyper2kvm/vsphere-prod/queue"),
                        Path.of("hyper2kvm/vsphere-prod/output"));
        assertThat(s.writablePaths())
                .containsExactly(
                        Path.of("/var/lib/hyper2kvm/vsphere-prod/queue"),
                        Path.of("/var/lib/hyper2kvm/vsphere-prod/output"),
                        Path.of("/var/cache/hyper2kvm/vsphere-prod"),
                        Path.of("/var/log/hyper2kvm/vsphere-prod"));
        assertThat(ShowOutput.PROPERTIES)
                .contains("PrivateUsers", "StateDirectory", "CacheDirectory", "LogsDirectory");
        assertThatThrownBy(
                        () ->
                                ShowOutput.toStatus(
                                        "x.service",
                                        Map.of(
                                                "LoadState",
                                                "loaded",
                                                "ActiveState",
                                                "active",
                                                "StateDirectory",
                                                "../etc"),
                                        NOW))
                .isInstanceOf(SystemctlOutputException.class)
                .hasMessageContaining("StateDirectory entry \"../etc\"");
    }

    @Test
    void fullPropertyDumps() {
        UnitStatus hardened = one("show-all-properties-hardened.service.txt", "hardened");
        assertThat(hardened.id()).isEqualTo("hardened.service");
        assertThat(hardened.mainPid()).hasValue(164);
        assertThat(hardened.user()).hasValue("nobody");
        assertThat(hardened.group()).hasValue("nogroup");
        assertThat(hardened.privateTmp()).isTrue();
        assertThat(hardened.protectHome()).isEqualTo("yes");
        assertThat(hardened.protectSystem()).isEqualTo("strict");
        assertThat(hardened.readWritePaths()).containsExactly(Path.of("/var/lib/hardened-probe"));
        assertThat(hardened.memoryCurrent()).isEmpty();
        assertThat(hardened.result()).isEqualTo("success");
        assertThat(hardened.privateUsers()).isFalse();
        assertThat(hardened.stateDirectories()).containsExactly(Path.of("hardened-probe"));
        assertThat(hardened.cacheDirectories()).isEmpty();
        assertThat(hardened.writablePaths())
                .containsExactly(
                        Path.of("/var/lib/hardened-probe"), Path.of("/var/lib/hardened-probe"));

        UnitStatus sleeper = one("show-all-properties-sleeper.service.txt", "sleeper");
        assertThat(sleeper.isActive()).isTrue();
        assertThat(sleeper.privateTmp()).isFalse();
        assertThat(sleeper.user()).isEmpty();
        assertThat(sleeper.environment()).isEmpty();
        assertThat(sleeper.activeEnterTimestamp()).hasValue(SLEEPER_START);

        UnitStatus missing = one("show-all-properties-not-found.service.txt", "not-found");
        assertThat(missing.id()).isEqualTo("does-not-exist.service");
        assertThat(missing.isNotFound()).isTrue();
        assertThat(
                        ShowOutput.parseBlocks(
                                        CapturedSamples.read(
                                                "show-all-properties-not-found.service.txt"))
                                .get(0))
                .containsEntry(
                        "LoadError",
                        "org.freedesktop.systemd1.NoSuchUnit \"Unit does-not-exist.service not found.\"");
    }

    @Test
    void nspawnBootLooksTheSame() {
        UnitStatus s = one("nspawn-show-sleeper.txt", "sleeper");
        assertThat(s.mainPid()).hasValue(33);
        assertThat(s.unitFileState()).isEqualTo("enabled");
        assertThat(s.activeEnterTimestamp()).hasValue(Instant.parse("2026-11-26T10:30:38Z"));
    }

    @Test
    void listUnitsPlainTablesAreReadByTheirFirstColumnWithoutTheMarker() {
        Section plain =
                CapturedSamples.section(
                        "list-units.txt", "--type=service --all --no-legend --plain");
        List<String> names = InstanceQuery.firstColumn(plain.output());
        assertThat(names)
                .hasSize(31)
                .contains(
                        "failing.service",
                        "foo@a.service",
                        "foo@b.service",
                        "kmod-static-nodes.service",
                        "syslog.service",
                        "systemd-update-utmp.service");
        assertThat(names).allMatch(n -> n.endsWith(".service") && !n.contains(" "));

        Section files = CapturedSamples.section("list-units.txt", "list-unit-files --no-legend");
        assertThat(InstanceQuery.firstColumn(files.output()))
                .containsExactly(
                        "foo@.service", "hardened.service", "sleeper.service", "foo.target");

        // the default text marks failed, masked and not-found rows with a bullet: the first column
        // skips it
        Section text =
                CapturedSamples.section(
                        "list-units.txt", "list-units --type=service --all --no-pager");
        Set<String> marked =
                text.output()
                        .lines()
                        .filter(l -> l.startsWith("\u25cf"))
                        .map(l -> l.substring(2).split(" +")[0])
                        .collect(Collectors.toSet());
        assertThat(marked)
                .contains("failing.service", "kmod-static-nodes.service", "syslog.service");
        assertThat(InstanceQuery.firstColumn(text.output())).containsAll(marked);
        assertThat(
                        InstanceQuery.firstColumn(
                                CapturedSamples.section("list-units.txt", "'nomatch*'").output()))
                .isEmpty();
        assertThat(InstanceQuery.firstColumn("")).isEmpty();
    }
}
