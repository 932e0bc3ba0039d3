package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.Cancellation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks before the long work (issue 14, defect 6): what the conversion will need is checked before
 * the export, so a bad setting fails in seconds with exit 4, nothing downloaded and no output
 * directory created. The daemon's directories are checked in {@link DaemonModeTest}.
 */
class PreflightTest {
    @TempDir Path tmp;

    private Cli.Result run(Map<String, String> env, String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "--provider",
                                "recording",
                                "--vm",
                                "alpha",
                                "--output",
                                tmp.resolve("out").toString(),
                                "--pipeline"));
        all.addAll(List.of(args));
        return Cli.run(env, Cancellation.create(), all.toArray(String[]::new));
    }

    private void nothingWasExported() {
        assertThat(tmp.resolve("out")).as("no output directory was created").doesNotExist();
        assertThat(RecordingProvider.REQUESTS)
                .as("the provider was never asked to export")
                .noneMatch(r -> r.outputDirectory().startsWith(tmp));
    }

    @Test
    void requireDaemonOnAHostWithoutSystemdFailsBeforeTheExportWithoutSystemctlStartAdvice() {
        // this host's /usr/bin/systemctl answers "System has not been booted with systemd"
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/systemctl")),
                "needs a systemctl that finds no systemd");
        Cli.Result r =
                run(Map.of("PATH", "/usr/bin:/bin"), "--hyper2kvm-daemon", "--require-daemon");
        r.failsWith(4, "hyper2kvm.service", "no usable systemd", "--require-daemon");
        assertThat(r.err()).doesNotContain("systemctl start");
        nothingWasExported();
    }

    @Test
    void aMissingConverterFailsBeforeTheExport() throws IOException {
        Path missing = tmp.resolve("no-such-hyper2kvm");
        run(Map.of(), "--hyper2kvm-path", missing.toString())
                .failsWith(4, "hyper2kvm not found", missing.toString(), "--hyper2kvm-path");
        nothingWasExported();
    }

    @Test
    void anUnreachableLibvirtFailsBeforeTheExport() throws IOException {
        Path h2k = Cli.standin(Files.createDirectories(tmp.resolve("bin")), Map.of());
        String uri = "test://" + tmp.resolve("no-such-node.xml");
        run(Map.of(), "--hyper2kvm-path", h2k.toString(), "--libvirt", "--libvirt-uri", uri)
                .failsWith(4, "cannot connect to libvirt at " + uri, "--libvirt-uri");
        nothingWasExported();
    }
}
