package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.provider.aws.AwsDouble;
import io.hypersdk.provider.aws.DiskImage;
import io.hypersdk.provider.aws.S3Double;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyperexport --provider aws ... --pipeline --converter qemu-img} as a separate JVM, with
 * credentials only in the environment (the AWS SDK's default chain), against the scripted EC2/EBS
 * double and S3Proxy on loopback; the volumes are real qemu-made images.
 */
class AwsEndToEndTest {
    static final String KEY_ID = "AKIDHYPERSDKE2E00001";
    static final String SECRET = "e2e-secret-that-must-never-be-printed-7f3a";

    @TempDir static Path images;
    static DiskImage root;
    static DiskImage data;
    @TempDir Path dir;
    AwsDouble aws;

    @BeforeAll
    static void makeImages() throws Exception {
        assumeTrue(DiskImage.toolsAvailable(), "qemu-img and qemu-io are needed");
        root = DiskImage.create(images.resolve("root.raw"), 1, new long[] {0, 512L << 20}, 1 << 20);
        data = DiskImage.create(images.resolve("data.raw"), 1, new long[] {7L << 20}, 2 << 20);
    }

    @BeforeEach
    void start() {
        aws = new AwsDouble().instance(1, 1);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        return env;
    }

    /** Exit 0, the manifest validates, the converted images check clean; returns the outputs. */
    List<Path> succeeded(Cli.Result r, Path out) throws Exception {
        r.succeeds();
        JsonNode res = r.json().at("/results/0");
        assertThat(res.get("status").asText()).isEqualTo("success");
        ArtifactManifest m = ManifestCodec.read(out.resolve("artifact-manifest.json"));
        ManifestValidator.requireValid(m, ValidationOptions.withDiskFiles());
        List<Path> outputs = new java.util.ArrayList<>();
        res.at("/pipeline/outputs").forEach(n -> outputs.add(Path.of(n.asText())));
        for (Path p : outputs) {
            assertThat(DiskImage.run("qemu-img", "check", p.toString()))
                    .contains("No errors were found");
        }
        noSecretIn(r, out);
        return outputs;
    }

    void noSecretIn(Cli.Result r, Path out) throws Exception {
        Map<String, String> shown = new HashMap<>(Map.of("stdout", r.out(), "stderr", r.err()));
        if (Files.exists(out.resolve("artifact-manifest.json"))) {
            shown.put("manifest", Files.readString(out.resolve("artifact-manifest.json")));
        }
        shown.forEach((what, text) -> assertThat(text).as(what).doesNotContain(SECRET));
    }

    @Test
    void ebsDirectExportsBothVolumesAndConvertsThemIdentically() throws Exception {
        aws.snapshots(1, 1)
                .blocks(AwsDouble.ROOT_SNAPSHOT, root, 1000)
                .blocks(AwsDouble.DATA_SNAPSHOT, data, 1000);
        Path out = dir.resolve("out");
        Cli.Result r =
                Cli.process(
                        dir,
                        env(),
                        "--provider",
                        "aws",
                        "--vm",
                        AwsDouble.NAME,
                        "--provider-option",
                        "region=us-east-1,ec2-endpoint="
                                + aws.endpoint()
                                + ",ebs-endpoint="
                                + aws.endpoint()
                                + ",poll-interval=PT0.05S",
                        "--output",
                        out.toString(),
                        "--pipeline",
                        "--converter",
                        "qemu-img",
                        "--json");
        List<Path> outputs = succeeded(r, out);
        assertThat(outputs).hasSize(2);
        assertThat(
                        DiskImage.run(
                                "qemu-img",
                                "compare",
                                root.path().toString(),
                                outputs.get(0).toString()))
                .contains("Images are identical");
        assertThat(
                        DiskImage.run(
                                "qemu-img",
                                "compare",
                                data.path().toString(),
                                outputs.get(1).toString()))
                .contains("Images are identical");
        assertThat(aws.ec2Requests("DeleteSnapshot")).hasSize(2);
        assertThat(aws.requests())
                .allSatisfy(
                        q ->
                                assertThat(q.getHeader("Authorization"))
                                        .startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/"));
    }

    @Test
    void exportTaskDownloadsTheObjectAndConvertsItIdentically() throws Exception {
        Path vmdk = dir.resolve("exported.vmdk");
        DiskImage.run(
                "qemu-img",
                "convert",
                "-f",
                "raw",
                "-O",
                "vmdk",
                "-o",
                "subformat=streamOptimized",
                root.path().toString(),
                vmdk.toString());
        aws.exportTask("exports", "vms/", "vmdk", "completed", "");
        try (S3Double s3 = new S3Double(KEY_ID, SECRET)) {
            s3.put("exports", "vms/" + AwsDouble.EXPORT_TASK + ".vmdk", vmdk);
            Path out = dir.resolve("out");
            Cli.Result r =
                    Cli.process(
                            dir,
                            env(),
                            "--provider",
                            "aws",
                            "--vm",
                            AwsDouble.INSTANCE,
                            "--provider-option",
                            "region=us-east-1,method=export-task,bucket=exports,prefix=vms/,ec2-endpoint="
                                    + aws.endpoint()
                                    + ",s3-endpoint="
                                    + s3.endpoint()
                                    + ",poll-interval=PT0.05S",
                            "--output",
                            out.toString(),
                            "--pipeline",
                            "--converter",
                            "qemu-img",
                            "--json");
            List<Path> outputs = succeeded(r, out);
            assertThat(outputs).hasSize(1);
            assertThat(
                            DiskImage.run(
                                    "qemu-img",
                                    "compare",
                                    root.path().toString(),
                                    outputs.get(0).toString()))
                    .contains("Images are identical");
            assertThat(Files.readString(out.resolve("artifact-manifest.json")))
                    .contains("\"source_format\": \"vmdk\"");
        }
    }

    @Test
    void aFailedExportTaskExitsThreeWithAwsStatusMessage() throws Exception {
        aws.exportTask(
                "exports",
                "vms/",
                "vmdk",
                "cancelled",
                "The instance has an unsupported operating system.");
        Path out = dir.resolve("out");
        Cli.Result r =
                Cli.process(
                        dir,
                        env(),
                        "--provider",
                        "aws",
                        "--vm",
                        AwsDouble.NAME,
                        "--provider-option",
                        "region=us-east-1,method=export-task,bucket=exports,ec2-endpoint="
                                + aws.endpoint()
                                + ",s3-endpoint=http://127.0.0.1:9,poll-interval=PT0.05S",
                        "--output",
                        out.toString());
        r.failsWith(3, "The instance has an unsupported operating system.", AwsDouble.EXPORT_TASK);
        noSecretIn(r, out);
    }

    @Test
    void sigtermMidTransferExits143DeletesTheSnapshotsAndSaysNoPartialFileWasKept()
            throws Exception {
        aws.snapshots(1, 1)
                .blocks(AwsDouble.ROOT_SNAPSHOT, root, 1000)
                .blocks(AwsDouble.DATA_SNAPSHOT, data, 1000);
        int slow = root.writtenBlocks().get(1);
        String slowBlock = "/snapshots/" + AwsDouble.ROOT_SNAPSHOT + "/blocks/" + slow;
        aws.server()
                .stubFor(
                        com.github.tomakehurst.wiremock.client.WireMock.get(
                                        com.github.tomakehurst.wiremock.client.WireMock
                                                .urlPathEqualTo(slowBlock))
                                .atPriority(1)
                                .willReturn(
                                        AwsDouble.blockResponse(
                                                        root.block(slow),
                                                        AwsDouble.sha256(root.block(slow)))
                                                .withFixedDelay(60_000)));
        Path out = dir.resolve("out");
        ProcessBuilder pb =
                new ProcessBuilder(
                                Cli.javaCommand(
                                        "--provider",
                                        "aws",
                                        "--vm",
                                        AwsDouble.NAME,
                                        "--provider-option",
                                        "region=us-east-1,block-parallel=2,ec2-endpoint="
                                                + aws.endpoint()
                                                + ",ebs-endpoint="
                                                + aws.endpoint()
                                                + ",poll-interval=PT0.05S",
                                        "--output",
                                        out.toString()))
                        .directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(dir.resolve("stdout.txt").toFile())
                        .redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().putAll(env());
        Process p = pb.start();
        try {
            // mid-transfer: the reader is waiting for the slow block of the root volume
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(90))
                    .until(
                            () ->
                                    !p.isAlive()
                                            || aws.requests().stream()
                                                    .anyMatch(
                                                            q -> q.getUrl().startsWith(slowBlock)));
            assertThat(p.isAlive())
                    .as("hyperexport still running when the slow block is read")
                    .isTrue();
            assertThat(
                            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid()))
                                    .start()
                                    .waitFor())
                    .isZero();
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                    .as("hyperexport ended after SIGTERM, without waiting for the slow block")
                    .isTrue();
        } finally {
            p.destroyForcibly();
        }
        Cli.Result r =
                new Cli.Result(
                        p.exitValue(),
                        Files.readString(dir.resolve("stdout.txt")),
                        Files.readString(dir.resolve("stderr.txt")));
        assertThat(r.code()).as(r.err()).isEqualTo(143);
        assertThat(aws.ec2Requests("DeleteSnapshot"))
                .extracting(q -> AwsDouble.form(q).get("SnapshotId"))
                .containsExactlyInAnyOrder(AwsDouble.ROOT_SNAPSHOT, AwsDouble.DATA_SNAPSHOT);
        // ebs-direct keeps no partial image (block tokens expire): the one line says so, and it is
        // true
        assertThat(r.err().lines().filter(l -> l.contains("kept")).toList())
                .as(r.err())
                .singleElement()
                .asString()
                .contains("no partial files were kept");
        assertThat(Cli.filesUnder(out))
                .as("nothing partial left in " + out)
                .noneMatch(f -> f.getFileName().toString().endsWith(".part"));
        assertThat(out.resolve("artifact-manifest.json")).doesNotExist();
        noSecretIn(r, out);
    }
}
