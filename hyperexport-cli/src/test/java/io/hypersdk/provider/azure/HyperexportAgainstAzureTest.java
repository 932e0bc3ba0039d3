package io.hypersdk.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hyperexport --provider azure end to end, in its own JVM: DefaultAzureCredential restricted to the
 * Azure CLI credential (AZURE_TOKEN_CREDENTIALS=AzureCliCredential) with a stand-in {@code az} on
 * the PATH that prints a token, ARM scripted over TLS, the disk a real page blob in Azurite,
 * converted to qcow2 by qemu-img. In this package only to reach the Azure provider's test doubles.
 */
class HyperexportAgainstAzureTest {
    @TempDir static Path dir;
    static AzureFixture fixture;
    static ArmDouble arm;
    static String sas;

    @BeforeAll
    static void start() throws Exception {
        fixture = AzureFixture.start(dir);
        arm = fixture.arm;
        sas = fixture.sas(OffsetDateTime.now().plusHours(1));
        fixture.deallocatedVm(List.of(sas));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void exportsAnAzureVmAndConvertsItWithQemuImg() throws Exception {
        String token = "az-cli-token-" + UUID.randomUUID();
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        Path az = bin.resolve("az");
        // what 'az account get-access-token --output json' prints
        Files.writeString(
                az,
                "#!/bin/sh\ncat <<'JSON'\n{\"accessToken\": \""
                        + token
                        + "\", \"expiresOn\": \"2099-01-01 00:00:00.000000\","
                        + " \"expires_on\": 4070908800, \"subscription\": \""
                        + ArmDouble.SUBSCRIPTION
                        + "\","
                        + " \"tenant\": \"00000000-0000-0000-0000-000000000001\", \"tokenType\": \"Bearer\"}\nJSON\n");
        Files.setPosixFilePermissions(az, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = dir.resolve("out");
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "--add-opens=java.base/java.io=ALL-UNNAMED",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.hypersdk.cli.export.HyperExport",
                                "--provider",
                                "azure",
                                "--provider-option",
                                "subscription=" + ArmDouble.SUBSCRIPTION,
                                "--provider-option",
                                "resource-group=" + ArmDouble.GROUP,
                                "--provider-option",
                                "endpoint=" + arm.endpoint(),
                                "--provider-option",
                                "ca-file=" + arm.caPem,
                                "--vm",
                                "myVM",
                                "--output",
                                out.toString(),
                                "--pipeline",
                                "--converter",
                                "qemu-img",
                                "--json"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet()
                .removeIf(
                        k ->
                                k.startsWith("AZURE_")
                                        || k.startsWith("IDENTITY_")
                                        || k.startsWith("MSI_"));
        env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("AZURE_TOKEN_CREDENTIALS", "AzureCliCredential");
        Path stdout = dir.resolve("stdout.json");
        Path stderr = dir.resolve("stderr.txt");
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(stderr);
        String json = Files.readString(stdout);
        assertThat(p.exitValue()).as("stdout=%s%nstderr=%s", json, err).isZero();
        JsonNode r = new ObjectMapper().readTree(json).at("/results/0");
        assertThat(r.get("status").asText()).isEqualTo("success");
        Path disk = out.resolve("myVM-disk-0.vhd");
        assertThat(Files.mismatch(disk, fixture.vhd))
                .as("the page blob, byte for byte")
                .isEqualTo(-1L);
        Path qcow2 = Path.of(r.at("/pipeline/outputs/0").asText());
        assertThat(
                        TestDisks.run(
                                List.of(
                                        "qemu-img",
                                        "compare",
                                        "-f",
                                        "raw",
                                        "-F",
                                        "qcow2",
                                        TestDisks.raw(fixture.vhd).toString(),
                                        qcow2.toString())))
                .contains("Images are identical");
        String manifest = Files.readString(out.resolve("artifact-manifest.json"));
        JsonNode m = new ObjectMapper().readTree(manifest);
        assertThat(m.at("/disks/0/source_format").asText()).isEqualTo("vhd");
        assertThat(m.at("/source/provider").asText()).isEqualTo("azure");
        // the token came from the Azure CLI credential and reached ARM as a bearer token
        List<LoggedRequest> calls = arm.requests();
        assertThat(calls)
                .isNotEmpty()
                .allSatisfy(
                        c -> assertThat(c.getHeader("Authorization")).isEqualTo("Bearer " + token));
        assertThat(arm.revokeCalls("myOsDisk")).isEqualTo(1);
        String sig = AzureFixture.signature(sas);
        for (Map.Entry<String, String> shown :
                Map.of("stdout", json, "stderr", err, "manifest", manifest).entrySet()) {
            assertThat(shown.getValue())
                    .as(shown.getKey())
                    .doesNotContain(sig)
                    .doesNotContain(token);
        }
    }
}
