package io.hypersdk.provider.vsphere;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hyperexport with its default provider (vsphere) against VMware's simulator (vcsim, driven by the
 * vSphere provider's test driver): credentials only in the GOVC_* environment, a real VMDK uploaded
 * to the simulated datastore, exported over NFC and converted with qemu-img. In this package only
 * to reach the package-private simulator driver.
 */
class HyperexportAgainstVcsimTest {
    @TempDir static Path dir;
    static Vcsim sim;
    static Path vmdk;

    @BeforeAll
    static void startSimulatorWithARealDisk() throws Exception {
        sim = Vcsim.start(dir);
        vmdk = Vcsim.makeVmdk(dir, "web-disk.vmdk", 1024 * 1024);
        try (VimClient vim = sim.clientBuilder().build()) {
            vim.login();
            ManagedObjectReference ref = vim.findByInventoryPath("DC0/vm/DC0_H0_VM0").orElseThrow();
            if (vim.virtualMachine(ref).powerState().orElseThrow() != PowerState.OFF) {
                vim.powerOff(ref);
            }
            sim.upload(vim, "DC0_H0_VM0/disk1.vmdk", vmdk);
        }
    }

    @AfterAll
    static void stopSimulator() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void theDefaultProviderExportsFromVsphereWithTheGovcEnvironmentAndConverts() throws Exception {
        Path out = dir.resolve("out");
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "--add-opens=java.base/java.io=ALL-UNNAMED",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.hypersdk.cli.export.HyperExport",
                                "--vm",
                                "DC0/vm/DC0_H0_VM0",
                                "--output",
                                out.toString(),
                                "--pipeline",
                                "--converter",
                                "qemu-img",
                                "--json"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(sim.govcEnvironment());
        Path stdout = dir.resolve("stdout.json");
        Path stderr = dir.resolve("stderr.txt");
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(stderr);
        assertThat(p.exitValue()).as(err).isZero();
        String json = Files.readString(stdout);
        JsonNode r = new ObjectMapper().readTree(json).at("/results/0");
        assertThat(r.get("status").asText()).isEqualTo("success");
        Path disk = out.resolve("DC0_H0_VM0-disk-0.vmdk");
        assertThat(r.get("exported_files").toString()).contains(disk.toString());
        assertThat(Files.mismatch(disk, vmdk))
                .as("the uploaded VMDK, byte for byte")
                .isEqualTo(-1L);
        assertThat(Path.of(r.at("/pipeline/outputs/0").asText())).isRegularFile();
        // the password travels in the environment only: never in the output or the manifest
        String password = sim.govcEnvironment().get("GOVC_PASSWORD");
        Map<String, String> shown =
                Map.of(
                        "stdout",
                        json,
                        "stderr",
                        err,
                        "manifest",
                        Files.readString(out.resolve("artifact-manifest.json")));
        shown.forEach(
                (what, text) ->
                        assertThat(text)
                                .as(what)
                                .doesNotContain(":" + password + "@")
                                .doesNotContain("\"" + password + "\""));
    }
}
