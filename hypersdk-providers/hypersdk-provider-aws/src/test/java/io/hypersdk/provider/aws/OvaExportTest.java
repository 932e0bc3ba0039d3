package io.hypersdk.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ManifestWarning;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.IntegrityException;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.UnsafeArchiveException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code container=ova}: the export task (scripted EC2 double, {@code ContainerFormat=ova}) writes
 * an OVA made in the test (a qemu-img VMDK + an OVF like AWS's, tar) into S3Proxy; it is downloaded
 * and unpacked by the local provider through the SPI.
 */
class OvaExportTest {
    static final String BUCKET = "exports";
    static final String PREFIX = "vms/";
    static final String KEY = PREFIX + AwsDouble.EXPORT_TASK + ".ova";
    static final String WHERE = "s3://" + BUCKET + "/" + KEY;

    @TempDir static Path images;
    static DiskImage root;
    @TempDir Path out;
    AwsDouble aws;

    @BeforeAll
    static void makeImages() throws Exception {
        assumeTrue(DiskImage.toolsAvailable(), "qemu-img and qemu-io are needed");
        root = DiskImage.create(images.resolve("root.raw"), 1, new long[] {0, 300L << 20}, 1 << 20);
    }

    /**
     * An OVA of the root image as AWS would write it for this instance (8192 MiB), {@code cpu}s.
     */
    static Path ova(int cpu, ExportedOva.Kind kind) throws Exception {
        return ExportedOva.make(root.path(), images, AwsDouble.EXPORT_TASK, cpu, 8192, kind);
    }

    @BeforeEach
    void start() {
        aws = new AwsDouble().instance(1, 1);
        aws.exportTask(BUCKET, PREFIX, "vmdk", "ova", "completed", "");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    ProviderConfig config(S3Double s3, String... extra) {
        ProviderConfig.Builder b =
                ProviderConfig.builder(Map.of())
                        .set("region", "us-east-1")
                        .set("method", "export-task")
                        .set("container", "ova")
                        .set("ec2-endpoint", aws.endpoint().toString())
                        .set("s3-endpoint", s3.endpoint().toString())
                        .set("bucket", BUCKET)
                        .set("prefix", PREFIX)
                        .set("poll-interval", "PT0.02S");
        for (int i = 0; i < extra.length; i += 2) {
            b.set(extra[i], extra[i + 1]);
        }
        return b.build();
    }

    ExportResult export(S3Double s3, String... extra) {
        try (ProviderSession s = EbsDirectExportTest.provider().connect(config(s3, extra))) {
            return s.export(
                    ExportRequest.builder(AwsDouble.NAME, out).checksums(true).build(),
                    e -> {},
                    Cancellation.create());
        }
    }

    static List<String> filesUnder(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).toList();
        }
    }

    @Test
    void theOvaIsUnpackedIntoItsDiskReconciledWithEc2AndDeleted() throws Exception {
        // the instance type says 2 vCPUs, 8192 MiB, UEFI; the OVF agrees on CPU and memory and
        // states no firmware (read as BIOS)
        Path ova = ova(2, ExportedOva.Kind.AS_AWS_WRITES);
        try (S3Double s3 = new S3Double(EbsDirectExportTest.KEY_ID, ExportTaskTest.SECRET)) {
            s3.put(BUCKET, KEY, ova);
            ExportResult r = export(s3);
            Path disk = out.resolve("web-01-disk-0.vmdk");
            assertThat(filesUnder(out))
                    .as("the disk and the manifest only: the OVA was a temporary")
                    .containsExactlyInAnyOrder("web-01-disk-0.vmdk", "artifact-manifest.json");
            assertThat(
                            DiskImage.run(
                                    "qemu-img", "compare", root.path().toString(), disk.toString()))
                    .contains("Images are identical");
            ManifestValidator.requireValid(r.manifest(), ValidationOptions.withDiskFiles());
            assertThat(r.manifest().disks()).singleElement();
            assertThat(r.manifest().disks().get(0).sourceFormat()).isEqualTo(DiskFormat.VMDK);
            assertThat(r.manifest().disks().get(0).checksum())
                    .hasValue("sha256:" + ExportedOva.sha256(disk));
            assertThat(r.manifest().vm().orElseThrow().cpu()).isEqualTo(2);
            assertThat(r.manifest().vm().orElseThrow().memGb()).isEqualTo(8);
            assertThat(r.manifest().vm().orElseThrow().firmware().id()).isEqualTo("uefi");
            assertThat(r.manifest().warnings())
                    .extracting(ManifestWarning::message)
                    .filteredOn(m -> m.contains("OVF descriptor"))
                    .singleElement()
                    .asString()
                    .contains("firmware bios, EC2 says uefi; the manifest keeps EC2's value");
            assertThat(r.manifest().notes()).anyMatch(n -> n.contains("otherLinux64Guest"));
            assertThat(s3.exists(BUCKET, KEY)).as("kept without cleanup=true").isTrue();
        }
        // the task asked AWS for an OVA holding a VMDK
        Map<String, String> create =
                AwsDouble.form(aws.ec2Requests("CreateInstanceExportTask").get(0));
        assertThat(create)
                .containsEntry("ExportToS3.ContainerFormat", "ova")
                .containsEntry("ExportToS3.DiskImageFormat", "VMDK")
                .containsEntry("TargetEnvironment", "vmware");
    }

    @Test
    void keepOvaKeepsTheArchiveAndCleanupDeletesTheObjectAfterTheUnpack() throws Exception {
        Path ova = ova(4, ExportedOva.Kind.AS_AWS_WRITES);
        try (S3Double s3 = new S3Double(EbsDirectExportTest.KEY_ID, ExportTaskTest.SECRET)) {
            s3.put(BUCKET, KEY, ova);
            ExportResult r = export(s3, "keep-ova", "true", "cleanup", "true");
            assertThat(filesUnder(out))
                    .containsExactlyInAnyOrder(
                            "web-01-disk-0.vmdk", "web-01.ova", "artifact-manifest.json");
            assertThat(Files.mismatch(out.resolve("web-01.ova"), ova)).isEqualTo(-1L);
            assertThat(r.files()).contains(out.resolve("web-01.ova"));
            assertThat(r.manifest().warnings())
                    .extracting(ManifestWarning::message)
                    .anyMatch(m -> m.contains("vCPUs 4, EC2 says 2; the manifest keeps"));
            assertThat(r.manifest().vm().orElseThrow().cpu()).isEqualTo(2);
            assertThat(s3.exists(BUCKET, KEY)).as("deleted with cleanup=true").isFalse();
        }
    }

    @Test
    void aHostileOrCorruptOvaIsRefusedNamingTheObjectAndLeavesNothing() throws Exception {
        Path hostile = ova(2, ExportedOva.Kind.DISK_IS_A_SYMLINK);
        Path corrupt = ova(2, ExportedOva.Kind.WRONG_MF_DIGEST);
        try (S3Double s3 = new S3Double(EbsDirectExportTest.KEY_ID, ExportTaskTest.SECRET)) {
            s3.put(BUCKET, KEY, hostile);
            assertThatThrownBy(() -> export(s3, "cleanup", "true"))
                    .isInstanceOf(UnsafeArchiveException.class)
                    .hasMessageContaining(WHERE)
                    .hasMessageContaining("nothing of it was kept");
            assertThat(filesUnder(out)).as("nothing left in " + out).isEmpty();
            assertThat(s3.exists(BUCKET, KEY))
                    .as("a refused OVA is not deleted, even with cleanup=true")
                    .isTrue();

            s3.put(BUCKET, KEY, corrupt);
            assertThatThrownBy(() -> export(s3, "keep-ova", "true"))
                    .isInstanceOf(IntegrityException.class)
                    .hasMessageContaining(WHERE)
                    .hasMessageContaining(".mf");
            assertThat(filesUnder(out)).as("nothing left in " + out).isEmpty();
        }
    }

    @Test
    void containerSettingsAreCheckedBeforeAnythingStarts() {
        assertThatThrownBy(
                        () ->
                                AwsSettings.from(
                                        ProviderConfig.builder(Map.of())
                                                .set("method", "export-task")
                                                .set("bucket", "b")
                                                .set("container", "zip")
                                                .build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'container'")
                .hasMessageContaining("'zip'")
                .hasMessageContaining("none")
                .hasMessageContaining("ova");
        assertThatThrownBy(
                        () ->
                                AwsSettings.from(
                                        ProviderConfig.builder(Map.of())
                                                .set("container", "ova")
                                                .build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("method=export-task");
        assertThatThrownBy(
                        () ->
                                AwsSettings.from(
                                        ProviderConfig.builder(Map.of())
                                                .set("method", "export-task")
                                                .set("bucket", "b")
                                                .set("keep-ova", "true")
                                                .build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("container=ova");
        AwsSettings ok =
                AwsSettings.from(
                        ProviderConfig.builder(Map.of())
                                .set("method", "export-task")
                                .set("bucket", "b")
                                .set("container", "OVA")
                                .build());
        assertThat(ok.ova()).isTrue();
        assertThat(ok.keepOva()).isFalse();
    }
}
