package io.hypersdk.provider.gcp;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the Compute and Cloud Storage clients cost at start-up, against the hand-written REST call
 * they replaced: each run is a fresh JVM that builds the client and makes one call ({@code
 * instances.get}, or the Storage client's {@code objects.get}) against a loopback server; the runs
 * alternate (A B C A B C ...). Not a test; run it as the module README says.
 */
public final class ComputeStartupBenchmark {
    private static final String INSTANCE =
            "{\"kind\":\"compute#instance\",\"id\":\"1\",\"name\":\"web-01\",\"status\":\"TERMINATED\"}";

    private static final String OBJECT =
            "{\"kind\":\"storage#object\",\"id\":\"b-bench/web-01/1\",\"name\":\"web-01\",\"bucket\":\"b-bench\",\"generation\":\"1\",\"size\":\"1\"}";

    private ComputeStartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2) {
            child(args[0], args[1]);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                x -> {
                    byte[] b =
                            (x.getRequestURI().getPath().startsWith("/storage/")
                                            ? OBJECT
                                            : INSTANCE)
                                    .getBytes(StandardCharsets.UTF_8);
                    x.getResponseHeaders().set("Content-Type", "application/json");
                    x.sendResponseHeaders(200, b.length);
                    x.getResponseBody().write(b);
                    x.close();
                });
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        Map<String, List<long[]>> runs = new TreeMap<>();
        try {
            for (int i = 0; i < rounds; i++) {
                for (String mode : new String[] {"rest", "compute", "storage"}) {
                    runs.computeIfAbsent(mode, k -> new ArrayList<>()).add(run(mode, endpoint));
                }
            }
        } finally {
            server.stop(0);
        }
        System.out.printf(
                "load average %s%n",
                Files.readString(Path.of("/proc/loadavg")).strip().split(" ", 4)[0]
                        + " "
                        + Files.readString(Path.of("/proc/loadavg")).strip().split(" ")[1]
                        + " "
                        + Files.readString(Path.of("/proc/loadavg")).strip().split(" ")[2]);
        System.out.printf(
                "%-8s %22s %22s %14s%n",
                "client", "first call ms (median)", "JVM uptime ms (median)", "classes");
        long[] rest = median(runs.get("rest"));
        for (Map.Entry<String, List<long[]>> e : runs.entrySet()) {
            long[] m = median(e.getValue());
            System.out.printf("%-8s %22d %22d %14d%n", e.getKey(), m[0], m[1], m[2]);
        }
        for (String mode : new String[] {"compute", "storage"}) {
            long[] m = median(runs.get(mode));
            System.out.printf(
                    "%s/rest: first call %.2f, uptime %.2f, classes %.2f (%d rounds, A B C A B C)%n",
                    mode,
                    (double) m[0] / rest[0],
                    (double) m[1] / rest[1],
                    (double) m[2] / rest[2],
                    rounds);
        }
    }

    private static long[] median(List<long[]> runs) {
        long[] out = new long[3];
        for (int k = 0; k < 3; k++) {
            int i = k;
            long[] v = runs.stream().mapToLong(r -> r[i]).sorted().toArray();
            out[k] = v[v.length / 2];
        }
        return out;
    }

    private static long[] run(String mode, String endpoint) throws Exception {
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                                ComputeStartupBenchmark.class.getName(),
                                mode,
                                endpoint)
                        .redirectErrorStream(true)
                        .start();
        String last = "";
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                last = line;
            }
        }
        if (p.waitFor() != 0 || !last.startsWith("result ")) {
            throw new IllegalStateException(mode + " run failed: " + last);
        }
        String[] f = last.split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
    }

    private static void child(String mode, String endpoint) throws Exception {
        GoogleCredentials credentials =
                GoogleCredentials.create(
                        new AccessToken(
                                "benchmark", new Date(System.currentTimeMillis() + 3600_000)));
        long t0 = System.nanoTime();
        String name;
        if (mode.equals("rest")) {
            GoogleApi api = new GoogleApi(credentials, Duration.ofMillis(100));
            name =
                    api.get(
                                    URI.create(
                                            endpoint
                                                    + "/compute/v1/projects/p-bench/zones/us-central1-a/instances/web-01"),
                                    "benchmark")
                            .path("name")
                            .asText();
        } else if (mode.equals("storage")) {
            try (com.google.cloud.storage.Storage s =
                    StorageObject.client(
                            URI.create(endpoint), "p-bench", credentials, Duration.ofMillis(100))) {
                name = s.get(com.google.cloud.storage.BlobId.of("b-bench", "web-01")).getName();
            }
        } else {
            try (ComputeClients c = new ComputeClients(URI.create(endpoint), credentials)) {
                name = c.instances.get("p-bench", "us-central1-a", "web-01").getName();
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (!name.equals("web-01")) {
            throw new IllegalStateException("wrong answer " + name);
        }
        System.out.println(
                "result "
                        + ms
                        + " "
                        + ManagementFactory.getRuntimeMXBean().getUptime()
                        + " "
                        + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    }
}
