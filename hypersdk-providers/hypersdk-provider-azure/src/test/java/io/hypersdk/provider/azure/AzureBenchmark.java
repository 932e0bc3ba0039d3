package io.hypersdk.provider.azure;

import com.azure.storage.blob.specialized.PageBlobClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The Azure benchmark of issue 17 (not run by {@code mvn verify}): an 8 GiB fixed VHD (qemu-img)
 * with 1 GiB of data in 1024 scattered 1 MiB runs, a sparse page blob in Azurite; exported by the
 * provider (only the allocated page ranges; ARM is the WireMock double) and downloaded whole by the
 * same engine (parallel 4 MiB ranges, no page-range awareness), alternating A B A B for {@code
 * --rounds} rounds (default 3), each in its own JVM with {@code -Xmx128m} ({@link
 * AzureBenchExport}). {@code AzureBenchmark DIR [--rounds N]}.
 */
public final class AzureBenchmark {
    private AzureBenchmark() {}

    record Run(
            String method,
            double seconds,
            double transferSeconds,
            long bytes,
            long heapUpper,
            long heapSampled) {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int rounds = args.length > 2 && args[1].equals("--rounds") ? Integer.parseInt(args[2]) : 3;
        Path vhd = TestDisks.fixedVhd(dir, "bench", 8192, 1024, 1024);
        Files.deleteIfExists(TestDisks.raw(vhd));
        long size = Files.size(vhd);
        try (Azurite azurite = Azurite.start(dir);
                ArmDouble arm = ArmDouble.start(dir)) {
            long t0 = System.nanoTime();
            PageBlobClient blob = azurite.uploadSparse("myOsDisk.vhd", vhd);
            System.out.printf(
                    "disk: %d MiB fixed VHD, 1024 MiB of data in 1024 runs (+ footer); uploaded to Azurite in %.1f s; load average %s%n",
                    size >> 20, (System.nanoTime() - t0) / 1e9, load());
            String sas = azurite.readSas(blob, OffsetDateTime.now().plusHours(6));
            List<Run> runs = new ArrayList<>();
            System.out.printf(
                    "%-5s %-11s %8s %10s %12s %10s %12s %6s%n",
                    "round",
                    "method",
                    "wall s",
                    "transfer s",
                    "bytes",
                    "heap MiB",
                    "sampled MiB",
                    "load");
            for (int round = 1; round <= rounds; round++) {
                for (String method : List.of("page-ranges", "whole-blob")) {
                    arm.server.resetAll();
                    arm.vm("myVM", "deallocated", "myOsDisk", size, List.of(), null, "V1");
                    arm.grants("myOsDisk", List.of(sas));
                    Run r = run(dir, method, sas, size, arm);
                    runs.add(r);
                    System.out.printf(
                            "%-5d %-11s %8.2f %10.2f %12d %10.1f %12.1f %6s%n",
                            round,
                            method,
                            r.seconds(),
                            r.transferSeconds(),
                            r.bytes(),
                            r.heapUpper() / 1048576.0,
                            r.heapSampled() / 1048576.0,
                            load());
                }
            }
            double aw = median(runs, "page-ranges", Run::seconds);
            double bw = median(runs, "whole-blob", Run::seconds);
            double at = median(runs, "page-ranges", Run::transferSeconds);
            double bt = median(runs, "whole-blob", Run::transferSeconds);
            System.out.printf(
                    "median wall s: page-ranges %.2f, whole-blob %.2f (ratio whole / page-ranges %.2f);"
                            + " median transfer s: %.2f, %.2f (ratio %.2f); bytes whole / page-ranges %.2f;"
                            + " max heap (upper bound) %.1f MiB under -Xmx128m%n",
                    aw,
                    bw,
                    bw / aw,
                    at,
                    bt,
                    bt / at,
                    (double) runs.get(1).bytes() / runs.get(0).bytes(),
                    runs.stream().mapToLong(Run::heapUpper).max().orElse(0) / 1048576.0);
        }
        System.exit(0);
    }

    private static double median(List<Run> runs, String method, ToDoubleFunction<Run> f) {
        double[] s =
                runs.stream()
                        .filter(r -> r.method().equals(method))
                        .mapToDouble(f)
                        .sorted()
                        .toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String load() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static Run run(Path dir, String method, String sas, long size, ArmDouble arm)
            throws Exception {
        Path out = dir.resolve("out-" + method);
        if (Files.exists(out)) {
            try (var s = Files.walk(out)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx128m",
                                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                                "-cp",
                                System.getProperty("java.class.path"),
                                AzureBenchExport.class.getName(),
                                method,
                                out.toString()));
        if (method.equals("page-ranges")) {
            cmd.addAll(
                    List.of(
                            arm.endpoint(),
                            arm.caPem.toString(),
                            ArmDouble.SUBSCRIPTION,
                            ArmDouble.GROUP));
        } else {
            cmd.add(String.valueOf(size));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = p.getOutputStream()) {
            in.write((sas + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(method + " failed: " + text);
        }
        Map<String, String> v = new TreeMap<>();
        text.lines()
                .map(l -> l.split(" ", 2))
                .filter(x -> x.length == 2)
                .forEach(x -> v.put(x[0], x[1]));
        try (var s = Files.walk(out)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        return new Run(
                method,
                Long.parseLong(v.get("ELAPSED_NS")) / 1e9,
                Long.parseLong(v.get("TRANSFER_NS")) / 1e9,
                Long.parseLong(v.get("BYTES")),
                Long.parseLong(v.get("PEAK_HEAP_BYTES")),
                Long.parseLong(v.get("SAMPLED_HEAP_BYTES")));
    }
}
