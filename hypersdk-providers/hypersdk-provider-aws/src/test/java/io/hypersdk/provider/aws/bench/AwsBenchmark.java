package io.hypersdk.provider.aws.bench;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.hypersdk.provider.aws.AwsDouble;
import io.hypersdk.provider.aws.DiskImage;
import io.hypersdk.provider.aws.S3Double;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The AWS benchmark of issue 16 (not run by {@code mvn verify}): a sparse 4 GiB volume with 512 MiB
 * written, exported by ebs-direct (the written blocks from the WireMock EBS double, {@link
 * AwsDouble}) and by export-task (the whole raw image from S3Proxy, {@link S3Double}), alternating
 * A B A B for {@code --rounds} rounds (default 3), each export in its own JVM with {@code -Xmx128m}
 * ({@link AwsBenchExport}). Prints one row per run (wall time, bytes transferred, peak heap, load
 * average) and the medians with their ratio. {@code AwsBenchmark DIR [--rounds N]}.
 */
public final class AwsBenchmark {
    static final String KEY_ID = "AKIDHYPERSDKBENCH001";
    static final String SECRET = "bench-secret-not-a-real-one";

    private AwsBenchmark() {}

    /** One export: seconds inside the exporter, bytes transferred, heap bounds. */
    record Run(String method, double seconds, long bytes, long heapUpper, long heapSampled) {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int rounds = args.length > 2 && args[1].equals("--rounds") ? Integer.parseInt(args[2]) : 3;
        Path raw = dir.resolve("volume.raw");
        Files.deleteIfExists(raw);
        long[] offsets = new long[8];
        for (int i = 0; i < 8; i++) {
            offsets[i] = i * (512L << 20);
        }
        DiskImage image = DiskImage.create(raw, 4, offsets, 64L << 20);
        System.out.printf(
                "volume: %d MiB, %d MiB written in %d blocks of 512 KiB; load average %s%n",
                image.size() >> 20,
                image.writtenBlocks().size() / 2,
                image.writtenBlocks().size(),
                load());
        try (AwsDouble aws = new AwsDouble().instance(4, 1);
                S3Double s3 = new S3Double(KEY_ID, SECRET)) {
            aws.ec2(
                    "DescribeSnapshots",
                    "<snapshotSet><item><snapshotId>"
                            + AwsDouble.ROOT_SNAPSHOT
                            + "</snapshotId><volumeId>"
                            + AwsDouble.ROOT_VOLUME
                            + "</volumeId><status>completed</status><progress>100%</progress><volumeSize>4</volumeSize>"
                            + "</item></snapshotSet>");
            aws.blocks(AwsDouble.ROOT_SNAPSHOT, image, 1000);
            aws.exportTask("exports", "vms/", "raw", "completed", "");
            s3.put("exports", "vms/" + AwsDouble.EXPORT_TASK + ".raw", raw);
            String common = "region=us-east-1,poll-interval=PT0.05S,ec2-endpoint=" + aws.endpoint();
            String ebsDirect =
                    common
                            + ",ebs-endpoint="
                            + aws.endpoint()
                            + ",snapshot-ids="
                            + AwsDouble.ROOT_SNAPSHOT;
            String exportTask =
                    common
                            + ",method=export-task,bucket=exports,prefix=vms/,disk-format=raw,s3-endpoint="
                            + s3.endpoint();
            List<Run> runs = new ArrayList<>();
            System.out.printf(
                    "%-5s %-11s %8s %14s %12s %14s %6s%n",
                    "round", "method", "wall s", "bytes", "heap MiB", "sampled MiB", "load");
            for (int round = 1; round <= rounds; round++) {
                for (String method : List.of("ebs-direct", "export-task")) {
                    aws.server().resetRequests();
                    Run r =
                            run(
                                    dir,
                                    method,
                                    method.equals("ebs-direct") ? ebsDirect : exportTask,
                                    aws);
                    runs.add(r);
                    System.out.printf(
                            "%-5d %-11s %8.2f %14d %12.1f %14.1f %6s%n",
                            round,
                            method,
                            r.seconds(),
                            r.bytes(),
                            r.heapUpper() / 1048576.0,
                            r.heapSampled() / 1048576.0,
                            load());
                }
            }
            double a = median(runs, "ebs-direct");
            double b = median(runs, "export-task");
            System.out.printf(
                    "median wall s: ebs-direct %.2f, export-task %.2f; ratio export-task / ebs-direct %.2f;"
                            + " bytes export-task / ebs-direct %.2f; max heap (upper bound) %.1f MiB under -Xmx128m%n",
                    a,
                    b,
                    b / a,
                    (double) runs.get(1).bytes() / runs.get(0).bytes(),
                    runs.stream().mapToLong(Run::heapUpper).max().orElse(0) / 1048576.0);
        }
        System.exit(0);
    }

    private static double median(List<Run> runs, String method) {
        double[] s =
                runs.stream()
                        .filter(r -> r.method().equals(method))
                        .mapToDouble(Run::seconds)
                        .sorted()
                        .toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String load() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static Run run(Path dir, String method, String options, AwsDouble aws)
            throws Exception {
        Path out = dir.resolve("out-" + method);
        if (Files.exists(out)) {
            try (var s = Files.walk(out)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        List<String> cmd =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-Daws.accessKeyId=" + KEY_ID,
                        "-Daws.secretAccessKey=" + SECRET,
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
                .filter(x -> x.length == 2)
                .forEach(x -> v.put(x[0], x[1]));
        // ebs-direct: the GetSnapshotBlock bodies WireMock served; export-task: the download
        // engine's final progress (S3Proxy keeps no count)
        long bytes =
                method.equals("ebs-direct")
                        ? aws.server()
                                        .findAll(
                                                WireMock.getRequestedFor(
                                                        WireMock.urlPathMatching(
                                                                "/snapshots/.*/blocks/.*")))
                                        .size()
                                * (long) DiskImage.BLOCK
                        : Long.parseLong(v.get("PROGRESS_BYTES"));
        return new Run(
                method,
                Long.parseLong(v.get("ELAPSED_NS")) / 1e9,
                bytes,
                Long.parseLong(v.get("PEAK_HEAP_BYTES")),
                Long.parseLong(v.get("SAMPLED_HEAP_BYTES")));
    }
}
