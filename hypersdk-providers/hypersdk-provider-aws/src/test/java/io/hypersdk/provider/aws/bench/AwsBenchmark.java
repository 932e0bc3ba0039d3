package io.hypersdk.provider.aws.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hypersdk.provider.aws.AwsDouble;
import io.hypersdk.provider.aws.DiskImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The AWS benchmark (not run by {@code mvn verify}): a sparse 4 GiB volume with 512 MiB written,
 * exported once by ebs-direct (the written blocks from a loopback EBS server) and once by
 * export-task (the whole raw image from a loopback S3 server), each in its own JVM with {@code
 * -Xmx128m} ({@link AwsBenchExport}). Prints wall time, bytes served and the exporter's peak heap.
 * {@code AwsBenchmark DIR}.
 */
public final class AwsBenchmark {
    private AwsBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Path raw = dir.resolve("volume.raw");
        Files.deleteIfExists(raw);
        long[] offsets = new long[8];
        for (int i = 0; i < 8; i++) {
            offsets[i] = i * (512L << 20);
        }
        DiskImage image = DiskImage.create(raw, 4, offsets, 64L << 20);
        AtomicLong served = new AtomicLong();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        http.setExecutor(
                Executors.newFixedThreadPool(
                        32,
                        r -> {
                            Thread t = new Thread(r, "bench-server");
                            t.setDaemon(true);
                            return t;
                        }));
        http.createContext("/snapshots/", ex -> ebs(ex, image, served));
        http.createContext("/exports/", ex -> s3(ex, raw, served));
        http.start();
        String local = "http://127.0.0.1:" + http.getAddress().getPort();
        try (AwsDouble aws = new AwsDouble().instance(4, 1)) {
            aws.ec2(
                    "DescribeSnapshots",
                    "<snapshotSet><item><snapshotId>"
                            + AwsDouble.ROOT_SNAPSHOT
                            + "</snapshotId><volumeId>"
                            + AwsDouble.ROOT_VOLUME
                            + "</volumeId><status>completed</status><progress>100%</progress><volumeSize>4</volumeSize>"
                            + "</item></snapshotSet>");
            aws.exportTask("exports", "vms/", "raw", "completed", "");
            String common = "region=us-east-1,poll-interval=PT0.05S,ec2-endpoint=" + aws.endpoint();
            List<String[]> rows = new ArrayList<>();
            rows.add(
                    run(
                            dir,
                            "ebs-direct",
                            common
                                    + ",ebs-endpoint="
                                    + local
                                    + ",snapshot-ids="
                                    + AwsDouble.ROOT_SNAPSHOT,
                            served));
            rows.add(
                    run(
                            dir,
                            "export-task",
                            common
                                    + ",method=export-task,bucket=exports,prefix=vms/,disk-format=raw,s3-endpoint="
                                    + local,
                            served));
            System.out.printf(
                    "%-12s %10s %14s %12s %14s%n",
                    "method", "wall s", "bytes served", "MiB/s", "peak heap MiB");
            for (String[] r : rows) {
                System.out.printf("%-12s %10s %14s %12s %14s%n", (Object[]) r);
            }
            System.out.printf(
                    "written data %d MiB of a %d MiB volume; ratio of wall times export-task / ebs-direct: %.2f%n",
                    image.writtenBlocks().size() / 2,
                    image.size() >> 20,
                    Double.parseDouble(rows.get(1)[1]) / Double.parseDouble(rows.get(0)[1]));
        } finally {
            http.stop(0);
        }
        System.exit(0);
    }

    private static String[] run(Path dir, String method, String options, AtomicLong served)
            throws Exception {
        Path out = dir.resolve("out-" + method);
        if (Files.exists(out)) {
            try (var s = Files.walk(out)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        served.set(0);
        List<String> cmd =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-Daws.accessKeyId=AKIDHYPERSDKBENCH001",
                        "-Daws.secretAccessKey=bench-secret",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        AwsBenchExport.class.getName(),
                        out.toString(),
                        options);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(method + " failed: " + text);
        }
        Map<String, String> v = new TreeMap<>();
        text.lines()
                .map(l -> l.split(" ", 2))
                .filter(a -> a.length == 2)
                .forEach(a -> v.put(a[0], a[1]));
        double secs = Long.parseLong(v.get("ELAPSED_NS")) / 1e9;
        long bytes = served.get();
        return new String[] {
            method,
            String.format("%.2f", secs),
            String.valueOf(bytes),
            String.format("%.0f", bytes / secs / (1 << 20)),
            String.format("%.1f", Long.parseLong(v.get("PEAK_HEAP_BYTES")) / 1048576.0)
        };
    }

    private static void ebs(HttpExchange ex, DiskImage image, AtomicLong served)
            throws IOException {
        String path = ex.getRequestURI().getPath();
        String[] parts = path.split("/");
        if (parts.length == 4) { // /snapshots/ID/blocks
            StringBuilder json = new StringBuilder("{\"Blocks\":[");
            List<Integer> blocks = image.writtenBlocks();
            for (int i = 0; i < blocks.size(); i++) {
                json.append(i == 0 ? "" : ",")
                        .append("{\"BlockIndex\":")
                        .append(blocks.get(i))
                        .append(",\"BlockToken\":\"")
                        .append(AwsDouble.token(parts[2], blocks.get(i)))
                        .append("\"}");
            }
            json.append("],\"ExpiryTime\":1796000000.0,\"VolumeSize\":")
                    .append(image.size() >> 30)
                    .append(",\"BlockSize\":")
                    .append(DiskImage.BLOCK)
                    .append('}');
            send(
                    ex,
                    200,
                    "application/json",
                    json.toString().getBytes(StandardCharsets.UTF_8),
                    Map.of());
            return;
        }
        byte[] block = image.block(Integer.parseInt(parts[4]));
        served.addAndGet(block.length);
        send(
                ex,
                200,
                "application/octet-stream",
                block,
                Map.of(
                        "x-amz-Checksum",
                        AwsDouble.sha256(block),
                        "x-amz-Checksum-Algorithm",
                        "SHA256",
                        "x-amz-Data-Length",
                        String.valueOf(block.length)));
    }

    private static void s3(HttpExchange ex, Path raw, AtomicLong served) throws IOException {
        long size = Files.size(raw);
        ex.getResponseHeaders().add("ETag", "\"bench-etag\"");
        ex.getResponseHeaders().add("Last-Modified", "Sun, 06 Dec 2026 22:00:00 GMT");
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().add("Content-Length", String.valueOf(size));
            ex.sendResponseHeaders(200, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(200, size);
        try (OutputStream out = ex.getResponseBody();
                RandomAccessFile f = new RandomAccessFile(raw.toFile(), "r")) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = f.read(buf)) > 0) {
                out.write(buf, 0, n);
                served.addAndGet(n);
            }
        }
    }

    private static void send(
            HttpExchange ex, int status, String type, byte[] body, Map<String, String> headers)
            throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
