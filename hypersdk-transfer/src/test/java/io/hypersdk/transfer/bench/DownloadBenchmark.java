package io.hypersdk.transfer.bench;

import io.hypersdk.transfer.testing.LoopbackFileServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Download benchmark (not part of {@code mvn verify}): two files of {@code --size-mib} each from a
 * loopback server (its own JVM), fetched by {@code curl} (two processes in parallel) and by the
 * download engine (its own JVM, {@code -Xmx128m}, SHA-256 on) in alternating rounds of the same
 * run. Prints throughput of both, their ratio, the engine's peak heap, and checks that the engine's
 * SHA-256 equals {@code sha256sum} of curl's files. See the module README.
 */
public final class DownloadBenchmark {
    /** Extra JVM options for the engine's JVM, from BENCH_ENGINE_JAVA_OPTS (space-separated). */
    private static final List<String> ENGINE_JVM_OPTIONS =
            List.of(System.getenv().getOrDefault("BENCH_ENGINE_JAVA_OPTS", "").trim().split("\\s+"))
                    .stream()
                    .filter(s -> !s.isEmpty())
                    .toList();

    private DownloadBenchmark() {}

    public static void main(String[] args) throws Exception {
        long sizeMib = 2048;
        int rounds = 3;
        Path dir = Path.of("/tmp/hypersdk-download-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size-mib" -> sizeMib = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default ->
                        throw new IllegalArgumentException(
                                "unknown option "
                                        + args[i]
                                        + " (--size-mib N, --rounds N, --dir D)");
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        long size = sizeMib << 20;
        Process server =
                new ProcessBuilder(
                                java,
                                "-Xmx256m",
                                "-cp",
                                cp,
                                LoopbackFileServer.class.getName(),
                                "/disk-a.vmdk=" + size + ":1",
                                "/disk-b.vmdk=" + size + ":2")
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        try {
            BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null || !line.startsWith("PORT ")) {
                throw new IllegalStateException("server did not start: " + line);
            }
            String base = "http://127.0.0.1:" + line.substring(5);
            List<String> uris = List.of(base + "/disk-a.vmdk", base + "/disk-b.vmdk");
            System.out.printf(
                    Locale.ROOT,
                    "files: 2 x %d MiB from %s, output under %s%n",
                    sizeMib,
                    base,
                    dir);
            System.out.println(
                    "MiB/s; A = engine (default: direct I/O), B = A timed from JVM start to exit, C = engine with directIo(false);"
                            + " heap = engine's peak heap MiB (-Xmx128m); jdk = java.net.http alone (no hash, no file); ossl = curl|tee|openssl sha256");
            System.out.println(
                    "round    curl       A  A/curl       B  B/curl       C  C/curl    heap     jdk    ossl   load");
            List<Double> ratios = new ArrayList<>();
            List<Double> wallRatios = new ArrayList<>();
            List<Double> bufferedRatios = new ArrayList<>();
            Map<String, String> engineSha = new HashMap<>();
            double bestCurl = 0;
            double bestEngine = 0;
            long maxPeak = 0;
            for (int round = 1; round <= rounds; round++) {
                Path curlDir = Files.createDirectories(dir.resolve("curl"));
                Path engineDir = Files.createDirectories(dir.resolve("engine"));
                clean(curlDir);
                clean(engineDir);
                sync();
                long t0 = System.nanoTime();
                List<Process> curls = new ArrayList<>();
                for (String u : uris) {
                    curls.add(
                            new ProcessBuilder(
                                            "curl",
                                            "-sS",
                                            "--fail",
                                            "-o",
                                            curlDir.resolve(u.substring(u.lastIndexOf('/') + 1))
                                                    .toString(),
                                            u)
                                    .redirectErrorStream(true)
                                    .start());
                }
                for (Process c : curls) {
                    if (c.waitFor() != 0) {
                        throw new IllegalStateException(
                                "curl failed: "
                                        + new String(
                                                c.getInputStream().readAllBytes(),
                                                StandardCharsets.UTF_8));
                    }
                }
                double curlSeconds = (System.nanoTime() - t0) / 1e9;
                Map<String, String> curlSha = new HashMap<>();
                if (round == rounds) {
                    for (String u : uris) {
                        String name = u.substring(u.lastIndexOf('/') + 1);
                        Process sum =
                                new ProcessBuilder("sha256sum", curlDir.resolve(name).toString())
                                        .start();
                        curlSha.put(
                                name,
                                new String(
                                                sum.getInputStream().readAllBytes(),
                                                StandardCharsets.UTF_8)
                                        .split(" ")[0]);
                        sum.waitFor();
                    }
                }
                // deleted files need no writeback: the next contender does not pay for this one's
                // dirty pages
                clean(curlDir);
                sync();

                EngineRun engine = runEngine(java, cp, engineDir, uris, false, engineSha);
                clean(engineDir);
                sync();
                EngineRun buffered = runEngine(java, cp, engineDir, uris, true, new HashMap<>());
                clean(engineDir);
                sync();
                double engineSeconds = engine.seconds();
                List<String> rawCmd =
                        new ArrayList<>(
                                List.of(
                                        java,
                                        "-Xmx128m",
                                        "-cp",
                                        cp,
                                        DownloadBenchMain.class.getName(),
                                        "--discard"));
                rawCmd.addAll(uris);
                Process raw =
                        new ProcessBuilder(rawCmd)
                                .redirectError(ProcessBuilder.Redirect.INHERIT)
                                .start();
                double rawSeconds = Double.NaN;
                for (String l :
                        new String(raw.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                                .split("\n")) {
                    if (l.startsWith("ELAPSED_NS ")) {
                        rawSeconds = Long.parseLong(l.substring(11).trim()) / 1e9;
                    }
                }
                raw.waitFor();
                // curl with hashing, the fair peer of the engine (which always hashes): curl | tee
                // FILE | openssl dgst -sha256
                double hashedSeconds = Double.NaN;
                if (onPath("openssl")) {
                    sync();
                    long h0 = System.nanoTime();
                    List<Process> hashed = new ArrayList<>();
                    for (String u : uris) {
                        String file =
                                curlDir.resolve(u.substring(u.lastIndexOf('/') + 1)).toString();
                        hashed.add(
                                new ProcessBuilder(
                                                "bash",
                                                "-c",
                                                "set -o pipefail; curl -sS --fail '"
                                                        + u
                                                        + "' | tee '"
                                                        + file
                                                        + "' | openssl dgst -sha256 >/dev/null")
                                        .redirectErrorStream(true)
                                        .start());
                    }
                    for (Process h : hashed) {
                        if (h.waitFor() != 0) {
                            throw new IllegalStateException(
                                    "curl|openssl failed: "
                                            + new String(
                                                    h.getInputStream().readAllBytes(),
                                                    StandardCharsets.UTF_8));
                        }
                    }
                    hashedSeconds = (System.nanoTime() - h0) / 1e9;
                    clean(curlDir);
                    sync();
                }
                String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
                long peak = Math.max(engine.peakHeap(), buffered.peakHeap());
                double total = 2.0 * sizeMib;
                double curlRate = total / curlSeconds;
                double engineRate = total / engineSeconds;
                bestCurl = Math.max(bestCurl, curlRate);
                bestEngine = Math.max(bestEngine, engineRate);
                maxPeak = Math.max(maxPeak, peak);
                ratios.add(engineRate / curlRate);
                double wallRate = total / engine.wallSeconds();
                double bufferedRate = total / buffered.seconds();
                wallRatios.add(wallRate / curlRate);
                bufferedRatios.add(bufferedRate / curlRate);
                System.out.printf(
                        Locale.ROOT,
                        "%5d  %6.0f  %6.0f  %5.2f  %6.0f  %5.2f  %6.0f  %5.2f  %6.1f  %6.0f  %6.0f  %5s%n",
                        round,
                        curlRate,
                        engineRate,
                        engineRate / curlRate,
                        wallRate,
                        wallRate / curlRate,
                        bufferedRate,
                        bufferedRate / curlRate,
                        peak / 1048576.0,
                        total / rawSeconds,
                        total / hashedSeconds,
                        load);
                if (round == rounds) {
                    for (String u : uris) {
                        String name = u.substring(u.lastIndexOf('/') + 1);
                        String hex = curlSha.get(name);
                        System.out.println(
                                "sha256 "
                                        + name
                                        + ": engine "
                                        + engineSha.get(name)
                                        + (hex.equals(engineSha.get(name))
                                                ? " == curl+sha256sum"
                                                : " != curl+sha256sum " + hex));
                    }
                }
            }
            ratios.sort(null);
            wallRatios.sort(null);
            bufferedRatios.sort(null);
            System.out.printf(
                    Locale.ROOT,
                    "median ratios: A/curl %.2f, B/curl %.2f, C/curl %.2f%n",
                    ratios.get(ratios.size() / 2),
                    wallRatios.get(wallRatios.size() / 2),
                    bufferedRatios.get(bufferedRatios.size() / 2));
            System.out.printf(
                    Locale.ROOT,
                    "median ratio engine/curl %.2f; best curl %.0f MiB/s, best engine %.0f MiB/s; max engine peak heap %.1f MiB%n",
                    ratios.get(ratios.size() / 2),
                    bestCurl,
                    bestEngine,
                    maxPeak / 1048576.0);
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    /**
     * One engine run: time inside the JVM around downloadAll, time from process start to exit, peak
     * heap.
     */
    private record EngineRun(double seconds, double wallSeconds, long peakHeap) {}

    private static EngineRun runEngine(
            String java,
            String cp,
            Path engineDir,
            List<String> uris,
            boolean buffered,
            Map<String, String> shaOut)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m"));
        cmd.addAll(ENGINE_JVM_OPTIONS);
        cmd.addAll(
                List.of(
                        "-cp",
                        cp,
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        DownloadBenchMain.class.getName()));
        if (buffered) {
            cmd.add("--buffered");
        }
        cmd.add(engineDir.toString());
        cmd.addAll(uris);
        long t0 = System.nanoTime();
        Process engine =
                new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> out = new HashMap<>();
        try (BufferedReader er =
                new BufferedReader(
                        new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = er.readLine()) != null) {
                String[] p = l.split(" ");
                if (p[0].equals("SHA256")) {
                    shaOut.put(p[1], p[2]);
                } else {
                    out.put(p[0], p[1]);
                }
            }
        }
        if (engine.waitFor() != 0) {
            throw new IllegalStateException("engine run failed");
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        return new EngineRun(
                Long.parseLong(out.get("ELAPSED_NS")) / 1e9,
                wall,
                Long.parseLong(out.get("PEAK_HEAP_BYTES")));
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void sync() throws IOException, InterruptedException {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    private static void clean(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(d)) {
                    Files.delete(p);
                }
            }
        }
    }
}
