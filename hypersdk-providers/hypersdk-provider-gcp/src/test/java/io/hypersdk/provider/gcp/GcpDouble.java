package io.hypersdk.provider.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * Compute Engine, Cloud Build and Google's OAuth token endpoint on loopback (WireMock), scripted
 * with the JSON those REST APIs answer (compute#instance, compute#machineType, compute#operation, a
 * Cloud Build operation and builds in QUEUED/WORKING/SUCCESS or FAILURE with failureInfo). Public
 * for the CLI's end-to-end tests.
 */
public final class GcpDouble implements AutoCloseable {
    public static final String PROJECT = "hypersdk-test";
    public static final String ZONE = "us-central1-a";
    public static final String NAME = "web-01";
    public static final String INSTANCE_ID = "4567890123456789012";
    public static final String BUILD_ID = "6f1b2c3d-0a1b-4c5d-8e9f-0123456789ab";

    /** The access token the token endpoint hands out: it must never be printed. */
    public static final String TOKEN = "ya29.hypersdk-test-token-that-must-never-be-printed-3c9e";

    static final String API = "/compute/v1/projects/" + PROJECT;

    private final WireMockServer server;

    public GcpDouble() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(
                post(urlPathEqualTo("/token"))
                        .willReturn(
                                okJson(
                                        "{\"access_token\":\""
                                                + TOKEN
                                                + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}")));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    public WireMockServer server() {
        return server;
    }

    /**
     * A service account key file (a fresh RSA key) whose {@code token_uri} is this double's token
     * endpoint: what {@code GOOGLE_APPLICATION_CREDENTIALS} points at.
     */
    public Path credentialsFile(Path dir) throws IOException {
        String pem;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            pem =
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                            + "\n-----END PRIVATE KEY-----\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String json =
                "{\"type\":\"service_account\",\"project_id\":\""
                        + PROJECT
                        + "\",\"private_key_id\":\"0123abcd\","
                        + "\"private_key\":\""
                        + pem.replace("\n", "\\n")
                        + "\",\"client_email\":\"exporter@"
                        + PROJECT
                        + ".iam.gserviceaccount.com\",\"client_id\":\"109876543210987654321\",\"token_uri\":\""
                        + endpoint()
                        + "/token\"}";
        Path f = dir.resolve("sa-key.json");
        Files.writeString(f, json);
        return f;
    }

    /**
     * {@code instances.get}/{@code list} of web-01 ({@code status}), its n2-standard-4 machine type
     * and disks of 1 GiB.
     */
    public GcpDouble instance(String status, boolean uefi) {
        String disk = API + "/zones/" + ZONE + "/disks/";
        String instance =
                "{\"kind\":\"compute#instance\",\"id\":\""
                        + INSTANCE_ID
                        + "\",\"creationTimestamp\":\"2026-11-30T02:00:00.000-08:00\","
                        + "\"name\":\""
                        + NAME
                        + "\",\"tags\":{\"fingerprint\":\"42WmSpB8rSM=\"},"
                        + "\"machineType\":\"https://www.googleapis.com"
                        + API
                        + "/zones/"
                        + ZONE
                        + "/machineTypes/n2-standard-4\","
                        + "\"status\":\""
                        + status
                        + "\",\"zone\":\"https://www.googleapis.com"
                        + API
                        + "/zones/"
                        + ZONE
                        + "\","
                        + "\"canIpForward\":false,\"networkInterfaces\":[{\"kind\":\"compute#networkInterface\","
                        + "\"network\":\"https://www.googleapis.com"
                        + API
                        + "/global/networks/default\","
                        + "\"subnetwork\":\"https://www.googleapis.com/compute/v1/projects/"
                        + PROJECT
                        + "/regions/us-central1/subnetworks/default\","
                        + "\"networkIP\":\"10.128.0.7\",\"name\":\"nic0\",\"fingerprint\":\"Ak2zfd3ZJDY=\",\"stackType\":\"IPV4_ONLY\","
                        + "\"nicType\":\"GVNIC\"}],"
                        // the data disk first: the provider must put the boot disk first
                        + "\"disks\":[{\"kind\":\"compute#attachedDisk\",\"type\":\"PERSISTENT\",\"mode\":\"READ_WRITE\","
                        + "\"source\":\"https://www.googleapis.com"
                        + disk
                        + "web-01-data\",\"deviceName\":\"data\",\"index\":1,"
                        + "\"boot\":false,\"autoDelete\":false,\"interface\":\"SCSI\",\"diskSizeGb\":\"1\",\"architecture\":\"X86_64\"},"
                        + "{\"kind\":\"compute#attachedDisk\",\"type\":\"PERSISTENT\",\"mode\":\"READ_WRITE\","
                        + "\"source\":\"https://www.googleapis.com"
                        + disk
                        + "web-01\",\"deviceName\":\"persistent-disk-0\",\"index\":0,"
                        + "\"boot\":true,\"autoDelete\":true,\"licenses\":[\"https://www.googleapis.com/compute/v1/projects/debian-cloud/global/licenses/debian-12-bookworm\"],"
                        + "\"interface\":\"SCSI\",\"guestOsFeatures\":[{\"type\":\"VIRTIO_SCSI_MULTIQUEUE\"},{\"type\":\"SEV_CAPABLE\"},"
                        + (uefi ? "{\"type\":\"UEFI_COMPATIBLE\"}," : "")
                        + "{\"type\":\"GVNIC\"}],"
                        + "\"diskSizeGb\":\"1\",\"architecture\":\"X86_64\"}],"
                        + "\"metadata\":{\"kind\":\"compute#metadata\",\"fingerprint\":\"c1sLcE2b1B0=\"},"
                        + "\"serviceAccounts\":[{\"email\":\"123456789012-compute@developer.gserviceaccount.com\","
                        + "\"scopes\":[\"https://www.googleapis.com/auth/cloud-platform\"]}],"
                        + "\"selfLink\":\"https://www.googleapis.com"
                        + API
                        + "/zones/"
                        + ZONE
                        + "/instances/"
                        + NAME
                        + "\","
                        + "\"scheduling\":{\"onHostMaintenance\":\"MIGRATE\",\"automaticRestart\":true,\"preemptible\":false},"
                        + "\"cpuPlatform\":\"Intel Cascade Lake\",\"labelFingerprint\":\"42WmSpB8rSM=\","
                        + "\"startRestricted\":false,\"deletionProtection\":false,"
                        + (uefi
                                ? "\"shieldedInstanceConfig\":{\"enableSecureBoot\":true,\"enableVtpm\":true,\"enableIntegrityMonitoring\":true},"
                                : "")
                        + "\"fingerprint\":\"HnqJBXu0yDs=\",\"lastStartTimestamp\":\"2026-11-30T02:00:10.000-08:00\"}";
        server.stubFor(
                get(urlPathEqualTo(API + "/zones/" + ZONE + "/instances/" + NAME))
                        .willReturn(okJson(instance)));
        server.stubFor(
                get(urlPathMatching(API + "/zones/" + ZONE + "/instances/(?!" + NAME + "$).*"))
                        .willReturn(
                                aResponse()
                                        .withStatus(404)
                                        .withHeader(
                                                "Content-Type", "application/json; charset=UTF-8")
                                        .withBody(
                                                "{\"error\":{\"code\":404,\"message\":\"The resource 'projects/"
                                                        + PROJECT
                                                        + "/zones/"
                                                        + ZONE
                                                        + "/instances/nope' was not found\",\"errors\":[{\"message\":\"The resource was not found\","
                                                        + "\"domain\":\"global\",\"reason\":\"notFound\"}]}}")));
        server.stubFor(
                get(urlPathEqualTo(API + "/zones/" + ZONE + "/instances"))
                        .willReturn(
                                okJson(
                                        "{\"kind\":\"compute#instanceList\",\"id\":\"projects/"
                                                + PROJECT
                                                + "/zones/"
                                                + ZONE
                                                + "/instances\",\"items\":["
                                                + instance
                                                + "],\"selfLink\":\"https://www.googleapis.com"
                                                + API
                                                + "/zones/"
                                                + ZONE
                                                + "/instances\"}")));
        server.stubFor(
                get(urlPathEqualTo(API + "/zones/" + ZONE + "/machineTypes/n2-standard-4"))
                        .willReturn(
                                okJson(
                                        "{\"kind\":\"compute#machineType\",\"id\":\"901004\",\"creationTimestamp\":\"1969-12-31T16:00:00.000-08:00\","
                                                + "\"name\":\"n2-standard-4\",\"description\":\"4 vCPUs, 16 GB RAM\",\"guestCpus\":4,\"memoryMb\":16384,"
                                                + "\"imageSpaceGb\":0,\"maximumPersistentDisks\":128,\"maximumPersistentDisksSizeGb\":\"263168\","
                                                + "\"zone\":\""
                                                + ZONE
                                                + "\",\"isSharedCpu\":false,\"architecture\":\"X86_64\"}")));
        return this;
    }

    private static String operation(
            String name, String type, String target, String status, String zone) {
        return "{\"kind\":\"compute#operation\",\"id\":\"7364812300391\",\"name\":\""
                + name
                + "\","
                + (zone.isEmpty()
                        ? ""
                        : "\"zone\":\"https://www.googleapis.com" + API + "/zones/" + zone + "\",")
                + "\"operationType\":\""
                + type
                + "\",\"targetLink\":\"https://www.googleapis.com"
                + API
                + target
                + "\","
                + "\"status\":\""
                + status
                + "\",\"user\":\"exporter@"
                + PROJECT
                + ".iam.gserviceaccount.com\","
                + "\"progress\":"
                + (status.equals("DONE") ? 100 : 0)
                + ",\"insertTime\":\"2026-12-06T16:00:00.000-08:00\","
                + "\"selfLink\":\"https://www.googleapis.com"
                + API
                + (zone.isEmpty() ? "/global" : "/zones/" + zone)
                + "/operations/"
                + name
                + "\"}";
    }

    /** images.insert (RUNNING, then DONE on the first poll), images.delete; snapshots likewise. */
    public GcpDouble images() {
        server.stubFor(
                post(urlPathEqualTo(API + "/global/images"))
                        .willReturn(
                                okJson(
                                        operation(
                                                "operation-image-insert",
                                                "insert",
                                                "/global/images/x",
                                                "RUNNING",
                                                ""))));
        server.stubFor(
                get(urlPathEqualTo(API + "/global/operations/operation-image-insert"))
                        .willReturn(
                                okJson(
                                        operation(
                                                "operation-image-insert",
                                                "insert",
                                                "/global/images/x",
                                                "DONE",
                                                ""))));
        server.stubFor(
                delete(urlPathMatching(API + "/global/images/.*"))
                        .willReturn(
                                okJson(
                                        operation(
                                                "operation-image-delete",
                                                "delete",
                                                "/global/images/x",
                                                "PENDING",
                                                ""))));
        server.stubFor(
                post(urlPathMatching(API + "/zones/" + ZONE + "/disks/[^/]+/createSnapshot"))
                        .willReturn(
                                okJson(
                                        operation(
                                                "operation-snapshot",
                                                "createSnapshot",
                                                "/zones/" + ZONE + "/disks/web-01",
                                                "PENDING",
                                                ZONE))));
        server.stubFor(
                get(urlPathEqualTo(API + "/zones/" + ZONE + "/operations/operation-snapshot"))
                        .willReturn(
                                okJson(
                                        operation(
                                                "operation-snapshot",
                                                "createSnapshot",
                                                "/zones/" + ZONE + "/disks/web-01",
                                                "DONE",
                                                ZONE))));
        server.stubFor(
                delete(urlPathMatching(API + "/global/snapshots/.*"))
                        .willReturn(
                                okJson(
                                        operation(
                                                "operation-snapshot-delete",
                                                "delete",
                                                "/global/snapshots/x",
                                                "PENDING",
                                                ""))));
        return this;
    }

    /**
     * builds.create, then builds.get: WORKING ({@code workingPolls} times), then the end state;
     * WORKING for ever when {@code workingPolls} is negative.
     */
    public GcpDouble build(int workingPolls, String endStatus, String failureDetail) {
        String builds = "/v1/projects/" + PROJECT + "/builds";
        server.stubFor(
                post(urlPathEqualTo(builds))
                        .willReturn(
                                okJson(
                                        "{\"name\":\"projects/"
                                                + PROJECT
                                                + "/locations/global/operations/b3d5c1e2-0000-4a4a-9999-abcdefabcdef\",\"metadata\":{\"@type\":"
                                                + "\"type.googleapis.com/google.devtools.cloudbuild.v1.BuildOperationMetadata\",\"build\":"
                                                + build("QUEUED", "")
                                                + "}}")));
        if (workingPolls < 0) {
            server.stubFor(
                    get(urlPathEqualTo(builds + "/" + BUILD_ID))
                            .willReturn(okJson(build("WORKING", ""))));
            server.stubFor(
                    post(urlPathEqualTo(builds + "/" + BUILD_ID + ":cancel"))
                            .willReturn(okJson(build("CANCELLED", ""))));
            return this;
        }
        String state = Scenario.STARTED;
        for (int i = 0; i < workingPolls; i++) {
            String next = "working-" + i;
            server.stubFor(
                    get(urlPathEqualTo(builds + "/" + BUILD_ID))
                            .inScenario("build")
                            .whenScenarioStateIs(state)
                            .willReturn(okJson(build("WORKING", "")))
                            .willSetStateTo(next));
            state = next;
        }
        server.stubFor(
                get(urlPathEqualTo(builds + "/" + BUILD_ID))
                        .inScenario("build")
                        .whenScenarioStateIs(state)
                        .willReturn(okJson(build(endStatus, failureDetail))));
        server.stubFor(
                post(urlPathEqualTo(builds + "/" + BUILD_ID + ":cancel"))
                        .willReturn(okJson(build("CANCELLED", ""))));
        return this;
    }

    private static String build(String status, String failure) {
        return "{\"id\":\""
                + BUILD_ID
                + "\",\"status\":\""
                + status
                + "\",\"projectId\":\""
                + PROJECT
                + "\","
                + "\"steps\":[{\"name\":\""
                + ImageExportBuild.EXPORT_STEP
                + "\",\"args\":[\"-client_id=api\"],"
                + "\"env\":[\"BUILD_ID="
                + BUILD_ID
                + "\"]}],\"createTime\":\"2026-12-07T00:00:00.123456Z\","
                + "\"timeout\":\"7200s\",\"logsBucket\":\"gs://123456789012.cloudbuild-logs.googleusercontent.com\","
                + "\"tags\":[\"gce-daisy\",\"gce-daisy-image-export\"],"
                + "\"logUrl\":\"https://console.cloud.google.com/cloud-build/builds/"
                + BUILD_ID
                + "?project=123456789012\""
                + (failure.isEmpty()
                        ? ""
                        : ",\"statusDetail\":\"Build step failure: build step 0 failed\",\"failureInfo\":"
                                + "{\"type\":\"USER_BUILD_STEP\",\"detail\":\""
                                + failure
                                + "\"}")
                + "}";
    }

    /** Requests whose path matches the regex, in order. */
    public List<LoggedRequest> requests(String method, String pathRegex) {
        return server.getAllServeEvents().stream()
                .map(e -> e.getRequest())
                .filter(
                        r ->
                                r.getMethod().value().equals(method)
                                        && r.getUrl().split("\\?")[0].matches(pathRegex))
                .sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate))
                .toList();
    }

    /** Every request except the token endpoint's. */
    public List<LoggedRequest> apiRequests() {
        return server.getAllServeEvents().stream()
                .map(e -> e.getRequest())
                .filter(r -> !r.getUrl().startsWith("/token"))
                .toList();
    }

    @Override
    public void close() {
        server.stop();
    }
}
