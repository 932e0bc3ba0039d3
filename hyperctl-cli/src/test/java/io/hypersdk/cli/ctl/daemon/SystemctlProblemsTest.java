package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.cli.ctl.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What hyperctl says when systemctl itself is the problem. */
class SystemctlProblemsTest {

    @ParameterizedTest
    @ValueSource(strings = {"missing/systemctl", "not-executable", "."})
    void missingOrUnrunnableSystemctlHasItsOwnCodeAndNamesTheOption(String name, @TempDir Path dir)
            throws IOException {
        Files.writeString(dir.resolve("not-executable"), "#!/bin/sh\nexit 0\n");
        String path = dir.resolve(name).normalize().toString();

        Cli r = Cli.run("daemon", "list", "--systemctl", path);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NO_SYSTEMCTL);
        assertThat(r.err()).contains(path).contains("--systemctl");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"echo garbage", "echo 'Failed to list units: Access denied' >&2; exit 1"})
    void unreadableAnswerIsAFailureWithSystemctlsMessage(String body, @TempDir Path dir)
            throws IOException {
        Path systemctl = dir.resolve("systemctl");
        Files.writeString(systemctl, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwx------"));

        Cli r = Cli.run("daemon", "list", "--systemctl", systemctl.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("hyperctl: ").contains("systemctl");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void environmentVariableChoosesTheSystemctlWhenNoOptionIsGiven(@TempDir Path dir)
            throws Exception {
        Path calls = dir.resolve("calls.log");
        Path systemctl = dir.resolve("systemctl");
        Files.writeString(
                systemctl,
                "#!/bin/sh\necho \"$*\" >> '"
                        + calls
                        + "'\n"
                        + "echo 'System has not been booted with systemd as init system (PID 1). Can'\\''t operate.' >&2\n"
                        + "echo 'Failed to connect to bus: Host is down' >&2\nexit 1\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.hypersdk.cli.ctl.Hyperctl",
                                "daemon",
                                "-op",
                                "list")
                        .redirectOutput(dir.resolve("out").toFile())
                        .redirectError(dir.resolve("err").toFile());
        pb.environment().put("HYPERCTL_SYSTEMCTL", systemctl.toString());

        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).isEqualTo(ExitCodes.NO_SYSTEMD);
        assertThat(Files.readString(dir.resolve("err")))
                .startsWith("hyperctl: this host was not booted with systemd");
        assertThat(Files.readString(calls)).contains("show").contains("hyper2kvm@*.service");
    }
}
