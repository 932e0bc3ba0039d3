package io.hypersdk.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.ProviderSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export-task path: the scripted EC2 double for the task, S3Proxy for the exported object. */
class ExportTaskTest {
    static final String KEY_ID = EbsDirectExportTest.KEY_ID;

    /**
     * The secret the surefire configuration gives the default chain (system property
     * aws.secretAccessKey).
     */
    static final String SECRET = System.getProperty("aws.secretAccessKey");

    static final String BUCKET = "exports";
    static final String PREFIX = "vms/";
    static final String KEY = PREFIX + AwsDouble.EXPORT_TASK + ".vmdk";

    @TempDir static Path images;
    static DiskImage root;
    static Path vmdk;
    @TempDir Path out;
    AwsDouble aws;

    @BeforeAll
    static void makeImages() throws Exception {
        assumeTrue(DiskImage.toolsAvailable(), "qemu-img and qemu-io are needed");
        root = DiskImage.create(images.resolve("root.raw"), 1, new long[] {0, 200L << 20}, 1 << 20);
        vmdk = images.resolve("exported.vmdk");
        // what VM Import/Export writes: a stream-optimized VMDK
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
    }

    @BeforeEach
    void start() {
        aws = new AwsDouble().instance(1, 1);
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

    @Test
    void theExportedObjectIsDownloadedByteForByteAndRemovedOnlyWithCleanup() throws Exception {
        aws.exportTask(BUCKET, PREFIX, "vmdk", "completed", "");
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        try (S3Double s3 = new S3Double(KEY_ID, SECRET)) {
            s3.put(BUCKET, KEY, vmdk);
            ExportResult r;
            try (ProviderSession s = EbsDirectExportTest.provider().connect(config(s3))) {
                r =
                        s.export(
                                ExportRequest.builder(AwsDouble.NAME, out).checksums(true).build(),
                                events::add,
                                Cancellation.create());
            }
            assertThat(s3.exists(BUCKET, KEY)).as("kept without cleanup=true").isTrue();
            Path disk = out.resolve("web-01-disk-0.vmdk");
            assertThat(Files.mismatch(disk, vmdk)).isEqualTo(-1L);
            assertThat(
                            DiskImage.run(
                                    "qemu-img", "compare", disk.toString(), root.path().toString()))
                    .contains("Images are identical");
            assertThat(r.manifest().disks()).hasSize(1);
            assertThat(r.manifest().disks().get(0).sourceFormat()).isEqualTo(DiskFormat.VMDK);
            assertThat(r.manifest().disks().get(0).checksum()).isPresent();
            assertThat(r.manifest().warnings())
                    .anySatisfy(
                            w ->
                                    assertThat(w.toString())
                                            .contains(AwsDouble.DATA_VOLUME)
                                            .contains("method=ebs-direct"));
            assertThat(events)
                    .anySatisfy(
                            e ->
                                    assertThat(e)
                                            .isInstanceOfSatisfying(
                                                    PhaseChanged.class,
                                                    p ->
                                                            assertThat(p.detail())
                                                                    .contains(
                                                                            "active: Converting the disk image")));

            Map<String, String> form =
                    AwsDouble.form(aws.ec2Requests("CreateInstanceExportTask").get(0));
            assertThat(form)
                    .containsEntry("InstanceId", AwsDouble.INSTANCE)
                    .containsEntry("TargetEnvironment", "vmware")
                    .containsEntry("ExportToS3.DiskImageFormat", "VMDK")
                    .containsEntry("ExportToS3.S3Bucket", BUCKET)
                    .containsEntry("ExportToS3.S3Prefix", PREFIX);
            assertThat(aws.ec2Requests("DescribeExportTasks"))
                    .hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(
                            q ->
                                    assertThat(AwsDouble.form(q))
                                            .containsEntry(
                                                    "ExportTaskId.1", AwsDouble.EXPORT_TASK));

            // again with cleanup=true: the object is deleted after the download
            Path out2 = out.resolve("again");
            aws.server().resetScenarios();
            try (ProviderSession s =
                    EbsDirectExportTest.provider().connect(config(s3, "cleanup", "true"))) {
                s.export(
                        ExportRequest.builder(AwsDouble.NAME, out2).build(),
                        ProgressListener.NONE,
                        Cancellation.create());
            }
            assertThat(Files.mismatch(out2.resolve("web-01-disk-0.vmdk"), vmdk)).isEqualTo(-1L);
            assertThat(s3.exists(BUCKET, KEY)).as("deleted with cleanup=true").isFalse();
        }
    }

    @Test
    void s3SlowDownIsBackedOffForTheSdkCallAndTheDownload() throws Exception {
        aws.exportTask(BUCKET, PREFIX, "vmdk", "completed", "");
        // a loopback front that answers 503 SlowDown first, then passes requests (Host kept, so the
        // SigV4 signatures still verify) to S3Proxy
        com.github.tomakehurst.wiremock.WireMockServer front =
                new com.github.tomakehurst.wiremock.WireMockServer(
                        com.github.tomakehurst.wiremock.core.WireMockConfiguration.options()
                                .bindAddress("127.0.0.1")
                                .dynamicPort()
                                .preserveHostHeader(true));
        front.start();
        try (S3Double s3 = new S3Double(KEY_ID, SECRET)) {
            s3.put(BUCKET, KEY, vmdk);
            String slowDown =
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your"
                            + " request rate.</Message><RequestId>req-slow</RequestId></Error>";
            for (String method : List.of("HEAD", "GET")) {
                front.stubFor(
                        com.github.tomakehurst.wiremock.client.WireMock.request(
                                        method,
                                        com.github.tomakehurst.wiremock.client.WireMock
                                                .urlPathEqualTo("/" + BUCKET + "/" + KEY))
                                .atPriority(1)
                                .inScenario("slow-" + method)
                                .whenScenarioStateIs(
                                        com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                                .willReturn(
                                        com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                                .withStatus(503)
                                                .withHeader("Content-Type", "application/xml")
                                                .withHeader("Retry-After", "0")
                                                .withBody(slowDown))
                                .willSetStateTo("served"));
            }
            front.stubFor(
                    com.github.tomakehurst.wiremock.client.WireMock.any(
                                    com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                            .atPriority(5)
                            .willReturn(
                                    com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                            .proxiedFrom(s3.endpoint().toString())));
            ProviderConfig config =
                    config(s3).toBuilder()
                            .set("s3-endpoint", "http://127.0.0.1:" + front.port())
                            .build();
            try (ProviderSession s = EbsDirectExportTest.provider().connect(config)) {
                s.export(
                        ExportRequest.builder(AwsDouble.NAME, out).build(),
                        ProgressListener.NONE,
                        Cancellation.create());
            }
            assertThat(Files.mismatch(out.resolve("web-01-disk-0.vmdk"), vmdk)).isEqualTo(-1L);
            for (String method : List.of("HEAD", "GET")) {
                assertThat(
                                front.findAll(
                                        com.github.tomakehurst.wiremock.matching
                                                .RequestPatternBuilder.newRequestPattern(
                                                com.github.tomakehurst.wiremock.http.RequestMethod
                                                        .fromString(method),
                                                com.github.tomakehurst.wiremock.client.WireMock
                                                        .urlPathEqualTo("/" + BUCKET + "/" + KEY))))
                        .as(method + ": the 503 SlowDown, then the retry")
                        .hasSizeGreaterThanOrEqualTo(2);
            }
        } finally {
            front.stop();
        }
    }

    @Test
    void aFailedExportTaskFailsWithAwsStatusMessage() throws Exception {
        aws.exportTask(
                BUCKET,
                PREFIX,
                "vmdk",
                "cancelled",
                "Export is not supported for instances with Marketplace product codes.");
        try (S3Double s3 = new S3Double(KEY_ID, SECRET);
                ProviderSession s = EbsDirectExportTest.provider().connect(config(s3))) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(AwsDouble.NAME, out).build(),
                                            ProgressListener.NONE,
                                            Cancellation.create()))
                    .isExactlyInstanceOf(ExportException.class)
                    .hasMessageContaining("export task " + AwsDouble.EXPORT_TASK)
                    .hasMessageContaining(
                            "Export is not supported for instances with Marketplace product codes.")
                    .hasMessageContaining("method=ebs-direct");
        }
        assertThat(out.resolve("artifact-manifest.json")).doesNotExist();
    }

    @Test
    void aWrongSecretIsRefusedWith403AndAClearErrorThatDoesNotShowIt() throws Exception {
        aws.exportTask(BUCKET, PREFIX, "vmdk", "completed", "");
        try (S3Double s3 = new S3Double(KEY_ID, "a-different-secret-the-server-holds")) {
            s3.put(BUCKET, KEY, vmdk);
            try (ProviderSession s = EbsDirectExportTest.provider().connect(config(s3))) {
                assertThatThrownBy(
                                () ->
                                        s.export(
                                                ExportRequest.builder(AwsDouble.NAME, out).build(),
                                                ProgressListener.NONE,
                                                Cancellation.create()))
                        .isInstanceOf(AuthenticationException.class)
                        .hasMessageContaining("403")
                        .hasMessageContaining("s3://" + BUCKET + "/" + KEY)
                        .hasMessageContaining("credentials")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
            }
        }
    }

    @Test
    void knownExportRestrictionsAreNamedWithTheAlternativeBeforeAnyTaskStarts() throws Exception {
        software.amazon.awssdk.services.ec2.model.Instance marketplace =
                software.amazon.awssdk.services.ec2.model.Instance.builder()
                        .instanceId(AwsDouble.INSTANCE)
                        .productCodes(
                                software.amazon.awssdk.services.ec2.model.ProductCode.builder()
                                        .productCodeId("prod-abc123")
                                        .productCodeType("marketplace")
                                        .build())
                        .build();
        Ec2Inventory.Ec2Vm vm =
                new Ec2Inventory.Ec2Vm(
                        marketplace,
                        io.hypersdk.provider.spi.VmDescription.builder()
                                .id(AwsDouble.INSTANCE)
                                .name(AwsDouble.NAME)
                                .build(),
                        List.of(
                                new Ec2Inventory.Ec2Volume(
                                        AwsDouble.ROOT_VOLUME, "/dev/xvda", 1L << 30, true, true)));
        assertThat(ExportTaskRun.restrictions(vm))
                .satisfiesExactly(
                        m -> assertThat(m).contains(AwsDouble.ROOT_VOLUME).contains("encrypted"),
                        m -> assertThat(m).contains("Marketplace").contains("prod-abc123"));
        try (S3Double s3 = new S3Double(KEY_ID, SECRET);
                AwsClients clients =
                        new AwsClients(
                                AwsSettings.from(config(s3)), AwsClients.Tuning.defaults())) {
            assertThatThrownBy(
                            () ->
                                    new ExportTaskRun(
                                                    clients,
                                                    AwsSettings.from(config(s3)),
                                                    io.hypersdk.transfer.DownloadEngine.builder()
                                                            .build())
                                            .run(
                                                    vm,
                                                    out.resolve("x.vmdk"),
                                                    ProgressListener.NONE,
                                                    Cancellation.create()))
                    .isInstanceOf(ExportException.class)
                    .hasMessageContaining("cannot export encrypted EBS volumes")
                    .hasMessageContaining("method=ebs-direct");
        }
        assertThat(aws.ec2Requests("CreateInstanceExportTask")).isEmpty();
    }

    @Test
    void withoutABucketTheExportTaskMethodIsRefusedNamingTheSetting() {
        assertThatThrownBy(
                        () ->
                                AwsSettings.from(
                                        ProviderConfig.builder(Map.of())
                                                .set("method", "export-task")
                                                .build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("bucket=")
                .hasMessageContaining("ebs-direct");
        assertThatThrownBy(
                        () ->
                                AwsSettings.from(
                                        ProviderConfig.builder(Map.of())
                                                .set("ec2-endpoint", "http://example.com")
                                                .build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("only loopback endpoints may use http");
        assertThatThrownBy(
                        () ->
                                AwsSettings.from(
                                        ProviderConfig.builder(Map.of()).set("methd", "x").build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'methd' is unknown");
    }
}
