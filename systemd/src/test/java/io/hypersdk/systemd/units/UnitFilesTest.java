package io.hypersdk.systemd.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped unit files, checked offline: {@code systemd-analyze verify} must print nothing and
 * {@code systemd-analyze security --offline=true} must score both daemons at 1.0 or lower (the
 * hardening they convert with the real hyper2kvm under, thanks to the fixed appliance) and the
 * appliance builder, which needs a few capabilities for supermin, at 2.0 or lower.
 */
class UnitFilesTest {

    private static final Pattern EXPOSURE =
            Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d)");

    @TempDir static Path work;

    @BeforeAll
    static void needsSystemdAnalyze() {
        assumeTrue(
                Exec.available("systemd-analyze"),
                "systemd-analyze is not installed (Debian package systemd; scripts/install-test-deps.sh installs it)");
    }

    /**
     * Copies of the shipped units whose ExecStart binary is a stub in {@code dir} (verify fails on
     * a missing executable), plus an instance copy hyper2kvm@vsphere-prod.service.
     */
    private static List<Path> unitCopies(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path stub = dir.resolve("hyper2kvm-stub");
        Files.writeString(stub, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Path> out = new ArrayList<>();
        for (String unit : ShippedFiles.UNITS) {
            String text = ShippedFiles.read(ShippedFiles.file(unit));
            Path copy = dir.resolve(unit);
            Files.writeString(
                    copy,
                    text.replace(ShippedFiles.BINARY, stub.toString())
                            .replace(ShippedFiles.APPLIANCE_BUILDER, stub.toString())
                            .replace("/usr/bin/hyperexport", stub.toString()));
            out.add(copy);
        }
        Path instance = dir.resolve("hyper2kvm@vsphere-prod.service");
        Files.copy(dir.resolve("hyper2kvm@.service"), instance);
        out.add(instance);
        return out;
    }

    @Test
    void everyUnitVerifiesWithoutAnyOutput() throws IOException {
        List<Path> units = unitCopies(work.resolve("verify"));
        Exec.Result r = Exec.run(Exec.argv("systemd-analyze", "verify", "--man=no", units));

        assertThat(r.output()).as("systemd-analyze verify output (must be empty)\n%s", r).isEmpty();
        assertThat(r.exitCode()).as("%s", r).isZero();
    }

    @Test
    void verifyReportsAMistakeInAUnitSoTheCheckAboveCanFail() throws IOException {
        List<Path> units = unitCopies(work.resolve("broken"));
        Path service = units.get(0);
        Files.writeString(
                service,
                Files.readString(service)
                        .replace("ProtectSystem=strict", "ProtectSystem=sometimes"));

        Exec.Result r = Exec.run(Exec.argv("systemd-analyze", "verify", "--man=no", service));

        assertThat(r.output()).contains("Failed to parse protect system value");
    }

    @Test
    void theDaemonsScoreOneOrLowerAndTheApplianceBuilderTwoOrLowerOnTheOfflineSecurityCheck()
            throws IOException {
        List<Path> units = unitCopies(work.resolve("security"));
        Map<String, Double> limits =
                Map.of(
                        "hyper2kvm.service",
                        1.0,
                        "hyper2kvm@.service",
                        1.0,
                        "hyper2kvm@vsphere-prod.service",
                        1.0,
                        "hyper2kvm-appliance.service",
                        2.0);
        for (Path unit : units) {
            Double limit = limits.get(unit.getFileName().toString());
            if (limit == null) {
                continue; // the target has no process to score
            }
            Exec.Result r =
                    Exec.run(
                            "systemd-analyze",
                            "security",
                            "--offline=true",
                            "--threshold=" + Math.round(limit * 10),
                            "--no-pager",
                            unit.toString());
            Matcher m = EXPOSURE.matcher(r.output());

            assertThat(m.find()).as("no exposure line in\n%s", r).isTrue();
            double exposure = Double.parseDouble(m.group(2));
            System.out.printf(
                    "systemd-analyze security --offline=true: %s exposure %.1f%n",
                    m.group(1), exposure);
            assertThat(exposure)
                    .as("exposure of %s", unit.getFileName())
                    .isLessThanOrEqualTo(limit);
            assertThat(r.exitCode())
                    .as("--threshold=%d must pass\n%s", Math.round(limit * 10), r)
                    .isZero();
        }
    }

    @Test
    void theDaemonsUseTheFixedApplianceBuiltBeforeThemAndAWorkDirectoryTheirUnitCleans() {
        String appliance = ShippedFiles.read(ShippedFiles.file("hyper2kvm-appliance.service"));
        assertThat(ShippedFiles.values(appliance, "Type")).containsExactly("oneshot");
        assertThat(ShippedFiles.values(appliance, "RemainAfterExit")).containsExactly("yes");
        assertThat(ShippedFiles.values(appliance, "ExecStart"))
                .contains(
                        ShippedFiles.APPLIANCE_BUILDER + " " + ShippedFiles.APPLIANCE + ".new",
                        "/bin/mv -T " + ShippedFiles.APPLIANCE + ".new " + ShippedFiles.APPLIANCE);
        for (String unit : ShippedFiles.DAEMONS) {
            String text = ShippedFiles.read(ShippedFiles.file(unit));
            assertThat(ShippedFiles.values(text, "Requires"))
                    .as(unit)
                    .containsExactly("hyper2kvm-appliance.service");
            assertThat(ShippedFiles.values(text, "After"))
                    .as(unit)
                    .contains("hyper2kvm-appliance.service");
            assertThat(ShippedFiles.values(text, "Environment"))
                    .as(unit)
                    .contains("LIBGUESTFS_PATH=" + ShippedFiles.APPLIANCE);
            // the daemon keeps the hardening that stops supermin: it must never need to run it
            assertThat(ShippedFiles.values(text, "PrivateUsers")).as(unit).containsExactly("yes");
            assertThat(ShippedFiles.values(text, "CapabilityBoundingSet"))
                    .as(unit)
                    .containsExactly("");
            assertThat(ShippedFiles.values(text, "SystemCallFilter"))
                    .as(unit)
                    .contains("~@privileged");
            // the flattened working copy lands in the unit's private /var/tmp, removed at every
            // stop
            assertThat(ShippedFiles.values(text, "PrivateTmp")).as(unit).containsExactly("yes");
            assertThat(ShippedFiles.values(text, "ExecStart"))
                    .as(unit)
                    .singleElement()
                    .satisfies(
                            e ->
                                    assertThat(e)
                                            .endsWith(
                                                    " --flatten --workdir /var/tmp/hyper2kvm-work"));
        }
    }

    @Test
    void theSecurityThresholdRejectsAnUnhardenedService() throws IOException {
        Path plain = work.resolve("plain.service");
        Files.writeString(plain, "[Service]\nExecStart=/bin/true\n");

        Exec.Result r =
                Exec.run(
                        "systemd-analyze",
                        "security",
                        "--offline=true",
                        "--threshold=20",
                        "--no-pager",
                        plain.toString());

        assertThat(r.exitCode()).as("%s", r).isNotZero();
    }

    @Test
    void bothServicesRunTheRealDaemonCommandLineWithTheirDirectoriesExported() {
        String service = ShippedFiles.read(ShippedFiles.file("hyper2kvm.service"));
        String template = ShippedFiles.read(ShippedFiles.file("hyper2kvm@.service"));

        assertThat(ShippedFiles.values(service, "ExecStart"))
                .containsExactly(
                        ShippedFiles.BINARY
                                + " --config /etc/hyper2kvm/hyper2kvm.conf --cmd daemon --watch-dir ${WATCH_DIR}"
                                + " --output-dir ${OUTPUT_DIR} --to-output disk.qcow2 --flatten --workdir /var/tmp/hyper2kvm-work");
        assertThat(ShippedFiles.values(template, "ExecStart"))
                .containsExactly(
                        ShippedFiles.BINARY
                                + " --config /etc/hyper2kvm/hyper2kvm.conf --config /etc/hyper2kvm/hyper2kvm-%i.conf --cmd daemon"
                                + " --watch-dir ${WATCH_DIR} --output-dir ${OUTPUT_DIR} --to-output disk.qcow2 --flatten"
                                + " --workdir /var/tmp/hyper2kvm-work");
        assertThat(ShippedFiles.values(service, "Environment"))
                .contains(
                        "WATCH_DIR=/var/lib/hyper2kvm/queue",
                        "OUTPUT_DIR=/var/lib/hyper2kvm/output",
                        "QUEUE_LAYOUT=disk-watch");
        assertThat(ShippedFiles.values(template, "Environment"))
                .contains(
                        "WATCH_DIR=/var/lib/hyper2kvm/%i/queue",
                        "OUTPUT_DIR=/var/lib/hyper2kvm/%i/output", "QUEUE_LAYOUT=disk-watch");
        // the directories systemd creates are exactly the ones exported to the SDK
        assertThat(ShippedFiles.values(service, "StateDirectory"))
                .containsExactly("hyper2kvm/queue hyper2kvm/output");
        assertThat(ShippedFiles.values(template, "StateDirectory"))
                .containsExactly("hyper2kvm/%i/queue hyper2kvm/%i/output");
    }

    @Test
    void theTemplateDiffersFromTheDefaultServiceOnlyInWhatNamesTheInstance() {
        List<String> service =
                ShippedFiles.directives(ShippedFiles.read(ShippedFiles.file("hyper2kvm.service")));
        List<String> template =
                ShippedFiles.directives(ShippedFiles.read(ShippedFiles.file("hyper2kvm@.service")));

        List<String> onlyInTemplate = new ArrayList<>(template);
        onlyInTemplate.removeAll(service);
        List<String> onlyInService = new ArrayList<>(service);
        onlyInService.removeAll(template);

        assertThat(onlyInTemplate).allSatisfy(d -> assertThat(d).contains("%i"));
        assertThat(onlyInService)
                .hasSize(onlyInTemplate.size() - 1); // the template's second AssertPathExists=
        assertThat(onlyInService)
                .allSatisfy(d -> assertThat(d).containsAnyOf("hyper2kvm", "default instance"));
    }

    @Test
    void theDaemonIsBoundedOnStopRestartsWithARateLimitAndBelongsToTheTarget() {
        for (String unit : List.of("hyper2kvm.service", "hyper2kvm@.service")) {
            String text = ShippedFiles.read(ShippedFiles.file(unit));

            assertThat(ShippedFiles.values(text, "Restart")).as(unit).containsExactly("on-failure");
            assertThat(ShippedFiles.values(text, "StartLimitBurst")).as(unit).hasSize(1);
            assertThat(ShippedFiles.values(text, "StartLimitIntervalSec")).as(unit).hasSize(1);
            assertThat(ShippedFiles.values(text, "TimeoutStopSec"))
                    .as(unit)
                    .hasSize(1)
                    .allSatisfy(
                            v ->
                                    assertThat(seconds(v))
                                            .isBetween(
                                                    Duration.ofSeconds(5), Duration.ofSeconds(90)));
            assertThat(ShippedFiles.values(text, "PartOf"))
                    .as(unit)
                    .containsExactly("hyper2kvm.target");
            assertThat(ShippedFiles.values(text, "WantedBy"))
                    .as(unit)
                    .containsExactly("hyper2kvm.target");
            assertThat(ShippedFiles.values(text, "MemoryMax")).as(unit).hasSize(1);
            assertThat(ShippedFiles.values(text, "TasksMax")).as(unit).hasSize(1);
            assertThat(ShippedFiles.values(text, "Group"))
                    .as(unit)
                    .containsExactly("hyper2kvm-submit");
            assertThat(ShippedFiles.values(text, "UMask")).as(unit).containsExactly("0027");
            assertThat(ShippedFiles.values(text, "StateDirectoryMode"))
                    .as(unit)
                    .containsExactly("2770");
            assertThat(ShippedFiles.values(text, "CacheDirectory")).as(unit).hasSize(1);
            assertThat(ShippedFiles.values(text, "LogsDirectory")).as(unit).hasSize(1);
        }
        String target = ShippedFiles.read(ShippedFiles.file("hyper2kvm.target"));
        assertThat(ShippedFiles.values(target, "WantedBy")).containsExactly("multi-user.target");
    }

    private static Duration seconds(String systemdTime) {
        Matcher m = Pattern.compile("(\\d+)(s|min)?").matcher(systemdTime);
        assertThat(m.matches()).as("time value %s", systemdTime).isTrue();
        long n = Long.parseLong(m.group(1));
        return "min".equals(m.group(2)) ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
    }
}
