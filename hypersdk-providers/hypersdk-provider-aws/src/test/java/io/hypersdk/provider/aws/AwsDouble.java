package io.hypersdk.provider.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EC2 (Query API, XML) and the EBS direct APIs (REST, JSON) on one loopback WireMock server,
 * scripted with the wire formats of the AWS API reference: a stopped two-volume UEFI instance
 * {@code web-01}, its instance type, volumes and AMI, CreateSnapshots / DescribeSnapshots (pending,
 * then completed) / DeleteSnapshot, ListSnapshotBlocks in pages and GetSnapshotBlock with {@code
 * x-amz-Checksum}, CreateInstanceExportTask / DescribeExportTasks. Public for the CLI's end-to-end
 * tests.
 */
public final class AwsDouble implements AutoCloseable {
    public static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    public static final String INSTANCE = "i-0a1b2c3d4e5f60718";
    public static final String NAME = "web-01";
    public static final String ROOT_VOLUME = "vol-0aaaaaaaaaaaaaaa1";
    public static final String DATA_VOLUME = "vol-0bbbbbbbbbbbbbbb2";
    public static final String ROOT_SNAPSHOT = "snap-0ccccccccccccccc1";
    public static final String DATA_SNAPSHOT = "snap-0ddddddddddddddd2";
    public static final String MAC = "0a:1b:2c:3d:4e:5f";
    public static final String SUBNET = "subnet-0123456789abcdef0";
    public static final String EXPORT_TASK = "export-i-0f1e2d3c4b5a69788";

    private final WireMockServer server;

    public AwsDouble() {
        server =
                new WireMockServer(
                        options()
                                .bindAddress("127.0.0.1")
                                .dynamicPort()
                                .asynchronousResponseEnabled(false));
        server.start();
    }

    /**
     * The environment of a {@code hyperexport} child process: credentials only in {@code AWS_*}
     * variables (the SDK's default chain), no instance metadata, and no shared config or
     * credentials file of the build user (names under {@code dir} that do not exist).
     */
    public static java.util.Map<String, String> childEnvironment(
            java.nio.file.Path dir, String keyId, String secret) {
        return java.util.Map.of(
                "AWS_ACCESS_KEY_ID",
                keyId,
                "AWS_SECRET_ACCESS_KEY",
                secret,
                "AWS_EC2_METADATA_DISABLED",
                "true",
                "AWS_CONFIG_FILE",
                dir.resolve("no-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.resolve("no-credentials").toString());
    }

    /** The endpoint for both {@code ec2-endpoint} and {@code ebs-endpoint}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public WireMockServer server() {
        return server;
    }

    /** The instance, its type, volumes of {@code rootGib} / {@code dataGib} and its AMI. */
    public AwsDouble instance(int rootGib, int dataGib) {
        String instance =
                "<item><instanceId>"
                        + INSTANCE
                        + "</instanceId><imageId>ami-0123456789abcdef0</imageId>"
                        + "<instanceState><code>80</code><name>stopped</name></instanceState>"
                        + "<privateDnsName>ip-10-0-0-12.ec2.internal</privateDnsName><instanceType>m5.large</instanceType>"
                        + "<launchTime>2026-11-30T10:00:00.000Z</launchTime><placement><availabilityZone>us-east-1a</availabilityZone></placement>"
                        + "<subnetId>"
                        + SUBNET
                        + "</subnetId><vpcId>vpc-0123456789abcdef0</vpcId>"
                        + "<architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName>"
                        + "<blockDeviceMapping>"
                        // the data volume first: the provider must put the root device first
                        + "<item><deviceName>/dev/xvdb</deviceName><ebs><volumeId>"
                        + DATA_VOLUME
                        + "</volumeId><status>attached</status>"
                        + "<attachTime>2026-11-30T10:00:01.000Z</attachTime><deleteOnTermination>false</deleteOnTermination></ebs></item>"
                        + "<item><deviceName>/dev/xvda</deviceName><ebs><volumeId>"
                        + ROOT_VOLUME
                        + "</volumeId><status>attached</status>"
                        + "<attachTime>2026-11-30T10:00:01.000Z</attachTime><deleteOnTermination>true</deleteOnTermination></ebs></item>"
                        + "</blockDeviceMapping><virtualizationType>hvm</virtualizationType>"
                        + "<tagSet><item><key>Name</key><value>"
                        + NAME
                        + "</value></item><item><key>team</key><value>web</value></item></tagSet>"
                        + "<hypervisor>xen</hypervisor><networkInterfaceSet><item><networkInterfaceId>eni-0123456789abcdef0</networkInterfaceId>"
                        + "<subnetId>"
                        + SUBNET
                        + "</subnetId><vpcId>vpc-0123456789abcdef0</vpcId><ownerId>123456789012</ownerId>"
                        + "<status>in-use</status><macAddress>"
                        + MAC
                        + "</macAddress><privateIpAddress>10.0.0.12</privateIpAddress>"
                        + "<attachment><attachmentId>eni-attach-0123456789abcdef0</attachmentId><deviceIndex>0</deviceIndex>"
                        + "<status>attached</status></attachment><interfaceType>interface</interfaceType></item></networkInterfaceSet>"
                        + "<enaSupport>true</enaSupport><bootMode>uefi</bootMode><platformDetails>Linux/UNIX</platformDetails>"
                        + "<currentInstanceBootMode>uefi</currentInstanceBootMode></item>";
        ec2(
                "DescribeInstances",
                "<reservationSet><item><reservationId>r-0123456789abcdef0</reservationId>"
                        + "<ownerId>123456789012</ownerId><groupSet/><instancesSet>"
                        + instance
                        + "</instancesSet></item></reservationSet>");
        ec2(
                "DescribeInstanceTypes",
                "<instanceTypeSet><item><instanceType>m5.large</instanceType>"
                        + "<vCpuInfo><defaultVCpus>2</defaultVCpus><defaultCores>1</defaultCores><defaultThreadsPerCore>2</defaultThreadsPerCore></vCpuInfo>"
                        + "<memoryInfo><sizeInMiB>8192</sizeInMiB></memoryInfo>"
                        + "<supportedBootModes><item>legacy-bios</item><item>uefi</item></supportedBootModes></item></instanceTypeSet>");
        ec2(
                "DescribeVolumes",
                "<volumeSet>"
                        + volume(ROOT_VOLUME, rootGib, "/dev/xvda")
                        + volume(DATA_VOLUME, dataGib, "/dev/xvdb")
                        + "</volumeSet>");
        ec2(
                "DescribeImages",
                "<imagesSet><item><imageId>ami-0123456789abcdef0</imageId><bootMode>uefi</bootMode></item></imagesSet>");
        return this;
    }

    private static String volume(String id, int gib, String device) {
        return "<item><volumeId>"
                + id
                + "</volumeId><size>"
                + gib
                + "</size><snapshotId/><availabilityZone>us-east-1a</availabilityZone>"
                + "<status>in-use</status><createTime>2026-11-30T10:00:00.000Z</createTime><attachmentSet><item><volumeId>"
                + id
                + "</volumeId><instanceId>"
                + INSTANCE
                + "</instanceId><device>"
                + device
                + "</device><status>attached</status>"
                + "</item></attachmentSet><volumeType>gp3</volumeType><encrypted>false</encrypted></item>";
    }

    /** CreateSnapshots, DescribeSnapshots (pending once, then completed), DeleteSnapshot. */
    public AwsDouble snapshots(int rootGib, int dataGib) {
        ec2(
                "CreateSnapshots",
                "<snapshotSet>"
                        + snapshotInfo(ROOT_SNAPSHOT, ROOT_VOLUME, rootGib)
                        + snapshotInfo(DATA_SNAPSHOT, DATA_VOLUME, dataGib)
                        + "</snapshotSet>");
        String pending =
                "<snapshotSet>"
                        + snapshot(ROOT_SNAPSHOT, ROOT_VOLUME, rootGib, "pending", "40%")
                        + snapshot(DATA_SNAPSHOT, DATA_VOLUME, dataGib, "pending", "75%")
                        + "</snapshotSet>";
        String completed =
                "<snapshotSet>"
                        + snapshot(ROOT_SNAPSHOT, ROOT_VOLUME, rootGib, "completed", "100%")
                        + snapshot(DATA_SNAPSHOT, DATA_VOLUME, dataGib, "completed", "100%")
                        + "</snapshotSet>";
        server.stubFor(
                ec2Request("DescribeSnapshots")
                        .inScenario("snapshots")
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(xml("DescribeSnapshots", pending))
                        .willSetStateTo("done"));
        server.stubFor(
                ec2Request("DescribeSnapshots")
                        .inScenario("snapshots")
                        .whenScenarioStateIs("done")
                        .willReturn(xml("DescribeSnapshots", completed)));
        ec2("DeleteSnapshot", "<return>true</return>");
        return this;
    }

    private static String snapshotInfo(String snap, String vol, int gib) {
        return "<item><description>hypersdk export of "
                + INSTANCE
                + "</description><tagSet><item><key>hypersdk:export</key>"
                + "<value>x</value></item></tagSet><encrypted>false</encrypted><volumeId>"
                + vol
                + "</volumeId><state>pending</state>"
                + "<volumeSize>"
                + gib
                + "</volumeSize><startTime>2026-12-06T22:00:00.000Z</startTime><progress/>"
                + "<ownerId>123456789012</ownerId><snapshotId>"
                + snap
                + "</snapshotId></item>";
    }

    private static String snapshot(
            String snap, String vol, int gib, String state, String progress) {
        return "<item><snapshotId>"
                + snap
                + "</snapshotId><volumeId>"
                + vol
                + "</volumeId><status>"
                + state
                + "</status>"
                + "<startTime>2026-12-06T22:00:00.000Z</startTime><progress>"
                + progress
                + "</progress><ownerId>123456789012</ownerId>"
                + "<volumeSize>"
                + gib
                + "</volumeSize><description>hypersdk export of "
                + INSTANCE
                + "</description>"
                + "<encrypted>false</encrypted><storageTier>standard</storageTier></item>";
    }

    /**
     * ListSnapshotBlocks for the image's written blocks, {@code pageSize} per page, and one
     * GetSnapshotBlock per block with its SHA-256 in {@code x-amz-Checksum}.
     */
    public AwsDouble blocks(String snapshot, DiskImage image, int pageSize) throws IOException {
        List<Integer> written = image.writtenBlocks();
        int pages = Math.max(1, (written.size() + pageSize - 1) / pageSize);
        for (int p = 0; p < pages; p++) {
            List<Integer> page =
                    written.subList(p * pageSize, Math.min(written.size(), (p + 1) * pageSize));
            StringBuilder json = new StringBuilder("{\"Blocks\":[");
            for (int i = 0; i < page.size(); i++) {
                json.append(i == 0 ? "" : ",")
                        .append("{\"BlockIndex\":")
                        .append(page.get(i))
                        .append(",\"BlockToken\":\"")
                        .append(token(snapshot, page.get(i)))
                        .append("\"}");
            }
            json.append("],\"ExpiryTime\":1796000000.0,\"VolumeSize\":")
                    .append(image.size() >> 30)
                    .append(",\"BlockSize\":")
                    .append(DiskImage.BLOCK);
            if (p + 1 < pages) {
                json.append(",\"NextToken\":\"page-").append(p + 1).append("\"");
            }
            json.append('}');
            MappingBuilder list =
                    get(urlPathEqualTo("/snapshots/" + snapshot + "/blocks"))
                            .withQueryParam("pageToken", p == 0 ? absent() : equalTo("page-" + p));
            server.stubFor(
                    list.willReturn(
                            aResponse()
                                    .withStatus(200)
                                    .withHeader("Content-Type", "application/json")
                                    .withHeader("x-amzn-RequestId", "req-list-" + p)
                                    .withBody(json.toString())));
        }
        for (int index : written) {
            block(snapshot, index, image.block(index), sha256(image.block(index)));
        }
        return this;
    }

    /** One GetSnapshotBlock answer with the given body and checksum header. */
    public void block(String snapshot, int index, byte[] body, String checksum) {
        server.stubFor(
                get(urlPathEqualTo("/snapshots/" + snapshot + "/blocks/" + index))
                        .withQueryParam("blockToken", equalTo(token(snapshot, index)))
                        .willReturn(blockResponse(body, checksum)));
    }

    public static ResponseDefinitionBuilder blockResponse(byte[] body, String checksum) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/octet-stream")
                .withHeader("x-amz-Data-Length", String.valueOf(body.length))
                .withHeader("x-amz-Checksum", checksum)
                .withHeader("x-amz-Checksum-Algorithm", "SHA256")
                .withHeader("x-amzn-RequestId", "req-block")
                .withBody(body);
    }

    public static String token(String snapshot, int index) {
        return Base64.getEncoder()
                .encodeToString((snapshot + "/" + index).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * CreateInstanceExportTask to bucket/prefix, then DescribeExportTasks: active, then {@code
     * end}.
     */
    public AwsDouble exportTask(
            String bucket, String prefix, String format, String end, String endMessage) {
        return exportTask(bucket, prefix, format, "", end, endMessage);
    }

    /**
     * As {@link #exportTask(String, String, String, String, String)}, with {@code container}
     * ({@code ova}) as the task's {@code containerFormat}: the key then ends in {@code .ova}.
     */
    public AwsDouble exportTask(
            String bucket,
            String prefix,
            String format,
            String container,
            String end,
            String endMessage) {
        String key = prefix + EXPORT_TASK + "." + (container.isEmpty() ? format : container);
        String s3 =
                "<exportToS3>"
                        + (container.isEmpty()
                                ? ""
                                : "<containerFormat>" + container + "</containerFormat>")
                        + "<diskImageFormat>"
                        + format
                        + "</diskImageFormat><s3Bucket>"
                        + bucket
                        + "</s3Bucket>"
                        + "<s3Key>"
                        + key
                        + "</s3Key></exportToS3>";
        String base =
                "<exportTaskId>"
                        + EXPORT_TASK
                        + "</exportTaskId><description>hypersdk export of "
                        + INSTANCE
                        + "</description><instanceExport><instanceId>"
                        + INSTANCE
                        + "</instanceId><targetEnvironment>vmware</targetEnvironment></instanceExport>"
                        + s3;
        ec2(
                "CreateInstanceExportTask",
                "<exportTask>" + base + "<state>active</state></exportTask>");
        server.stubFor(
                ec2Request("DescribeExportTasks")
                        .inScenario("export")
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(
                                xml(
                                        "DescribeExportTasks",
                                        "<exportTaskSet><item>"
                                                + base
                                                + "<state>active</state>"
                                                + "<statusMessage>Converting the disk image</statusMessage></item></exportTaskSet>"))
                        .willSetStateTo("end"));
        server.stubFor(
                ec2Request("DescribeExportTasks")
                        .inScenario("export")
                        .whenScenarioStateIs("end")
                        .willReturn(
                                xml(
                                        "DescribeExportTasks",
                                        "<exportTaskSet><item>"
                                                + base
                                                + "<state>"
                                                + end
                                                + "</state>"
                                                + (endMessage.isEmpty()
                                                        ? ""
                                                        : "<statusMessage>"
                                                                + endMessage
                                                                + "</statusMessage>")
                                                + "</item></exportTaskSet>")));
        ec2("CancelExportTask", "<return>true</return>");
        return this;
    }

    /** The first {@code times} calls of {@code action} answer 503 RequestLimitExceeded. */
    public void throttle(String action, int times) {
        for (int i = 0; i < times; i++) {
            server.stubFor(
                    ec2Request(action)
                            .atPriority(1)
                            .inScenario("throttle-" + action)
                            .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "throttled-" + i)
                            .willReturn(
                                    aResponse()
                                            .withStatus(503)
                                            .withHeader("Content-Type", "text/xml;charset=UTF-8")
                                            .withBody(
                                                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
                                                            + "<Message>Request limit exceeded.</Message></Error></Errors><RequestID>req-throttled</RequestID></Response>"))
                            .willSetStateTo("throttled-" + (i + 1)));
        }
    }

    /**
     * The first {@code times} GetSnapshotBlock calls of one block answer the EBS direct APIs'
     * REST-JSON throttling error: HTTP {@code status}, {@code x-amzn-ErrorType: errorType} and a
     * body with {@code Message} and {@code Reason} (for example 400 {@code
     * RequestThrottledException} with {@code ACCOUNT_THROTTLED}, or 429 {@code
     * ThrottlingException}); later calls fall through to the block's normal answer.
     */
    public void throttleBlock(String snapshot, int index, int times, int status, String errorType) {
        String scenario = "throttle-block-" + snapshot + "-" + index;
        for (int i = 0; i < times; i++) {
            server.stubFor(
                    get(urlPathEqualTo("/snapshots/" + snapshot + "/blocks/" + index))
                            .atPriority(1)
                            .inScenario(scenario)
                            .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "throttled-" + i)
                            .willReturn(
                                    aResponse()
                                            .withStatus(status)
                                            .withHeader("Content-Type", "application/json")
                                            .withHeader("x-amzn-ErrorType", errorType)
                                            .withHeader("x-amzn-RequestId", "req-throttled-" + i)
                                            .withBody(
                                                    "{\"Message\":\"The number of API requests has exceeded the maximum"
                                                            + " allowed API request throttling limit for the snapshot.\","
                                                            + "\"Reason\":\"ACCOUNT_THROTTLED\"}"))
                            .willSetStateTo("throttled-" + (i + 1)));
        }
    }

    /** Stubs an EC2 action answering {@code <ActionResponse>} with {@code inner}. */
    public void ec2(String action, String inner) {
        server.stubFor(ec2Request(action).willReturn(xml(action, inner)));
    }

    public static MappingBuilder ec2Request(String action) {
        return post(urlEqualTo("/")).withRequestBody(matching("(.*&)?Action=" + action + "(&.*)?"));
    }

    private static ResponseDefinitionBuilder xml(String action, String inner) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/xml;charset=UTF-8")
                .withBody(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<"
                                + action
                                + "Response xmlns=\""
                                + NS
                                + "\">"
                                + "<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>"
                                + inner
                                + "</"
                                + action
                                + "Response>");
    }

    /** The requests WireMock received for an EC2 action, in order. */
    public List<LoggedRequest> ec2Requests(String action) {
        return server.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/"))
                        .withRequestBody(matching("(.*&)?Action=" + action + "(&.*)?")));
    }

    /** Every request received, in order. */
    public List<LoggedRequest> requests() {
        List<LoggedRequest> all =
                new ArrayList<>(
                        server.findAll(
                                com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                                        com.github.tomakehurst.wiremock.client.WireMock.anyUrl())));
        all.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
        return all;
    }

    /** The form parameters of a Query API request. */
    public static Map<String, String> form(LoggedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : r.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            out.put(
                    URLDecoder.decode(
                            eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0
                            ? ""
                            : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    public static String sha256(byte[] b) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
