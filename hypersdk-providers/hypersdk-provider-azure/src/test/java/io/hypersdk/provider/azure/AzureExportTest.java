package io.hypersdk.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.storage.blob.specialized.PageBlobClient;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.provider.spi.ExportProviders;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.TransferException;
import io.hypersdk.provider.spi.VmDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The provider against a real blob store (Azurite, a real page blob holding a fixed VHD made by
 * qemu-img, real read-only SAS) and Azure Resource Manager scripted with WireMock over TLS.
 */
@Timeout(300)
class AzureExportTest {
    static final String TOKEN = "test-bearer-" + UUID.randomUUID();
    static final TokenCredential CREDENTIAL =
            request -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));

    @TempDir static Path dir;
    static AzureFixture fixture;
    static Azurite azurite;
    static ArmDouble arm;
    static Path vhd;
    @TempDir Path out;

    @BeforeAll
    static void start() throws Exception {
        fixture = AzureFixture.start(dir);
        azurite = fixture.azurite;
        arm = fixture.arm;
        vhd = fixture.vhd;
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void reset() {
        arm.server.resetAll();
    }

    static ProviderConfig config() {
        return ProviderConfig.builder(java.util.Map.of())
                .set("subscription", ArmDouble.SUBSCRIPTION)
                .set("resource-group", ArmDouble.GROUP)
                .set("endpoint", arm.endpoint())
                .set("ca-file", arm.caPem.toString())
                .build();
    }

    static AzureExportProvider provider(AzureExporter.Tuning tuning) {
        return new AzureExportProvider(http -> CREDENTIAL, tuning);
    }

    static AzureExporter.Tuning fast() {
        return new AzureExporter.Tuning(
                b -> b.backoff(Duration.ofMillis(50), Duration.ofMillis(200)).maxAttempts(3),
                2,
                Clock.systemUTC());
    }

    String sas(OffsetDateTime expiry) {
        return fixture.sas(expiry);
    }

    static String signature(String sas) {
        return AzureFixture.signature(sas);
    }

    void deallocatedVm(List<String> grants) {
        fixture.deallocatedVm(grants);
    }

    @Test
    void theProviderIsFoundThroughTheSpi() {
        assertThat(ExportProviders.find("azure")).get().isInstanceOf(AzureExportProvider.class);
    }

    @Test
    void exportsOnlyTheAllocatedPageRangesIntoAnIdenticalFixedVhdThenRevokes() throws Exception {
        String sas = sas(OffsetDateTime.now().plusHours(1));
        deallocatedVm(List.of(sas));
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        ExportResult result;
        try (ProviderSession s = provider(fast()).connect(config())) {
            result =
                    s.export(
                            ExportRequest.builder("myVM", out).checksums(true).build(),
                            events::add,
                            Cancellation.create());
            AzureExporter exporter = ((AzureSession) s).exporter();
            long allocated = 6 * (256L << 10) + 512;
            assertThat(exporter.lastTransferred())
                    .as("bytes transferred ~ the allocated ranges, not the disk size")
                    .isBetween(allocated, allocated + (1L << 20))
                    .isLessThan(Files.size(vhd) / 8);
        }
        Path disk = out.resolve("myVM-disk-0.vhd");
        assertThat(result.files()).containsExactly(disk);
        assertThat(Files.mismatch(disk, vhd))
                .as("byte for byte the page blob, VHD footer included")
                .isEqualTo(-1L);
        assertThat(TestDisks.compareRawWithVhd(TestDisks.raw(vhd), disk))
                .contains("Images are identical");
        String manifest = Files.readString(result.manifestPath());
        com.fasterxml.jackson.databind.JsonNode m =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest);
        assertThat(m.at("/disks/0/source_format").asText()).isEqualTo("vhd");
        assertThat(m.at("/source/provider").asText()).isEqualTo("azure");
        assertThat(m.at("/disks/0/checksum").asText())
                .isEqualTo(result.manifest().disks().get(0).checksum().orElseThrow())
                .startsWith("sha256:");
        assertThat(arm.grantCalls("myOsDisk")).isEqualTo(1);
        assertThat(arm.revokeCalls("myOsDisk")).as("revokeAccess after success").isEqualTo(1);
        // every ARM call carried the bearer token and an api-version
        for (LoggedRequest r : arm.requests()) {
            assertThat(r.getHeader("Authorization")).as(r.getUrl()).isEqualTo("Bearer " + TOKEN);
            assertThat(r.queryParameter("api-version").isPresent()).as(r.getUrl()).isTrue();
        }
        assertThat(arm.requests())
                .anySatisfy(
                        r -> {
                            assertThat(r.getUrl()).contains("/disks/myOsDisk/beginGetAccess");
                            assertThat(r.queryParameter("api-version").firstValue())
                                    .matches("\\d{4}-\\d{2}-\\d{2}");
                            assertThat(r.getBodyAsString())
                                    .contains("\"access\":\"Read\"")
                                    .contains("\"durationInSeconds\":3600");
                        });
        String shown = manifest + events + result;
        assertThat(shown).doesNotContain(signature(sas));
    }

    @Test
    void describesSizeFirmwareDisksByLunAndNics() {
        arm.vm(
                "myVM",
                "deallocated",
                "myOsDisk",
                64L << 20,
                List.of(new ArmDouble.DataDisk(1, "data-b"), new ArmDouble.DataDisk(0, "data-a")),
                "TrustedLaunch",
                "V2");
        try (ProviderSession s = provider(fast()).connect(config())) {
            VmDescription d = s.describe(ArmDouble.GROUP + "/myVM");
            assertThat(d.cpu()).isEqualTo(4);
            assertThat(d.memoryBytes()).isEqualTo(14336L << 20);
            assertThat(d.firmware()).isEqualTo(Firmware.UEFI);
            assertThat(d.secureBoot()).isTrue();
            assertThat(d.powerState()).isEqualTo(PowerState.OFF);
            assertThat(d.osHint()).isEqualTo("linux");
            assertThat(d.disks())
                    .extracting(x -> x.id())
                    .containsExactly("myOsDisk", "data-a", "data-b");
            assertThat(d.nics())
                    .singleElement()
                    .satisfies(n -> assertThat(n.mac()).contains("00:0d:3a:1b:c7:21"));
            assertThat(
                            s.describe(
                                            ArmDouble.rg()
                                                    + "/providers/Microsoft.Compute/virtualMachines/myVM")
                                    .name())
                    .isEqualTo("myVM");
            assertThat(s.listVms())
                    .singleElement()
                    .satisfies(v -> assertThat(v.cpu()).isEqualTo(4));
        }
    }

    @Test
    void aGeneration2OsDiskMeansUefiWithoutTrustedLaunch() {
        arm.vm("myVM", "stopped", "myOsDisk", 64L << 20, List.of(), null, "V2");
        try (ProviderSession s = provider(fast()).connect(config())) {
            VmDescription d = s.describe("myVM");
            assertThat(d.firmware()).isEqualTo(Firmware.UEFI);
            assertThat(d.secureBoot()).isFalse();
        }
    }

    @Test
    void aRunningVmIsRefusedWithTheFixAndNothingIsGranted() {
        arm.vm("myVM", "running", "myOsDisk", 64L << 20, List.of(), null, "V1");
        arm.grants("myOsDisk", List.of(sas(OffsetDateTime.now().plusHours(1))));
        try (ProviderSession s = provider(fast()).connect(config())) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder("myVM", out).build(),
                                            e -> {},
                                            Cancellation.create()))
                    .isInstanceOf(AzureExporter.VmRunningException.class)
                    .hasMessageContaining("myResourceGroup/myVM is running")
                    .hasMessageContaining("az vm deallocate -g myResourceGroup -n myVM")
                    .hasMessageContaining("--provider-option snapshot=true");
        }
        assertThat(arm.grantCalls("myOsDisk")).isZero();
    }

    @Test
    void aRunningVmIsExportedFromSnapshotsWhenAskedAndTheSnapshotsAreDeleted() throws Exception {
        arm.vm("myVM", "running", "myOsDisk", 64L << 20, List.of(), null, "V1");
        arm.snapshots("myOsDisk", List.of(sas(OffsetDateTime.now().plusHours(1))));
        ProviderConfig withSnapshots = config().toBuilder().set("snapshot", "true").build();
        try (ProviderSession s = provider(fast()).connect(withSnapshots)) {
            ExportResult r =
                    s.export(
                            ExportRequest.builder("myVM", out).build(),
                            e -> {},
                            Cancellation.create());
            assertThat(r.manifest().source().flatMap(x -> x.exportMethod()))
                    .contains("snapshot-sas");
        }
        assertThat(Files.mismatch(out.resolve("myVM-disk-0.vhd"), vhd)).isEqualTo(-1L);
        assertThat(arm.snapshotCalls("PUT", "myOsDisk")).as("snapshot created").isEqualTo(1);
        assertThat(arm.snapshotGrantCalls("beginGetAccess", "myOsDisk")).isEqualTo(1);
        assertThat(arm.snapshotGrantCalls("endGetAccess", "myOsDisk"))
                .as("snapshot grant revoked")
                .isEqualTo(1);
        assertThat(arm.snapshotCalls("DELETE", "myOsDisk")).as("snapshot deleted").isEqualTo(1);
        assertThat(arm.grantCalls("myOsDisk"))
                .as("the running VM's disk itself is never granted")
                .isZero();
    }

    @Test
    void aTamperedSignatureGives403AClearErrorWithoutTheSasAndTheGrantIsRevoked() {
        String good = sas(OffsetDateTime.now().plusHours(1));
        String sig = signature(good);
        String tampered =
                good.replace(
                        "sig=" + sig,
                        "sig=" + (sig.startsWith("A") ? "B" : "A") + sig.substring(1));
        deallocatedVm(List.of(tampered));
        try (ProviderSession s = provider(fast()).connect(config())) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder("myVM", out).build(),
                                            e -> {},
                                            Cancellation.create()))
                    .isInstanceOf(TransferException.class)
                    .hasMessageContaining("403")
                    .hasMessageContaining("myOsDisk")
                    .satisfies(
                            e ->
                                    assertThat(e.getMessage())
                                            .doesNotContain(sig)
                                            .doesNotContain(tampered));
        }
        assertThat(arm.revokeCalls("myOsDisk")).as("revokeAccess after failure").isEqualTo(1);
    }

    @Test
    void aSasExpiringMidTransferIsRenewedWithANewGrantAndTheDownloadGoesOn() throws Exception {
        // the first grant expires 3 s after it is made, the transfer is held at 256 KiB/s (~6 s)
        String shortLived = sas(OffsetDateTime.now().plusSeconds(6));
        String renewed = sas(OffsetDateTime.now().plusHours(1));
        deallocatedVm(List.of(shortLived, renewed));
        AzureExporter.Tuning slow =
                new AzureExporter.Tuning(
                        b ->
                                b.bandwidthLimit(256L << 10)
                                        .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                                        .maxAttempts(3),
                        2,
                        Clock.systemUTC());
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        try (ProviderSession s = provider(slow).connect(config())) {
            s.export(
                    ExportRequest.builder("myVM", out).build(), events::add, Cancellation.create());
        }
        assertThat(arm.grantCalls("myOsDisk"))
                .as("a second grantAccess after the SAS expired")
                .isEqualTo(2);
        assertThat(Files.mismatch(out.resolve("myVM-disk-0.vhd"), vhd)).isEqualTo(-1L);
        assertThat(arm.revokeCalls("myOsDisk")).isEqualTo(1);
        assertThat(events.toString())
                .doesNotContain(signature(shortLived))
                .doesNotContain(signature(renewed));
    }

    @Test
    void aCancelledExportRevokesTheGrant() {
        deallocatedVm(List.of(sas(OffsetDateTime.now().plusHours(1))));
        Cancellation cancel = Cancellation.create();
        AzureExporter.Tuning slow =
                new AzureExporter.Tuning(b -> b.bandwidthLimit(128L << 10), 2, Clock.systemUTC());
        ProgressListener cancelOnFirstBytes =
                e -> {
                    if (e instanceof TransferProgress t && t.bytesDone() > 0) {
                        cancel.cancel();
                    }
                };
        try (ProviderSession s = provider(slow).connect(config())) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder("myVM", out).build(),
                                            cancelOnFirstBytes,
                                            cancel))
                    .isInstanceOf(CancelledException.class);
        }
        assertThat(arm.revokeCalls("myOsDisk")).as("revokeAccess after cancel").isEqualTo(1);
    }

    @Test
    void storageGoingAwayMidTransferFailsClearlyAndRevokes() throws Exception {
        try (Azurite other = Azurite.start(dir)) {
            PageBlobClient b = other.uploadSparse("myOsDisk.vhd", vhd);
            deallocatedVm(List.of(other.readSas(b, OffsetDateTime.now().plusHours(1))));
            AtomicBoolean stopped = new AtomicBoolean();
            AzureExporter.Tuning slow =
                    new AzureExporter.Tuning(
                            b2 ->
                                    b2.bandwidthLimit(256L << 10)
                                            .backoff(Duration.ofMillis(50), Duration.ofMillis(100))
                                            .maxAttempts(2),
                            2,
                            Clock.systemUTC());
            ProgressListener stopStorage =
                    e -> {
                        if (e instanceof TransferProgress t
                                && t.bytesDone() > 0
                                && !stopped.getAndSet(true)) {
                            try {
                                other.close();
                            } catch (InterruptedException ex) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    };
            try (ProviderSession s = provider(slow).connect(config())) {
                assertThatThrownBy(
                                () ->
                                        s.export(
                                                ExportRequest.builder("myVM", out).build(),
                                                stopStorage,
                                                Cancellation.create()))
                        .isInstanceOf(TransferException.class)
                        .hasMessageContaining("myOsDisk");
            }
            assertThat(stopped).isTrue();
            assertThat(arm.revokeCalls("myOsDisk")).as("revokeAccess after failure").isEqualTo(1);
        }
    }

    @Test
    void anUnknownVmIsNotFoundAndNamed() {
        // ARM's answer (ResourceNotFound); a plain 404 without an ARM body is also "not found"
        arm.server.stubFor(
                com.github.tomakehurst.wiremock.client.WireMock.get(
                                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                                        ArmDouble.rg()
                                                + "/providers/Microsoft.Compute/virtualMachines/nosuchvm"))
                        .willReturn(
                                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                        .withStatus(404)
                                        .withHeader(
                                                "Content-Type", "application/json; charset=utf-8")
                                        .withHeader("x-ms-failure-cause", "gateway")
                                        .withBody(
                                                "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource 'Microsoft.Compute/virtualMachines/"
                                                        + "nosuchvm' under resource group 'myResourceGroup' was not found. For more details please go to"
                                                        + " https://aka.ms/ARMResourceNotFoundFix\"}}")));
        try (ProviderSession s = provider(fast()).connect(config())) {
            assertThatThrownBy(() -> s.describe("othervm"))
                    .isInstanceOf(io.hypersdk.provider.spi.VmNotFoundException.class);
            assertThatThrownBy(() -> s.describe("nosuchvm"))
                    .isInstanceOf(io.hypersdk.provider.spi.VmNotFoundException.class)
                    .hasMessageContaining("myResourceGroup/nosuchvm")
                    .hasMessageContaining(ArmDouble.SUBSCRIPTION);
        }
    }

    @Test
    void aMissingSubscriptionNamesTheSetting() {
        assertThatThrownBy(
                        () ->
                                provider(fast())
                                        .connect(
                                                ProviderConfig.builder(java.util.Map.of()).build()))
                .hasMessageContaining("'subscription' is required")
                .hasMessageContaining("--provider-option subscription=");
        assertThatThrownBy(
                        () ->
                                provider(fast())
                                        .connect(
                                                ProviderConfig.builder(java.util.Map.of())
                                                        .set("subscription", ArmDouble.SUBSCRIPTION)
                                                        .set("endpoint", "http://127.0.0.1:1/")
                                                        .build()))
                .hasMessageContaining("'endpoint'")
                .hasMessageContaining("https");
    }
}
