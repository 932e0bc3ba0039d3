package io.hypersdk.provider.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure Resource Manager's long-running operations and throttling, as ARM answers them: {@code
 * grantAccess} answering 202 with {@code Azure-AsyncOperation}, {@code Location} and {@code
 * Retry-After}, the async operation status ({@code InProgress}, then {@code Succeeded} with {@code
 * properties.output.accessSAS}) polled until it ends; a 429 {@code TooManyRequests} with {@code
 * Retry-After} backed off. The polls are read back from WireMock's request journal.
 */
@Timeout(120)
class ArmOperationsTest {
    @TempDir static Path dir;
    static AzureFixture fixture;
    @TempDir Path out;

    @BeforeAll
    static void start() throws Exception {
        fixture = AzureFixture.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void reset() {
        fixture.arm.server.resetAll();
    }

    static io.hypersdk.provider.spi.ProviderConfig config() {
        return io.hypersdk.provider.spi.ProviderConfig.builder(java.util.Map.of())
                .set("subscription", ArmDouble.SUBSCRIPTION)
                .set("resource-group", ArmDouble.GROUP)
                .set("endpoint", fixture.arm.endpoint())
                .set("ca-file", fixture.arm.caPem.toString())
                .build();
    }

    static String operation() {
        return ArmDouble.sub()
                + "/providers/Microsoft.Compute/locations/"
                + ArmDouble.LOCATION
                + "/DiskOperations/8f2c1e5a-3b7d-4c9e-a1f0-6d2b9e4c7a13";
    }

    /**
     * grantAccess of myOsDisk as ARM answers it: 202 with both headers and {@code Retry-After: 1};
     * the {@code Azure-AsyncOperation} URL answers InProgress twice, then Succeeded with the SAS;
     * the {@code Location} URL (the same operation with {@code monitor=true}) answers the result.
     */
    void asyncGrant(String sas) {
        ArmDouble arm = fixture.arm;
        arm.vm("myVM", "deallocated", "myOsDisk", 64L << 20, List.of(), null, "V1");
        String base = arm.endpoint().replaceAll("/$", "") + operation();
        arm.server.stubFor(
                post(urlPathEqualTo(ArmDouble.diskId("myOsDisk") + "/beginGetAccess"))
                        .willReturn(
                                aResponse()
                                        .withStatus(202)
                                        .withHeader(
                                                "Azure-AsyncOperation",
                                                base + "?p=a1b2c3&api-version=2024-03-02")
                                        .withHeader(
                                                "Location",
                                                base
                                                        + "?p=a1b2c3&monitor=true&api-version=2024-03-02")
                                        .withHeader("Retry-After", "1")
                                        .withHeader("x-ms-request-id", "grant-request")));
        String status =
                """
                {"startTime": "2026-12-07T01:50:00.1234567+00:00", "status": "%s", "name": "8f2c1e5a-3b7d-4c9e-a1f0-6d2b9e4c7a13"%s}""";
        for (int i = 0; i < 3; i++) {
            boolean done = i == 2;
            arm.server.stubFor(
                    get(urlPathEqualTo(operation()))
                            .withQueryParam("monitor", absent())
                            .inScenario("async-grant")
                            .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "poll-" + i)
                            .willSetStateTo("poll-" + (i + 1))
                            .willReturn(
                                    aResponse()
                                            .withStatus(200)
                                            .withHeader("Content-Type", "application/json")
                                            .withHeader("Retry-After", "1")
                                            .withBody(
                                                    status.formatted(
                                                            done ? "Succeeded" : "InProgress",
                                                            done
                                                                    ? ", \"endTime\": \"2026-12-07T01:50:03.7654321+00:00\","
                                                                            + " \"properties\": {\"output\": {\"accessSAS\": \""
                                                                            + sas
                                                                            + "\"}}"
                                                                    : ""))));
        }
        arm.server.stubFor(
                get(urlPathEqualTo(operation()))
                        .withQueryParam("monitor", equalTo("true"))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody("{\"accessSAS\": \"" + sas + "\"}")));
        String revoke = ArmDouble.sub() + "/providers/Microsoft.Compute/locations/westus/revoke";
        arm.server.stubFor(
                post(urlPathEqualTo(ArmDouble.diskId("myOsDisk") + "/endGetAccess"))
                        .willReturn(
                                aResponse()
                                        .withStatus(202)
                                        .withHeader(
                                                "Azure-AsyncOperation",
                                                arm.endpoint().replaceAll("/$", "")
                                                        + revoke
                                                        + "?api-version=2024-03-02")
                                        .withHeader("Retry-After", "1")));
        arm.server.stubFor(
                get(urlPathEqualTo(revoke))
                        .willReturn(
                                aResponse()
                                        .withStatus(200)
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(status.formatted("Succeeded", ""))));
    }

    List<LoggedRequest> polls(boolean monitor) {
        return fixture.arm.server.findAll(
                getRequestedFor(urlPathEqualTo(operation()))
                        .withQueryParam("monitor", monitor ? equalTo("true") : absent()));
    }

    @Test
    void aGrantAnswering202IsPolledThroughAzureAsyncOperationUntilSucceeded() throws Exception {
        String sas = fixture.sas(OffsetDateTime.now().plusHours(1));
        asyncGrant(sas);
        try (ProviderSession s =
                AzureExportTest.provider(AzureExportTest.fast()).connect(config())) {
            s.export(
                    ExportRequest.builder("myVM", out).build(),
                    ProgressListener.NONE,
                    Cancellation.create());
        }
        assertThat(Files.mismatch(out.resolve("myVM-disk-0.vhd"), fixture.vhd)).isEqualTo(-1L);
        assertThat(polls(false))
                .as("the Azure-AsyncOperation status polled until Succeeded")
                .hasSize(3)
                .allSatisfy(
                        r ->
                                assertThat(r.getHeader("Authorization"))
                                        .isEqualTo("Bearer " + AzureExportTest.TOKEN));
        List<LoggedRequest> asyncPolls = polls(false);
        for (int i = 1; i < asyncPolls.size(); i++) {
            assertThat(
                            asyncPolls.get(i).getLoggedDate().getTime()
                                    - asyncPolls.get(i - 1).getLoggedDate().getTime())
                    .as("Retry-After: 1 honoured between polls (not a default interval)")
                    .isBetween(900L, 10_000L);
        }
        assertThat(
                        fixture.arm.server.findAll(
                                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                                        urlPathEqualTo(
                                                ArmDouble.diskId("myOsDisk") + "/endGetAccess"))))
                .as("revokeAccess after success")
                .hasSize(1);
    }

    @Test
    void a429WithRetryAfterOnAnArmCallIsBackedOffAndTheCallSucceeds() {
        ArmDouble arm = fixture.arm;
        arm.vm("myVM", "deallocated", "myOsDisk", 64L << 20, List.of(), null, "V1");
        String vmPath = ArmDouble.rg() + "/providers/Microsoft.Compute/virtualMachines/myVM";
        arm.server.stubFor(
                get(urlPathEqualTo(vmPath))
                        .atPriority(1)
                        .inScenario("throttled")
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willSetStateTo("once")
                        .willReturn(
                                aResponse()
                                        .withStatus(429)
                                        .withHeader("Content-Type", "application/json")
                                        .withHeader("Retry-After", "2")
                                        .withHeader(
                                                "x-ms-ratelimit-remaining-subscription-reads", "0")
                                        .withBody(
                                                """
            {"error": {"code": "TooManyRequests", "message": "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00. For more information, see - https://aka.ms/srpthrottlinglimits"}}""")));
        VmDescription vm;
        try (ProviderSession s =
                AzureExportTest.provider(AzureExportTest.fast()).connect(config())) {
            vm = s.describe("myVM");
        }
        assertThat(vm.name()).isEqualTo("myVM");
        List<LoggedRequest> reads = arm.server.findAll(getRequestedFor(urlPathEqualTo(vmPath)));
        assertThat(reads).as("the throttled read, then the retry").hasSize(2);
        assertThat(reads.get(1).getLoggedDate().getTime() - reads.get(0).getLoggedDate().getTime())
                .as("Retry-After: 2 honoured")
                .isBetween(1900L, 10_000L);
    }
}
