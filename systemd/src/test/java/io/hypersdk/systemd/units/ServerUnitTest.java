package io.hypersdk.systemd.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hypersdk-server.service, checked offline like the daemons' units: {@code systemd-analyze verify}
 * prints nothing and {@code systemd-analyze security --offline=true} scores it at 1.5 or lower (1.3
 * measured: a JVM that serves HTTP and reaches the providers keeps its network, its JIT and the
 * submitters' group).
 */
class ServerUnitTest {
    private static final String UNIT = "hypersdk-server.service";
    private static final String LAUNCHER = "/usr/bin/hyperexport";
    private static final double EXPOSURE_LIMIT = 1.5;

    @TempDir static Path work;

    @BeforeAll
    static void needsSystemdAnalyze() {
        assumeTrue(
                Exec.available("systemd-analyze"),
                "systemd-analyze is not installed (Debian package systemd; scripts/install-test-deps.sh installs it)");
    }

    /** A copy whose launcher is a stub (verify fails on a missing executable). */
    private static Path copy() throws IOException {
        Path stub = work.resolve("hyperexport-stub");
        if (!Files.exists(stub)) {
            Files.writeString(stub, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path copy = work.resolve(UNIT);
        Files.writeString(
                copy,
                ShippedFiles.read(ShippedFiles.file(UNIT)).replace(LAUNCHER, stub.toString()));
        return copy;
    }

    @Test
    void theUnitVerifiesWithoutAnyOutputAndScoresUnderTheBound() throws IOException {
        Path unit = copy();

        Exec.Result verify = Exec.run("systemd-analyze", "verify", "--man=no", unit.toString());
        Exec.Result security =
                Exec.run(
                        "systemd-analyze",
                        "security",
                        "--offline=true",
                        "--threshold=" + Math.round(EXPOSURE_LIMIT * 10),
                        "--no-pager",
                        unit.toString());

        assertThat(verify.output()).as("systemd-analyze verify output\n%s", verify).isEmpty();
        assertThat(verify.exitCode()).isZero();
        Matcher m =
                Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)")
                        .matcher(security.output());
        assertThat(m.find()).as("no exposure line in\n%s", security).isTrue();
        double exposure = Double.parseDouble(m.group(1));
        System.out.printf(
                "systemd-analyze security --offline=true: %s exposure %.1f%n", UNIT, exposure);
        assertThat(exposure).isLessThanOrEqualTo(EXPOSURE_LIMIT);
        assertThat(security.exitCode()).as("%s", security).isZero();
    }

    @Test
    void itServesOnLoopbackFromItsStateDirectoryAsADynamicUserOfTheSubmittersGroup() {
        String text = ShippedFiles.read(ShippedFiles.file(UNIT));

        assertThat(text)
                .contains(
                        "ExecStart="
                                + LAUNCHER
                                + " serve --listen 127.0.0.1:8080 --state-dir /var/lib/hypersdk-server"
                                + " --export-root /var/lib/hyper2kvm/exports",
                        "\nStateDirectory=hypersdk-server\n",
                        "\nDynamicUser=yes\n",
                        "\nSupplementaryGroups=hyper2kvm-submit\n",
                        "\nReadWritePaths=-/var/lib/hyper2kvm\n",
                        "\nCapabilityBoundingSet=\n");
    }

    @Test
    void theBoundRejectsAnUnhardenedServer() throws IOException {
        Path bare = work.resolve("bare-server.service");
        Files.writeString(
                bare, "[Service]\nExecStart=" + work.resolve("hyperexport-stub") + " serve\n");
        copy();

        Exec.Result r =
                Exec.run(
                        "systemd-analyze",
                        "security",
                        "--offline=true",
                        "--threshold=" + Math.round(EXPOSURE_LIMIT * 10),
                        "--no-pager",
                        bare.toString());

        assertThat(r.exitCode()).as("%s", r).isNotZero();
    }
}
