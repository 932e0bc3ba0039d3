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
        // SLF4J is told its provider (CliStartup) and keeps its own reports at WARN
        assertThat(stderr).doesNotContain("SLF4J");
        assertThat(stdout)
                .contains(
                        "exported sample-appliance (" + ova + ") to " + out,
                        "image: " + out.resolve("sample-appliance-disk-0.qcow2"));
        assertThat(out.resolve("sample-appliance-disk-0.qcow2")).isRegularFile();
        assertThat(out.resolve("artifact-manifest.json"))
                .content(StandardCharsets.UTF_8)
                .contains(out.toString());
    }

    @Test
    void exportsRunOnTheSerialCollectorWhileServeAndAUserChoiceKeepTheirs(@TempDir Path tmp)
            throws Exception {
        assertThat(collector(tmp, "", "--vm", "/nonexistent.ova", "--output", tmp + "/o"))
                .isEqualTo("Serial");
        assertThat(collector(tmp, "-XX:+UseParallelGC", "--vm", "/nonexistent.ova"))
                .isEqualTo("Parallel");
        assertThat(collector(tmp, "", "serve", "--help")).isEqualTo("G1");
    }

    /** The collector the launcher's JVM used ("Serial", "G1", ...), from its GC log. */
    private static String collector(Path tmp, String javaOpts, String... args) throws Exception {
        Path log = tmp.resolve("gc-" + System.nanoTime() + ".log");
        List<String> argv = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("HYPEREXPORT_JAVA_OPTS", "-Xlog:gc:file=" + log + " " + javaOpts);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String first = Files.readAllLines(log, StandardCharsets.UTF_8).get(0);
        assertThat(first).contains("Using ");
        return first.substring(first.indexOf("Using ") + "Using ".length()).trim();
    }
}
