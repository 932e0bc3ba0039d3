package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypersdk.cli.ctl.ExitCodes;
import io.hypersdk.systemd.testing.SystemdFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/hyperctl (at the repository root) against the packaged build (target/): jar, lib/, class path
 * file and CDS archive.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("../bin/hyperctl").toAbsolutePath().normalize();

    record Run(int exitCode, String out, String err) {}

    @Test
    void launcherStartsWithTheClassDataSharingArchiveMadeAtBuildTime() throws Exception {
        assertThat(Path.of("target/hyperctl.jsa")).isRegularFile();
        // -Xshare:on: the JVM refuses to start when the archive does not match the jars
        Run r = run(Map.of("HYPERCTL_JAVA_OPTS", "-Xshare:on"), "--version");

        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("hyperctl ");
    }

    @Test
    void launcherWithoutABuildSaysHowToMakeOne(@TempDir Path dir) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("checkout/bin")).resolve("hyperctl");
        Files.copy(LAUNCHER, copy);
        Process p =
                new ProcessBuilder(
                                List.of("env", "-u", "HYPERCTL_HOME", copy.toString(), "--version"))
                        .start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(err)
                .startsWith("hyperctl: not built yet")
                .contains(
                        "mvn -B -q -pl hyperctl-cli -am package -DskipTests' in "
                                + dir.resolve("checkout"));
    }

    @Test
    void launcherPassesArgumentsAndExitCodesThrough() throws Exception {
        Run r = run(Map.of(), "daemon", "-op", "status", "-instance", "../x");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("hyperctl: invalid instance name '../x'");
    }

    @Test
    void launcherListsTheInstancesOfARealSystemd(@TempDir Path dir) throws Exception {
        Path units = dir.resolve("units");
        Files.createDirectories(units.resolve("fixture.target.wants"));
        Files.writeString(
                units.resolve("hyper2kvm@.service"),
                "[Service]\nExecStart=/bin/sleep infinity\n"
                        + "Environment=WATCH_DIR="
                        + dir
                        + "/%i/queue OUTPUT_DIR="
                        + dir
                        + "/%i/output\n"
                        + "[Install]\nWantedBy=fixture.target\n");
        for (String name : List.of("one", "two")) {
            Files.createSymbolicLink(
                    units.resolve("fixture.target.wants/hyper2kvm@" + name + ".service"),
                    Path.of("../hyper2kvm@.service"));
            Files.createDirectories(dir.resolve(name + "/queue/to_be_processed"));
        }
        Files.writeString(dir.resolve("two/queue/to_be_processed/job.json"), "{}");
        try (SystemdFixture fixture = SystemdFixture.start(units)) {
            Run r =
                    run(
                            Map.of("HYPERCTL_SYSTEMCTL", fixture.systemctlWrapper().toString()),
                            "daemon",
                            "-op",
                            "list",
                            "-json");

            assertThat(r.err()).isEmpty();
            assertThat(r.exitCode()).isEqualTo(ExitCodes.ACTIVE);
            JsonNode doc = new ObjectMapper().readTree(r.out());
            assertThat(doc.get("total").asInt()).isEqualTo(2);
            assertThat(doc.get("instances").get(1).get("name").asText()).isEqualTo("two");
            assertThat(doc.get("instances").get(1).get("queue").get("waiting").asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void launcherSaysSoWhenTheHostHasNoSystemd(@TempDir Path dir) throws Exception {
        Path systemctl = dir.resolve("systemctl");
        Files.writeString(
                systemctl,
                "#!/bin/sh\n"
                        + "echo 'System has not been booted with systemd as init system (PID 1). Can'\\''t operate.' >&2\n"
                        + "echo 'Failed to connect to bus: Host is down' >&2\nexit 1\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwx------"));

        Run r = run(Map.of(), "daemon", "list", "--systemctl", systemctl.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NO_SYSTEMD);
        assertThat(r.err()).startsWith("hyperctl: this host was not booted with systemd");
    }

    @Test
    void launcherRunsUnderThePosixLocaleWithANonAsciiPath(@TempDir Path dir) throws Exception {
        // a systemctl in a directory whose name is not ASCII; under the POSIX locale (env -i: no
        // LANG, LC_*) Java would decode the argument as ASCII and not find it
        Path systemctl = Files.createDirectories(dir.resolve("\u00fcn\u00ef")).resolve("systemctl");
        Files.writeString(
                systemctl,
                "#!/bin/sh\n"
                        + "echo 'System has not been booted with systemd as init system (PID 1). Can'\\''t operate.' >&2\n"
                        + "exit 1\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwx------"));
        List<String> argv =
                List.of(
                        "env",
                        "-i",
                        "PATH=" + System.getenv("PATH"),
                        "JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
                        LAUNCHER.toString(),
                        "daemon",
                        "list",
                        "--systemctl",
                        systemctl.toString());

        Process p = new ProcessBuilder(argv).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(err).startsWith("hyperctl: this host was not booted with systemd");
        assertThat(p.exitValue()).as("exit code; stdout %s", out).isEqualTo(ExitCodes.NO_SYSTEMD);
    }

    private static Run run(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(LAUNCHER.toString());
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().remove("HYPERCTL_SYSTEMCTL");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(
                p.exitValue(),
                new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }
}
