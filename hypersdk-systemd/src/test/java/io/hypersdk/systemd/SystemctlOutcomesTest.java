package io.hypersdk.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.systemd.CapturedSamples.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed outcomes of SystemdClient: no systemd on the host, systemctl missing, timeout, other
 * failures. Outputs that the fixture cannot produce are replayed from the captures by a stand-in
 * systemctl (a shell script printing the captured text and exit code).
 */
class SystemctlOutcomesTest {
    @TempDir Path dir;

    private Path replaying(Section s) throws IOException {
        Path err = dir.resolve("stderr.txt");
        Files.writeString(err, s.output());
        Path script = dir.resolve("systemctl");
        Files.writeString(script, "#!/bin/sh\ncat '" + err + "' >&2\nexit " + s.exitCode() + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void everyCapturedNoSystemdAnswerBecomesSystemdUnavailable() throws IOException {
        int seen = 0;
        for (Section s : CapturedSamples.sections("host-no-systemd.txt")) {
            if (s.command().contains("is-system-running")) {
                continue; // prints "offline" on stdout; the client never asks it
            }
            SystemdClient client = SystemdClient.builder().systemctl(replaying(s)).build();
            assertThatThrownBy(() -> client.status(UnitName.service("hyper2kvm")))
                    .as(s.command())
                    .isInstanceOf(SystemdUnavailableException.class)
                    .hasMessageContaining("systemd is not available on this host");
            seen++;
        }
        assertThat(seen).isEqualTo(4);
    }

    @Test
    void realSystemctlOnAHostNotBootedWithSystemdIsSystemdUnavailable() throws IOException {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/systemctl")),
                "systemctl is not installed on this host");
        String init = Files.readString(Path.of("/proc/1/comm")).strip();
        assumeFalse(
                init.equals("systemd"),
                "this host runs systemd as PID 1; the no-systemd case cannot be observed here");
        SystemdClient client =
                SystemdClient.builder().systemctl(Path.of("/usr/bin/systemctl")).build();

        assertThatThrownBy(() -> client.status(UnitName.service("hyper2kvm")))
                .isInstanceOf(SystemdUnavailableException.class)
                .hasMessageContaining("has not been booted with systemd");
        assertThatThrownBy(() -> client.instances("hyper2kvm"))
                .isInstanceOf(SystemdUnavailableException.class);
        assertThatThrownBy(() -> client.isActive(UnitName.service("hyper2kvm")))
                .isInstanceOf(SystemdUnavailableException.class);
    }

    @Test
    void missingSystemctlIsSystemctlNotFound() {
        SystemdClient client =
                SystemdClient.builder().systemctl(dir.resolve("no/such/systemctl")).build();

        assertThatThrownBy(() -> client.status(UnitName.service("hyper2kvm")))
                .isInstanceOf(SystemctlNotFoundException.class)
                .hasMessageContaining(dir.resolve("no/such/systemctl").toString())
                .hasMessageContaining("not found");
    }

    @Test
    @Timeout(30) // the script's child sleeps 60 s: only the 1.5 s timeout ends the call sooner
    void systemctlThatHangsIsKilledAndReportedAsTimeout() throws IOException, InterruptedException {
        Path pidFile = dir.resolve("pid");
        Path script = dir.resolve("systemctl");
        Files.writeString(script, "#!/bin/sh\nsleep 60 &\necho $! > '" + pidFile + "'\nwait\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        SystemdClient client =
                SystemdClient.builder().systemctl(script).timeout(Duration.ofMillis(1500)).build();

        assertThatThrownBy(() -> client.status(UnitName.service("hyper2kvm")))
                .isInstanceOfSatisfying(
                        SystemctlTimeoutException.class,
                        e -> assertThat(e.timeout()).isEqualTo(Duration.ofMillis(1500)))
                .hasMessageContaining("did not answer within 1500 ms");
        long sleeper = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(Processes.goneWithin(sleeper, Duration.ofSeconds(2)))
                .as("the hanging systemctl's child")
                .isTrue();
    }

    @Test
    void invalidUnitNameRefusedBySystemctlIsACommandFailureWithItsMessage() throws IOException {
        Section s = CapturedSamples.section("show-variants.txt", "bad unit name!");
        SystemdClient client = SystemdClient.builder().systemctl(replaying(s)).build();

        assertThatThrownBy(() -> client.status(UnitName.service("hyper2kvm")))
                .isInstanceOfSatisfying(
                        SystemctlCommandException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("exit code 1")
                .hasMessageContaining("Invalid unit name");
    }

    @Test
    void outputWithTheWrongNumberOfBlocksIsAnOutputError() throws IOException {
        Path script = dir.resolve("systemctl");
        Files.writeString(
                script,
                "#!/bin/sh\nprintf 'Id=a.service\\nLoadState=loaded\\nActiveState=active\\n'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        SystemdClient client = SystemdClient.builder().systemctl(script).build();

        assertThatThrownBy(
                        () -> client.status(List.of(UnitName.service("a"), UnitName.service("b"))))
                .isInstanceOf(SystemctlOutputException.class)
                .hasMessageContaining("1 blocks for 2 units");
        assertThat(client.status(List.of())).isEmpty();
    }
}
