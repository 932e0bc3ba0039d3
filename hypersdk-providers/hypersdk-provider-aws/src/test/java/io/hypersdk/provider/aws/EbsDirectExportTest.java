package io.hypersdk.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.provider.spi.ExportProviders;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.IntegrityException;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.transfer.DownloadEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ebs-direct path against the scripted EC2 and EBS double, with real qemu-made disk images. */
class EbsDirectExportTest {
    static final String KEY_ID = "AKIDHYPERSDKTEST0001";
    static final String SIGV4 =
            "AWS4-HMAC-SHA256 Credential="
                    + KEY_ID
                    + "/\\d{8}/us-east-1/%s/aws4_request, "
                    + "SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}";

    @TempDir static Path images;
    static DiskImage root;
    static DiskImage data;
    @TempDir Path out;
    AwsDouble aws;

    @BeforeAll
    static void makeImages() throws Exception {
        assumeTrue(DiskImage.toolsAvailable(), "qemu-img and qemu-io are needed");
        root =
                DiskImage.create(
                        images.resolve("root.raw"),
                        1,
                        new long[] {0, 300L << 20 | 100 << 10, (1L << 30) - (512 << 10)},
                        1 << 20 >> 1);
        data = DiskImage.create(images.resolve("data.raw"), 1, new long[] {10L << 20}, 3 << 20);
    }

    @BeforeEach
    void start() throws Exception {
        aws = new AwsDouble().instance(1, 1).snapshots(1, 1);
        aws.blocks(AwsDouble.ROOT_SNAPSHOT, root, 2).blocks(AwsDouble.DATA_SNAPSHOT, data, 100);
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    static AwsExportProvider provider() {
        return new AwsExportProvider(
                new AwsClients.Tuning(4, Duration.ofMillis(10), Duration.ofMillis(50), 3),
                DownloadEngine.builder().build());
    }

    ProviderConfig config(String... extra) {
        ProviderConfig.Builder b =
                ProviderConfig.builder(java.util.Map.of())
                        .set("region", "us-east-1")
                        .set("ec2-endpoint", aws.endpoint().toString())
                        .set("ebs-endpoint", aws.endpoint().toString())
                        .set("poll-interval", "PT0.02S");
        for (int i = 0; i < extra.length; i += 2) {
            b.set(extra[i], extra[i + 1]);
        }
        return b.build();
    }

    @Test
    void theProviderIsFoundThroughTheSpi() {
        assertThat(ExportProviders.ids()).contains("aws");
        assertThat(ExportProviders.require("aws").description())
                .contains("ebs-direct, the default");
    }

    @Test
    void describeReadsTheInstanceItsTypeVolumesAndNics() {
        try (ProviderSession s = provider().connect(config())) {
            VmDescription d = s.describe(AwsDouble.NAME);
            assertThat(d.id()).isEqualTo(AwsDouble.INSTANCE);
            assertThat(d.name()).isEqualTo(AwsDouble.NAME);
            assertThat(d.cpu()).isEqualTo(2);
            assertThat(d.memoryBytes()).isEqualTo(8L << 30);
            assertThat(d.firmware()).isEqualTo(Firmware.UEFI);
            assertThat(d.powerState()).isEqualTo(PowerState.OFF);
            assertThat(d.osHint()).isEqualTo("linux");
            assertThat(d.disks())
                    .extracting(x -> x.id())
                    .containsExactly(AwsDouble.ROOT_VOLUME, AwsDouble.DATA_VOLUME);
            assertThat(d.disks().get(0).capacityBytes()).isEqualTo(1L << 30);
            assertThat(d.nics()).hasSize(1);
            assertThat(d.nics().get(0).mac()).contains(AwsDouble.MAC);
            assertThat(d.nics().get(0).network()).contains(AwsDouble.SUBNET);
            assertThat(s.listVms()).extracting(v -> v.name()).containsExactly(AwsDouble.NAME);
        }
        LoggedRequest byName = aws.ec2Requests("DescribeInstances").get(0);
        assertThat(AwsDouble.form(byName))
                .containsEntry("Filter.1.Name", "tag:Name")
                .containsEntry("Filter.1.Value.1", AwsDouble.NAME)
                .containsEntry("Version", "2016-11-15");
        assertThat(byName.getHeader("Authorization")).matches(String.format(SIGV4, "ec2"));
        assertThat(AwsDouble.form(aws.ec2Requests("DescribeInstanceTypes").get(0)))
                .containsEntry("InstanceType.1", "m5.large");
    }

    @Test
    void ebsDirectReadsOnlyTheWrittenBlocksIntoIdenticalSparseImagesAndDeletesItsSnapshots()
            throws Exception {
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        ExportResult r;
        try (ProviderSession s = provider().connect(config())) {
            r =
                    s.export(
                            ExportRequest.builder(AwsDouble.INSTANCE, out).build(),
                            events::add,
                            Cancellation.create());
        }
        Path disk0 = out.resolve("web-01-disk-0.raw");
        Path disk1 = out.resolve("web-01-disk-1.raw");
        assertThat(r.files()).containsExactly(disk0, disk1);
        assertThat(Files.mismatch(disk0, root.path()))
                .as("root volume, byte for byte")
                .isEqualTo(-1L);
        assertThat(Files.mismatch(disk1, data.path()))
                .as("data volume, byte for byte")
                .isEqualTo(-1L);
        // sparse: far less allocated than the 1 GiB volume
        long allocated =
                Long.parseLong(DiskImage.run("du", "-k", disk0.toString()).split("\\s+")[0])
                        * 1024L;
        assertThat(allocated).isLessThan(64L << 20);

        ArtifactManifest m = r.manifest();
        assertThat(m.source().orElseThrow().provider()).isEqualTo("aws");
        assertThat(m.vm().orElseThrow().firmware()).isEqualTo(Firmware.UEFI);
        assertThat(m.disks()).extracting(d -> d.sourceFormat()).containsOnly(DiskFormat.RAW);
        assertThat(m.disks().get(0).bytes()).isEqualTo(1L << 30);
        assertThat(m.disks().get(0).checksum()).as("only with checksums asked for").isEmpty();
        assertThat(m.nics().get(0).mac()).contains(AwsDouble.MAC);

        // only the written blocks crossed the wire, each signed for the ebs service
        List<LoggedRequest> gets =
                aws.requests().stream()
                        .filter(q -> q.getUrl().matches("/snapshots/snap-[0-9a-f]+/blocks/\\d+.*"))
                        .toList();
        assertThat(gets).hasSize(root.writtenBlocks().size() + data.writtenBlocks().size());
        assertThat(gets)
                .allSatisfy(
                        q ->
                                assertThat(q.getHeader("Authorization"))
                                        .matches(String.format(SIGV4, "ebs")));
        assertThat(
                        aws.requests().stream()
                                .filter(
                                        q ->
                                                q.getUrl()
                                                        .matches(
                                                                "/snapshots/"
                                                                        + AwsDouble.ROOT_SNAPSHOT
                                                                        + "/blocks(\\?.*)?")))
                .as("ListSnapshotBlocks pages of 2 blocks")
                .hasSize((root.writtenBlocks().size() + 1) / 2);
        long transferred =
                events.stream()
                        .filter(
                                e ->
                                        e instanceof TransferProgress t
                                                && t.item().equals("web-01-disk-0.raw"))
                        .mapToLong(e -> ((TransferProgress) e).bytesDone())
                        .max()
                        .orElse(0);
        assertThat(transferred).isEqualTo((long) root.writtenBlocks().size() * DiskImage.BLOCK);

        assertThat(AwsDouble.form(aws.ec2Requests("CreateSnapshots").get(0)))
                .containsEntry("InstanceSpecification.InstanceId", AwsDouble.INSTANCE)
                .containsEntry("InstanceSpecification.ExcludeBootVolume", "false")
                .containsEntry("TagSpecification.1.ResourceType", "snapshot");
        assertThat(aws.ec2Requests("DeleteSnapshot"))
                .extracting(q -> AwsDouble.form(q).get("SnapshotId"))
                .containsExactlyInAnyOrder(AwsDouble.ROOT_SNAPSHOT, AwsDouble.DATA_SNAPSHOT);
        assertThat(out.resolve("artifact-manifest.json")).isRegularFile();
    }

    @Test
    void keepSnapshotsLeavesThemAndGivenSnapshotIdsAreNeverDeleted() throws Exception {
        aws.ec2(
                "DescribeSnapshots",
                "<snapshotSet><item><snapshotId>"
                        + AwsDouble.ROOT_SNAPSHOT
                        + "</snapshotId><volumeId>"
                        + AwsDouble.ROOT_VOLUME
                        + "</volumeId><status>completed</status><progress>100%</progress><volumeSize>1</volumeSize>"
                        + "</item></snapshotSet>");
        try (ProviderSession s =
                provider().connect(config("snapshot-ids", AwsDouble.ROOT_SNAPSHOT))) {
            s.export(
                    ExportRequest.builder(AwsDouble.NAME, out).build(),
                    ProgressListener.NONE,
                    Cancellation.create());
        }
        assertThat(Files.mismatch(out.resolve("web-01-disk-0.raw"), root.path())).isEqualTo(-1L);
        assertThat(aws.ec2Requests("CreateSnapshots")).isEmpty();
        assertThat(aws.ec2Requests("DeleteSnapshot")).isEmpty();
    }

    @Test
    void aBlockWithAWrongChecksumIsReadAgainThenFailsWithAClearErrorAndTheSnapshotsAreDeleted()
            throws Exception {
        int bad = data.writtenBlocks().get(1);
        aws.block(
                AwsDouble.DATA_SNAPSHOT,
                bad,
                data.block(bad),
                AwsDouble.sha256(new byte[] {1, 2, 3}));
        try (ProviderSession s = provider().connect(config())) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(AwsDouble.NAME, out).build(),
                                            ProgressListener.NONE,
                                            Cancellation.create()))
                    .isInstanceOf(IntegrityException.class)
                    .hasMessageContaining(
                            "block " + bad + " of snapshot " + AwsDouble.DATA_SNAPSHOT)
                    .hasMessageContaining("SHA-256 check 3 times");
        }
        long reads =
                aws.requests().stream()
                        .filter(
                                q ->
                                        q.getUrl()
                                                .startsWith(
                                                        "/snapshots/"
                                                                + AwsDouble.DATA_SNAPSHOT
                                                                + "/blocks/"
                                                                + bad
                                                                + "?"))
                        .count();
        assertThat(reads).isEqualTo(3);
        assertThat(aws.ec2Requests("DeleteSnapshot")).hasSize(2);
        assertThat(out.resolve(".web-01-disk-1.raw.part")).doesNotExist();
        assertThat(out.resolve("artifact-manifest.json")).doesNotExist();
    }

    @Test
    void throttledCallsBackOffAndSucceed() throws Exception {
        aws.throttle("DescribeSnapshots", 2);
        aws.throttle("CreateSnapshots", 1);
        try (ProviderSession s = provider().connect(config())) {
            s.export(
                    ExportRequest.builder(AwsDouble.NAME, out).build(),
                    ProgressListener.NONE,
                    Cancellation.create());
        }
        assertThat(Files.mismatch(out.resolve("web-01-disk-0.raw"), root.path())).isEqualTo(-1L);
        assertThat(aws.ec2Requests("CreateSnapshots")).hasSize(2);
        assertThat(aws.ec2Requests("DescribeSnapshots").size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void throttledBlockReadsBackOffAndSucceed() throws Exception {
        List<Integer> blocks = root.writtenBlocks();
        aws.throttleBlock(
                AwsDouble.ROOT_SNAPSHOT, blocks.get(0), 2, 400, "RequestThrottledException");
        aws.throttleBlock(AwsDouble.ROOT_SNAPSHOT, blocks.get(1), 1, 429, "ThrottlingException");
        try (ProviderSession s = provider().connect(config())) {
            s.export(
                    ExportRequest.builder(AwsDouble.NAME, out).build(),
                    ProgressListener.NONE,
                    Cancellation.create());
        }
        assertThat(Files.mismatch(out.resolve("web-01-disk-0.raw"), root.path())).isEqualTo(-1L);
        assertThat(blockReads(AwsDouble.ROOT_SNAPSHOT, blocks.get(0))).isEqualTo(3);
        assertThat(blockReads(AwsDouble.ROOT_SNAPSHOT, blocks.get(1))).isEqualTo(2);
        assertThat(blockReads(AwsDouble.ROOT_SNAPSHOT, blocks.get(2))).isEqualTo(1);
    }

    private long blockReads(String snapshot, int index) {
        return aws.requests().stream()
                .filter(
                        q ->
                                q.getUrl()
                                        .startsWith(
                                                "/snapshots/"
                                                        + snapshot
                                                        + "/blocks/"
                                                        + index
                                                        + "?"))
                .count();
    }

    @Test
    void cancellingMidTransferStopsTheReadsAndDeletesTheSnapshots() throws Exception {
        Cancellation cancel = Cancellation.create();
        int slow = root.writtenBlocks().get(0);
        aws.server()
                .stubFor(
                        com.github.tomakehurst.wiremock.client.WireMock.get(
                                        com.github.tomakehurst.wiremock.client.WireMock
                                                .urlPathEqualTo(
                                                        "/snapshots/"
                                                                + AwsDouble.ROOT_SNAPSHOT
                                                                + "/blocks/"
                                                                + slow))
                                .willReturn(
                                        AwsDouble.blockResponse(
                                                        root.block(slow),
                                                        AwsDouble.sha256(root.block(slow)))
                                                .withFixedDelay(20_000)));
        ProgressListener cancelWhenReading =
                e -> {
                    if (e instanceof io.hypersdk.core.progress.PhaseChanged p
                            && p.detail().startsWith("reading the written blocks")) {
                        new Thread(
                                        () -> {
                                            org.awaitility.Awaitility.await()
                                                    .atMost(Duration.ofSeconds(10))
                                                    .until(
                                                            () ->
                                                                    aws.requests().stream()
                                                                            .anyMatch(
                                                                                    q ->
                                                                                            q.getUrl()
                                                                                                    .startsWith(
                                                                                                            "/snapshots/"
                                                                                                                    + AwsDouble
                                                                                                                            .ROOT_SNAPSHOT
                                                                                                                    + "/blocks/"
                                                                                                                    + slow)));
                                            cancel.cancel();
                                        })
                                .start();
                    }
                };
        long started = System.nanoTime();
        try (ProviderSession s = provider().connect(config())) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(AwsDouble.NAME, out).build(),
                                            cancelWhenReading,
                                            cancel))
                    .isInstanceOf(CancelledException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("did not wait for the slow block")
                .isLessThan(Duration.ofSeconds(15));
        assertThat(aws.ec2Requests("DeleteSnapshot"))
                .extracting(q -> AwsDouble.form(q).get("SnapshotId"))
                .containsExactlyInAnyOrder(AwsDouble.ROOT_SNAPSHOT, AwsDouble.DATA_SNAPSHOT);
        assertThat(out.resolve("artifact-manifest.json")).doesNotExist();
    }
}
