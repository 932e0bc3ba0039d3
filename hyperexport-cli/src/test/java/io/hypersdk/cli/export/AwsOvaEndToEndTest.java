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
import io.hypersdk.provider.aws.ExportedOva;
import io.hypersdk.provider.aws.S3Double;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyperexport --provider aws ... --provider-option container=ova --pipeline --converter
 * qemu-img} in a separate JVM, credentials only in the environment: the scripted EC2 double answers
 * an export task with {@code containerFormat ova}, S3Proxy holds a real OVA made in the test
 * (qemu-img VMDK + an OVF like AWS's + tar).
 */
class AwsOvaEndToEndTest {
    static final String KEY_ID = "AKIDHYPERSDKOVA00001";
    static final String SECRET = "ova-e2e-secret-that-must-never-be-printed-91c2";
    static final String KEY = "vms/" + AwsDouble.EXPORT_TASK + ".ova";

    @TempDir static Path images;
    static DiskImage root;
    @TempDir Path dir;
    AwsDouble aws;

    @BeforeAll
    static void makeImages() throws Exception {
        assumeTrue(DiskImage.toolsAvailable(), "qemu-img and qemu-io are needed");
        root = DiskImage.create(images.resolve("root.raw"), 1, new long[] {0, 512L << 20}, 1 << 20);
    }

    /**
     * An OVA of the root image as AWS would write it for this instance (8192 MiB), {@code cpu}s.
     */
    static Path ova(int cpu, ExportedOva.Kind kind) throws Exception {
        return ExportedOva.make(root.path(), images, AwsDouble.EXPORT_TASK, cpu, 8192, kind);
    }

    @BeforeEach
    void start() {
        aws =
                new AwsDouble()
                        .instance(1, 1)
                        .exportTask("exports", "vms/", "vmdk", "ova", "completed", "");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    Cli.Result hyperexport(S3Double s3, Path out, String... more) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--provider",
                                "aws",
                                "--vm",
                                AwsDouble.NAME,
                                "--provider-option",
                                "region=us-east-1,method=export-task,container=ova,bucket=exports,prefix=vms/,ec2-endpoint="
                                        + aws.endpoint()
                                        + ",s3-endpoint="
                                        + s3.endpoint()
                                        + ",poll-interval=PT0.05S",
                                "--output",
                                out.toString()));
        args.addAll(List.of(more));
        return Cli.process(
                dir, AwsDouble.childEnvironment(dir, KEY_ID, SECRET), args.toArray(String[]::new));
    }

    void noSecretIn(Cli.Result r, Path out) throws Exception {
        assertThat(r.out()).doesNotContain(SECRET);
        assertThat(r.err()).doesNotContain(SECRET);
        for (Path f : Cli.filesUnder(out)) {
            if (f.getFileName().toString().endsWith(".json")) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(SECRET);
            }
        }
    }

    @Test
    void anOvaExportIsUnpackedConvertedAndIdenticalToTheSource() throws Exception {
        Path ova = ova(2, ExportedOva.Kind.AS_AWS_WRITES);
        try (S3Double s3 = new S3Double(KEY_ID, SECRET)) {
            s3.put("exports", KEY, ova);
            Path out = dir.resolve("out");
            Cli.Result r = hyperexport(s3, out, "--pipeline", "--converter", "qemu-img", "--json");
            r.succeeds();
            JsonNode res = r.json().at("/results/0");
            assertThat(res.get("status").asText()).isEqualTo("success");
            ArtifactManifest m = ManifestCodec.read(out.resolve("artifact-manifest.json"));
            ManifestValidator.requireValid(m, ValidationOptions.withDiskFiles());
            assertThat(m.disks()).singleElement();
            assertThat(m.disks().get(0).localPath().getFileName().toString())
                    .isEqualTo("web-01-disk-0.vmdk");
            List<Path> outputs = new ArrayList<>();
            res.at("/pipeline/outputs").forEach(n -> outputs.add(Path.of(n.asText())));
            assertThat(outputs).hasSize(1);
            assertThat(DiskImage.run("qemu-img", "check", outputs.get(0).toString()))
                    .contains("No errors were found");
            assertThat(
                            DiskImage.run(
                                    "qemu-img",
                                    "compare",
                                    root.path().toString(),
                                    outputs.get(0).toString()))
                    .contains("Images are identical");
            assertThat(Cli.filesUnder(out))
                    .as("the OVA was a temporary")
                    .noneMatch(
                            f ->
                                    f.toString().endsWith(".ova")
                                            || f.toString().contains(".aws-ova-"));
            noSecretIn(r, out);
        }
        assertThat(AwsDouble.form(aws.ec2Requests("CreateInstanceExportTask").get(0)))
                .containsEntry("ExportToS3.ContainerFormat", "ova");
    }

    @Test
    void aHostileOvaFromS3ExitsThreeNamingTheObjectAndLeavesNothing() throws Exception {
        Path hostile = ova(2, ExportedOva.Kind.DISK_IS_A_SYMLINK);
        try (S3Double s3 = new S3Double(KEY_ID, SECRET)) {
            s3.put("exports", KEY, hostile);
            Path out = dir.resolve("out");
            Cli.Result r = hyperexport(s3, out, "--pipeline", "--converter", "qemu-img");
            r.failsWith(3, "s3://exports/" + KEY, "nothing of it was kept");
            assertThat(Cli.filesUnder(out)).as("nothing left in " + out).isEmpty();
            noSecretIn(r, out);
        }
    }
}
