package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/hyperexport against the packaged build (target/ jar and lib/), run after {@code package}. */
class LauncherIT {
    private static final Path LAUNCHER = Cli.REPO.resolve("bin/hyperexport");

    @Test
    void launcherExportsFromAndToNonAsciiDirectoriesUnderThePosixLocale(@TempDir Path tmp)
            throws Exception {
        Path vms = Files.createDirectories(tmp.resolve("vms-\u00fcn\u00ef"));
        Path ova = Files.copy(Cli.SAMPLE, vms.resolve("sample-appliance.ova"));
        Path out = tmp.resolve("out-\u00eb");
        // env -i: no LANG or LC_*, the POSIX locale of cron, systemd units and bare CI shells
        List<String> argv =
                List.of(
                        "env",
                        "-i",
                        "PATH=" + System.getenv("PATH"),
                        LAUNCHER.toString(),
                        "--provider",
                        "local",
                        "--vm",
                        ova.toString(),
                        "--output",
                        out.toString(),
                        "--pipeline",
                        "--converter",
                        "qemu-img");

        Process p = new ProcessBuilder(argv).start();
        p.getOutputStream().close();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as("exit code; stdout=%s%nstderr=%s", stdout, stderr).isZero();
        assertThat(stdout)
                .contains(
                        "exported sample-appliance (" + ova + ") to " + out,
                        "image: " + out.resolve("sample-appliance-disk-0.qcow2"));
        assertThat(out.resolve("sample-appliance-disk-0.qcow2")).isRegularFile();
        assertThat(out.resolve("artifact-manifest.json"))
                .content(StandardCharsets.UTF_8)
                .contains(out.toString());
    }
}
