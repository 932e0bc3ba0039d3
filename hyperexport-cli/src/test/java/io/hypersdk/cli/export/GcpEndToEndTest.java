package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.provider.gcp.GceImages;
import io.hypersdk.provider.gcp.GcpDouble;
import io.hypersdk.provider.gcp.GcsDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyperexport --provider gcp ... --pipeline --converter qemu-img} as a separate JVM, with
 * Application Default Credentials only (a service account key in GOOGLE_APPLICATION_CREDENTIALS
 * whose token endpoint is the double), against the scripted Compute Engine / Cloud Build double and
 * the Cloud Storage double on loopback; the exported objects are real tar/qemu-made images.
 */
class GcpEndToEndTest {
    @TempDir static Path images;
    static Path raw;
    static Path tarball;
    static Path vmdk;
    @TempDir Path dir;
    GcpDouble gcp;
    GcsDouble gcs;

    @BeforeAll
    static void makeImages() throws Exception {
        assumeTrue(GceImages.toolsAvailable(), "qemu-img, qemu-io and GNU tar are needed");
        raw = GceImages.raw(images.resolve("disk.raw"), 1, new long[] {0, 700L << 20}, 1 << 20);
        tarball = GceImages.tarball(raw, images.resolve("export.tar.gz"));
        vmdk = GceImages.vmdk(raw, images.resolve("export.vmdk"));
    }

    @BeforeEach
    void start() throws Exception {
        gcp = new GcpDouble().instance("TERMINATED", true).images();
        gcs = new GcsDouble(GcpDouble.TOKEN);
    }

    @AfterEach
    void stop() {
        gcp.close();
        gcs.close();
    }

    Map<String, String> env() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("GOOGLE_APPLICATION_CREDENTIALS", gcp.credentialsFile(dir).toString());
        env.put("CLOUDSDK_CONFIG", dir.resolve("no-gcloud").toString());
        env.put("NO_GCE_CHECK", "true");
        return env;
    }

    String options(String extra) {
        return "project="
                + GcpDouble.PROJECT
                + ",zone="
                + GcpDouble.ZONE
                + ",bucket=exports,compute-endpoint="
                + gcp.endpoint()
                + ",cloudbuild-endpoint="
                + gcp.endpoint()
                + ",storage-endpoint="
                + gcs.endpoint()
                + ",poll-interval=PT0.05S"
                + extra;
    }

    List<Path> succeeded(Cli.Result r, Path out) throws Exception {
        r.succeeds();
        JsonNode res = r.json().at("/results/0");
        assertThat(res.get("status").asText()).isEqualTo("success");
        ArtifactManifest m = ManifestCodec.read(out.resolve("artifact-manifest.json"));
        ManifestValidator.requireValid(m, ValidationOptions.withDiskFiles());
        List<Path> outputs = new ArrayList<>();
        res.at("/pipeline/outputs").forEach(n -> outputs.add(Path.of(n.asText())));
        assertThat(outputs).hasSize(2);
        for (Path p : outputs) {
            assertThat(GceImages.run("qemu-img", "compare", raw.toString(), p.toString()))
                    .contains("Images are identical");
        }
        noTokenIn(r, out);
        return outputs;
    }

    void noTokenIn(Cli.Result r, Path out) throws Exception {
        Map<String, String> shown = new HashMap<>(Map.of("stdout", r.out(), "stderr", r.err()));
        if (Files.exists(out.resolve("artifact-manifest.json"))) {
            shown.put("manifest", Files.readString(out.resolve("artifact-manifest.json")));
        }
        shown.forEach(
                (what, text) ->
                        assertThat(text)
                                .as(what)
                                .doesNotContain(GcpDouble.TOKEN)
                                .doesNotContain("ya29."));
    }

    @Test
    void theNativeTarballExportConvertsToIdenticalImages() throws Exception {
        gcp.build(1, "SUCCESS", "");
        gcs.putAny("exports", ".tar.gz", tarball);
        Path out = dir.resolve("out");
        Cli.Result r =
                Cli.process(
                        dir,
                        env(),
                        "--provider",
                        "gcp",
                        "--vm",
                        GcpDouble.NAME,
                        "--provider-option",
                        options(""),
                        "--output",
                        out.toString(),
                        "--pipeline",
                        "--converter",
                        "qemu-img",
                        "--json");
        succeeded(r, out);
        assertThat(Files.readString(out.resolve("artifact-manifest.json")))
                .contains("\"firmware\": \"uefi\"");
    }

    @Test
    void theVmdkExportConvertsToIdenticalImages() throws Exception {
        gcp.build(1, "SUCCESS", "");
        gcs.putAny("exports", ".vmdk", vmdk);
        Path out = dir.resolve("out");
        Cli.Result r =
                Cli.process(
                        dir,
                        env(),
                        "--provider",
                        "gcp",
                        "--vm",
                        GcpDouble.ZONE + "/" + GcpDouble.NAME,
                        "--provider-option",
                        options(",format=vmdk"),
                        "--output",
                        out.toString(),
                        "--pipeline",
                        "--converter",
                        "qemu-img",
                        "--json");
        succeeded(r, out);
        assertThat(Files.readString(out.resolve("artifact-manifest.json")))
                .contains("\"source_format\": \"vmdk\"");
    }

    @Test
    void aFailedBuildExitsThreeWithTheBuildsError() throws Exception {
        gcp.build(
                0,
                "FAILURE",
                "failed to export image: the image is too large for the destination bucket");
        Path out = dir.resolve("out");
        Cli.Result r =
                Cli.process(
                        dir,
                        env(),
                        "--provider",
                        "gcp",
                        "--vm",
                        GcpDouble.NAME,
                        "--provider-option",
                        options(""),
                        "--output",
                        out.toString());
        r.failsWith(
                3,
                "failed to export image: the image is too large for the destination bucket",
                GcpDouble.BUILD_ID);
        noTokenIn(r, out);
    }
}
