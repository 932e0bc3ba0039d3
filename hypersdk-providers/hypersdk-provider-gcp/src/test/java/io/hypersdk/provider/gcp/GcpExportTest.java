package io.hypersdk.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.auth.oauth2.GoogleCredentials;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ExportProviders;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.IntegrityException;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmNotFoundException;
import io.hypersdk.transfer.DownloadEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider against the scripted Compute Engine / Cloud Build double (WireMock, real REST JSON)
 * and the Cloud Storage double, with Application Default Credentials from a service account key
 * whose token endpoint is the double; the exported objects are real qemu-made images.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GcpExportTest {
    static final String BUCKET = "exports";
    @TempDir static Path images;
    static Path raw;
    static Path tarball;
    static Path vmdk;

    @TempDir Path dir;
    GcpDouble gcp;
    GcsDouble gcs;
    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void makeImages() throws Exception {
        assumeTrue(GceImages.toolsAvailable(), "qemu-img, qemu-io and GNU tar are needed");
        raw =
                GceImages.raw(
                        images.resolve("disk.raw"),
                        1,
                        new long[] {0, 300L << 20, (1L << 30) - (1 << 20)},
                        1 << 20);
        tarball = GceImages.tarball(raw, images.resolve("export.tar.gz"));
        vmdk = GceImages.vmdk(raw, images.resolve("export.vmdk"));
    }

    @BeforeEach
    void start() throws IOException {
        gcp = new GcpDouble().instance("TERMINATED", true).images();
        gcs = new GcsDouble(GcpDouble.TOKEN);
    }

    @AfterEach
    void stop() {
        gcp.close();
        gcs.close();
    }

    ProviderSession connect(String... extra) throws IOException {
        Path key = gcp.credentialsFile(dir);
        GcpExportProvider provider =
                new GcpExportProvider(
                        () -> {
                            try (InputStream in = Files.newInputStream(key)) {
                                return GoogleCredentials.fromStream(in);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        DownloadEngine.builder()
                                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                                .maxAttempts(4)
                                .build());
        ProviderConfig.Builder b =
                ProviderConfig.builder(Map.of())
                        .set("project", GcpDouble.PROJECT)
                        .set("zone", GcpDouble.ZONE)
                        .set("bucket", BUCKET)
                        .set("compute-endpoint", gcp.endpoint())
                        .set("cloudbuild-endpoint", gcp.endpoint())
                        .set("storage-endpoint", gcs.endpoint())
                        .set("poll-interval", "PT0.02S");
        for (int i = 0; i < extra.length; i += 2) {
            b.set(extra[i], extra[i + 1]);
        }
        return provider.connect(b.build());
    }

    ExportResult export(ProviderSession s, Cancellation cancellation) {
        return s.export(
                ExportRequest.builder(GcpDouble.NAME, dir.resolve("out")).checksums(true).build(),
                events::add,
                cancellation);
    }

    /** An export without the SHA-256 of each 1 GiB image: the tests that export often skip it. */
    ExportResult exportWithoutChecksums(ProviderSession s) {
        return s.export(
                ExportRequest.builder(GcpDouble.NAME, dir.resolve("out")).build(),
                events::add,
                Cancellation.none());
    }

    static void identicalToTheSource(Path image) throws Exception {
        identical(raw, image);
    }

    static void identical(Path source, Path image) throws Exception {
        assertThat(
                        GceImages.run(
                                "qemu-img",
                                "compare",
                                "-f",
                                "raw",
                                "-F",
                                "raw",
                                source.toString(),
                                image.toString()))
                .contains("Images are identical");
    }

    static JsonNode body(LoggedRequest r) throws IOException {
        return new ObjectMapper().readTree(r.getBodyAsString());
    }

    void noTokenAnywhere() throws IOException {
        assertThat(events.toString()).doesNotContain(GcpDouble.TOKEN);
        Path manifest = dir.resolve("out/artifact-manifest.json");
        if (Files.exists(manifest)) {
            assertThat(Files.readString(manifest))
                    .doesNotContain(GcpDouble.TOKEN)
                    .doesNotContain("ya29.");
        }
    }

    @Test
    void theProviderIsFoundThroughTheSpi() {
        assertThat(ExportProviders.find("gcp"))
                .isPresent()
                .get()
                .isInstanceOf(GcpExportProvider.class);
    }

    @Test
    void describeReadsTheMachineTypeFirmwareBootDiskFirstAndNics() throws Exception {
        try (ProviderSession s = connect()) {
            VmDescription d = s.describe(GcpDouble.ZONE + "/" + GcpDouble.NAME);
            assertThat(d.id()).isEqualTo(GcpDouble.INSTANCE_ID);
            assertThat(d.cpu()).isEqualTo(4);
            assertThat(d.memoryBytes()).isEqualTo(16384L << 20);
            assertThat(d.firmware()).isEqualTo(Firmware.UEFI);
            assertThat(d.secureBoot()).isTrue();
            assertThat(d.powerState()).isEqualTo(PowerState.OFF);
            assertThat(d.guestOs()).contains("debian-12-bookworm");
            assertThat(d.osHint()).isEqualTo("linux");
            assertThat(d.disks()).extracting(x -> x.id()).containsExactly("web-01", "web-01-data");
            assertThat(d.disks().get(0).capacityBytes()).isEqualTo(1L << 30);
            assertThat(d.nics())
                    .singleElement()
                    .satisfies(
                            n -> {
                                assertThat(n.network()).contains("default");
                                assertThat(n.id()).contains("nic0");
                            });
            assertThat(s.listVms()).extracting(v -> v.name()).containsExactly(GcpDouble.NAME);
        }
        assertThat(gcp.apiRequests())
                .isNotEmpty()
                .allSatisfy(
                        r ->
                                assertThat(r.getHeader("Authorization"))
                                        .isEqualTo("Bearer " + GcpDouble.TOKEN));
    }

    @Test
    void biosWithoutUefiFeatureOrShieldedConfig() throws Exception {
        gcp.instance("TERMINATED", false);
        try (ProviderSession s = connect()) {
            assertThat(s.describe(GcpDouble.NAME).firmware()).isEqualTo(Firmware.BIOS);
        }
    }

    @Test
    void anUnknownInstanceIsNotFoundWithTheFix() throws Exception {
        try (ProviderSession s = connect()) {
            assertThatThrownBy(() -> s.describe("nope"))
                    .isInstanceOf(VmNotFoundException.class)
                    .hasMessageContaining("no instance 'nope'")
                    .hasMessageContaining(GcpDouble.ZONE);
            assertThatThrownBy(() -> s.describe("Bad_Name"))
                    .isInstanceOf(VmNotFoundException.class)
                    .hasMessageContaining("zone/name");
        }
    }

    @Test
    void theNativeTarballIsUnpackedIntoAnIdenticalSparseRawAndEverythingTemporaryIsDeleted()
            throws Exception {
        gcp.build(2, "SUCCESS", "");
        gcs.putAny(BUCKET, ".tar.gz", tarball);
        ExportResult r;
        try (ProviderSession s = connect()) {
            r = export(s, Cancellation.none());
        }
        assertThat(r.files()).hasSize(2);
        for (Path p : r.files()) {
            assertThat(p.getFileName().toString()).endsWith(".raw");
            identicalToTheSource(p);
            // sparse: far fewer blocks allocated than the 1 GiB size
            long allocated =
                    Long.parseLong(GceImages.run("stat", "-c", "%b", p.toString()).strip()) * 512;
            assertThat(allocated).isLessThan(64L << 20);
        }
        assertThat(r.manifest().disks().get(0).label()).contains("persistent-disk-0");
        // the image of each disk, from the disk (the instance is stopped)
        List<LoggedRequest> inserts = gcp.requests("POST", GcpDouble.API + "/global/images");
        assertThat(inserts).hasSize(2);
        List<String> sources = new ArrayList<>();
        for (LoggedRequest q : inserts) {
            sources.add(body(q).path("sourceDisk").asText());
        }
        assertThat(sources)
                .containsExactlyInAnyOrder(
                        "projects/hypersdk-test/zones/us-central1-a/disks/web-01",
                        "projects/hypersdk-test/zones/us-central1-a/disks/web-01-data");
        // parallel=2 (the default): both images exist before either is deleted
        assertThat(inserts.get(1).getLoggedDate())
                .isBefore(
                        gcp.requests("DELETE", GcpDouble.API + "/global/images/.*")
                                .get(0)
                                .getLoggedDate());
        // the Cloud Build step gcloud compute images export submits, one build per image, without
        // -format for the native tarball
        List<LoggedRequest> builds = gcp.requests("POST", "/v1/projects/hypersdk-test/builds");
        assertThat(builds).hasSize(2);
        List<String> exported = new ArrayList<>();
        for (LoggedRequest q : builds) {
            JsonNode build = body(q);
            JsonNode step = build.path("steps").get(0);
            assertThat(step.path("name").asText())
                    .isEqualTo("gcr.io/compute-image-tools/gce_vm_image_export:release");
            assertThat(step.path("args").toString())
                    .contains("-destination_uri=gs://exports/hypersdk/web-01-web-01")
                    .doesNotContain("-format=");
            assertThat(build.path("tags").toString()).contains("gce-daisy-image-export");
            exported.add(
                    step.path("args").toString().replaceAll(".*-source_image=([^\"]+).*", "$1"));
        }
        List<String> imaged = new ArrayList<>();
        for (LoggedRequest q : inserts) {
            imaged.add("projects/hypersdk-test/global/images/" + body(q).path("name").asText());
        }
        assertThat(exported).containsExactlyInAnyOrderElementsOf(imaged);
        assertThat(gcp.requests("GET", "/v1/projects/hypersdk-test/builds/" + GcpDouble.BUILD_ID))
                .hasSizeGreaterThan(2);
        // cleanup: both images and both exported objects
        assertThat(gcp.requests("DELETE", GcpDouble.API + "/global/images/.*")).hasSize(2);
        assertThat(gcs.requests()).filteredOn(q -> q.startsWith("DELETE ")).hasSize(2);
        assertThat(gcs.requests())
                .filteredOn(q -> q.contains("alt=media"))
                .allSatisfy(q -> assertThat(q).contains("generation=1733529600123456"));
        // the compressed download is gone (and with it the engine's part file)
        assertThat(Files.list(dir.resolve("out")).map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.contains(".tar.gz"));
        noTokenAnywhere();
    }

    @Test
    void vmdkIsDownloadedAsItIsAndKeepLeavesTheObject() throws Exception {
        gcp.build(0, "SUCCESS", "");
        gcs.putAny(BUCKET, ".vmdk", vmdk);
        ExportResult r;
        try (ProviderSession s = connect("format", "vmdk", "keep", "true")) {
            r = export(s, Cancellation.none());
        }
        Path first = r.files().get(0);
        assertThat(first.getFileName().toString()).endsWith(".vmdk");
        assertThat(Files.mismatch(first, vmdk)).isEqualTo(-1L);
        assertThat(GceImages.run("qemu-img", "compare", raw.toString(), first.toString()))
                .contains("Images are identical");
        assertThat(
                        body(gcp.requests("POST", "/v1/projects/hypersdk-test/builds").get(0))
                                .path("steps")
                                .get(0)
                                .path("args")
                                .toString())
                .contains("-format=vmdk");
        assertThat(gcs.requests()).noneMatch(q -> q.startsWith("DELETE "));
        assertThat(gcp.requests("DELETE", GcpDouble.API + "/global/images/.*")).hasSize(2);
    }

    @Test
    void aRunningInstanceNeedsSnapshotTrueAndThenImagesTheSnapshot() throws Exception {
        gcp.instance("RUNNING", true).build(0, "SUCCESS", "");
        gcs.putAny(BUCKET, ".tar.gz", tarball);
        try (ProviderSession s = connect()) {
            assertThatThrownBy(() -> export(s, Cancellation.none()))
                    .isInstanceOf(ExportException.class)
                    .hasMessageContaining("RUNNING")
                    .hasMessageContaining("snapshot=true");
        }
        assertThat(gcp.requests("POST", GcpDouble.API + "/global/images")).isEmpty();
        try (ProviderSession s = connect("snapshot", "true")) {
            export(s, Cancellation.none());
        }
        List<LoggedRequest> snaps =
                gcp.requests(
                        "POST", GcpDouble.API + "/zones/us-central1-a/disks/.*/createSnapshot");
        assertThat(snaps).hasSize(2);
        List<String> fromSnapshots = new ArrayList<>();
        for (LoggedRequest q : snaps) {
            fromSnapshots.add(
                    "projects/hypersdk-test/global/snapshots/" + body(q).path("name").asText());
        }
        List<String> sources = new ArrayList<>();
        for (LoggedRequest q : gcp.requests("POST", GcpDouble.API + "/global/images")) {
            sources.add(body(q).path("sourceSnapshot").asText());
        }
        assertThat(sources).containsExactlyInAnyOrderElementsOf(fromSnapshots);
        assertThat(gcp.requests("DELETE", GcpDouble.API + "/global/snapshots/.*")).hasSize(2);
    }

    @Test
    void aFailedBuildNamesGooglesDetailAndStillDeletesTheImage() throws Exception {
        gcp.build(1, "FAILURE", "failed to export image: disk is not a supported boot disk");
        try (ProviderSession s = connect()) {
            assertThatThrownBy(() -> export(s, Cancellation.none()))
                    .isInstanceOf(ExportException.class)
                    .hasMessageContaining("Cloud Build " + GcpDouble.BUILD_ID)
                    .hasMessageContaining(
                            "ended FAILURE: failed to export image: disk is not a supported boot disk");
        }
        // every image made is deleted, and every export started has its object deleted
        assertThat(gcp.requests("DELETE", GcpDouble.API + "/global/images/.*"))
                .hasSameSizeAs(gcp.requests("POST", GcpDouble.API + "/global/images"))
                .isNotEmpty();
        assertThat(gcs.requests())
                .filteredOn(q -> q.startsWith("DELETE "))
                .hasSameSizeAs(gcp.requests("POST", "/v1/projects/hypersdk-test/builds"));
        noTokenAnywhere();
    }

    @Test
    void aChecksumMismatchIsDownloadedAgainThenFailsWithBothChecksums() throws Exception {
        gcp.build(0, "SUCCESS", "");
        gcs.putAny(BUCKET, ".vmdk", vmdk).corruptNext(1);
        try (ProviderSession s = connect("format", "vmdk")) {
            export(s, Cancellation.none());
        }
        assertThat(gcs.requests()).filteredOn(q -> q.contains("alt=media")).hasSize(3);
        assertThat(events.toString()).contains("arrived with CRC32C").contains("attempt 1 of 2");

        gcs.corruptNext(5);
        events.clear();
        try (ProviderSession s = connect("format", "vmdk", "checksum-attempts", "2")) {
            assertThatThrownBy(() -> export(s, Cancellation.none()))
                    .isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("arrived with CRC32C")
                    .hasMessageContaining("but Cloud Storage records")
                    .hasMessageContaining("after 2 download(s)");
        }
    }

    @Test
    void transientStorageErrorsAreRetried() throws Exception {
        gcp.build(0, "SUCCESS", "");
        gcs.putAny(BUCKET, ".vmdk", vmdk).unavailableNext(2);
        try (ProviderSession s = connect("format", "vmdk")) {
            assertThat(export(s, Cancellation.none()).files()).hasSize(2);
        }
    }

    @Test
    void cancellingDuringTheBuildCancelsItAndDeletesTheTemporaryImage() throws Exception {
        gcp.build(-1, "SUCCESS", "");
        Cancellation cancellation = Cancellation.create();
        CompletableFuture<Throwable> outcome;
        try (ProviderSession s = connect()) {
            outcome =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    export(s, cancellation);
                                    return null;
                                } catch (Throwable t) {
                                    return t;
                                }
                            });
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    gcp.requests(
                                                            "GET",
                                                            "/v1/projects/hypersdk-test/builds/"
                                                                    + GcpDouble.BUILD_ID)
                                                    .size()
                                            >= 2);
            cancellation.cancel();
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(CancelledException.class);
        }
        assertThat(
                        gcp.requests(
                                "POST",
                                "/v1/projects/hypersdk-test/builds/"
                                        + GcpDouble.BUILD_ID
                                        + ":cancel"))
                .isNotEmpty();
        assertThat(gcp.requests("DELETE", GcpDouble.API + "/global/images/.*"))
                .hasSameSizeAs(gcp.requests("POST", GcpDouble.API + "/global/images"))
                .isNotEmpty();
    }

    @Test
    void aDroppedDownloadResumesWhileUnpackingAndATailMismatchIsDownloadedAgain() throws Exception {
        gcp.build(0, "SUCCESS", "");
        // 4 MiB of random bytes, so that the tarball is large enough to be dropped and resumed
        Path noisy = dir.resolve("noisy.raw");
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(
                        noisy,
                        java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE)) {
            byte[] random = new byte[4 << 20];
            new java.util.Random(18).nextBytes(random);
            ch.write(java.nio.ByteBuffer.wrap(random), 64L << 20);
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), (1L << 30) - 1);
        }
        Path noisyTarball = GceImages.tarball(noisy, dir.resolve("noisy.tar.gz"));
        gcs.putAny(BUCKET, ".tar.gz", noisyTarball).dropNextAfter(Files.size(noisyTarball) / 2);
        ExportResult r;
        try (ProviderSession s = connect("parallel", "1")) {
            r = exportWithoutChecksums(s);
        }
        for (Path p : r.files()) {
            identical(noisy, p);
        }
        // three media requests for two disks: the engine resumed the dropped one from where it was
        assertThat(gcs.requests()).filteredOn(q -> q.contains("alt=media")).hasSize(3);
        assertThat(gcs.ranges()).singleElement().asString().matches("bytes=[1-9][0-9]*-");
        // parallel=1: the first disk's image is deleted before the second one is made
        List<LoggedRequest> inserts = gcp.requests("POST", GcpDouble.API + "/global/images");
        assertThat(
                        gcp.requests("DELETE", GcpDouble.API + "/global/images/.*")
                                .get(0)
                                .getLoggedDate())
                .isBeforeOrEqualTo(inserts.get(1).getLoggedDate());

        // the gzip trailer damaged on the wire: the image unpacks, GCS's CRC32C says no
        gcs.corruptTailNext(1);
        events.clear();
        try (ProviderSession s = connect("parallel", "1")) {
            r = exportWithoutChecksums(s);
        }
        assertThat(events.toString()).contains("arrived with CRC32C").contains("attempt 1 of 2");
        for (Path p : r.files()) {
            identical(noisy, p);
        }
        gcs.corruptTailNext(2);
        try (ProviderSession s = connect("parallel", "1")) {
            assertThatThrownBy(() -> exportWithoutChecksums(s))
                    .isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("after 2 download(s)");
        }
        noTokenAnywhere();
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() throws Exception {
        assertThatThrownBy(() -> connect("zone", "central"))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'zone'");
        assertThatThrownBy(() -> connect("formt", "vmdk"))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'formt' is unknown");
        assertThatThrownBy(() -> connect("format", "qcow2"))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("tar.gz")
                .hasMessageContaining("vmdk");
        assertThatThrownBy(() -> connect("parallel", "9"))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("parallel");
        assertThatThrownBy(() -> connect("compute-endpoint", "http://example.com"))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("only loopback");
    }
}
