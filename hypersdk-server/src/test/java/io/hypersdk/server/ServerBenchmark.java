package io.hypersdk.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.job.JobProgress;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Not a test (surefire does not run it): the server's two numbers, in one run, rounds A B A B.
 *
 * <ol>
 *   <li>Submission throughput of {@code POST /jobs/submit}: jobs stored and queued, not run (one
 *       worker, held by a job whose converter never ends), with 1 client (A) and 8 concurrent
 *       clients (B), over real HTTP on loopback.
 *   <li>Latency from a progress event published the way the job service publishes each SDK progress
 *       event ({@code EventHub.publish} of {@code Progress.fields}) to its arrival, parsed, at an
 *       SSE client ({@code GET /jobs/{id}/events} over java.net.http), p50/p99, with 1 (A) and 8
 *       (B) clients following the job.
 * </ol>
 *
 * <p>Command: see the module README ("Benchmark").
 */
public final class ServerBenchmark {
    private static final int CLIENTS = 8;
    private static final Duration PHASE = Duration.ofSeconds(5);
    private static final int EVENTS = 1000;

    private ServerBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("hypersdk-server-bench");
        try {
            run(tmp);
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path tmp) throws Exception {
        System.out.printf(Locale.ROOT, "load average at start: %s%n", load());
        Path slow = Fixtures.slowConverter(tmp);
        try (JobServer server =
                Fixtures.server(tmp.resolve("state")).maxConcurrent(1).build().start()) {
            Api api = new Api(server);
            String blocker =
                    api.post("/jobs/submit", Fixtures.slowJob(tmp.resolve("blocker"), slow))
                            .json()
                            .path("job_ids")
                            .get(0)
                            .asText();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!api.status(blocker).equals("running")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the blocking job did not start");
                }
                Thread.onSpinWait();
            }
            String job =
                    "{\"vm_path\": \"sample-appliance.ova\", \"output_dir\": \""
                            + tmp.resolve("queued")
                            + "\"}";
            // warm-up, not reported
            submissions(server.url(), job, CLIENTS, Duration.ofSeconds(3));
            latencies(server, blocker, 1, 300);

            System.out.println();
            System.out.println("round  clients  submissions/s     |  SSE clients  p50 ms   p99 ms");
            double[] rate = new double[4];
            double[][] lat = new double[4][];
            for (int round = 0; round < 4; round++) {
                int clients = round % 2 == 0 ? 1 : CLIENTS;
                rate[round] = submissions(server.url(), job, clients, PHASE);
                lat[round] = latencies(server, blocker, clients, EVENTS);
                System.out.printf(
                        Locale.ROOT,
                        "%s      %d        %8.0f          |  %d            %6.2f   %6.2f%n",
                        round % 2 == 0 ? "A" : "B",
                        clients,
                        rate[round],
                        clients,
                        lat[round][0],
                        lat[round][1]);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%nratio B/A (8 vs 1 client): submissions/s %.2f, %.2f; SSE p50 %.2f, %.2f%n",
                    rate[1] / rate[0],
                    rate[3] / rate[2],
                    lat[1][0] / lat[0][0],
                    lat[3][0] / lat[2][0]);
            System.out.printf(
                    Locale.ROOT,
                    "jobs stored: %d; load average at end: %s%n",
                    api.get("/status").json().path("total_jobs").asInt(),
                    load());
        }
    }

    /** Jobs accepted per second by {@code clients} threads submitting for {@code phase}. */
    private static double submissions(String url, String job, int clients, Duration phase)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        AtomicLong accepted = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + phase.toNanos();
        long t0 = System.nanoTime();
        List<Future<?>> f = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            f.add(
                    pool.submit(
                            () -> {
                                HttpRequest r =
                                        HttpRequest.newBuilder(URI.create(url + "/jobs/submit"))
                                                .header("Content-Type", "application/json")
                                                .POST(HttpRequest.BodyPublishers.ofString(job))
                                                .build();
                                while (System.nanoTime() < end) {
                                    HttpResponse<String> a =
                                            http.send(r, HttpResponse.BodyHandlers.ofString());
                                    if (a.statusCode() != 200
                                            || !a.body().contains("\"accepted\":1")) {
                                        throw new IllegalStateException("refused: " + a.body());
                                    }
                                    accepted.incrementAndGet();
                                }
                                return null;
                            }));
        }
        for (Future<?> x : f) {
            x.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        return accepted.get() / seconds;
    }

    /**
     * p50 and p99 in ms, over {@code events} progress events each seen by {@code clients} SSE
     * clients.
     */
    private static double[] latencies(JobServer server, String id, int clients, int events)
            throws Exception {
        ConcurrentHashMap<Integer, Long> sent = new ConcurrentHashMap<>();
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        HttpClient http = HttpClient.newHttpClient();
        String tag = "bench-" + System.nanoTime() + "-";
        CountDownLatch done = new CountDownLatch(clients);
        List<java.util.concurrent.CompletableFuture<?>> streams = new ArrayList<>();
        int before = subscribers(server, id);
        for (int c = 0; c < clients; c++) {
            HttpRequest r =
                    HttpRequest.newBuilder(URI.create(server.url() + "/jobs/" + id + "/events"))
                            .header("Accept", "text/event-stream")
                            .build();
            streams.add(
                    http.sendAsync(r, HttpResponse.BodyHandlers.ofLines())
                            .thenAccept(
                                    resp -> {
                                        int got = 0;
                                        // closing the stream closes the connection, so the
                                        // server drops this subscriber at its next event
                                        try (Stream<String> lines = resp.body()) {
                                            for (var it = lines.iterator(); it.hasNext(); ) {
                                                String line = it.next();
                                                long now = System.nanoTime();
                                                if (!line.startsWith("data:")
                                                        || !line.contains(tag)) {
                                                    continue;
                                                }
                                                int seq = sequence(line.substring(5), tag);
                                                Long t = sent.get(seq);
                                                if (t != null) {
                                                    seen.add(now - t);
                                                }
                                                if (++got == events) {
                                                    done.countDown();
                                                    return;
                                                }
                                            }
                                        }
                                    }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (subscribers(server, id) < before + clients) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("SSE clients did not subscribe");
            }
            Thread.sleep(5); // a benchmark's set-up, not a test
        }
        for (int i = 0; i < events; i++) {
            sent.put(i, System.nanoTime());
            server.service()
                    .events()
                    .publish(
                            id,
                            new JobEvent(
                                    "progress",
                                    Progress.fields(
                                            new JobProgress(
                                                    Optional.of("export"),
                                                    Optional.of(tag + i),
                                                    0,
                                                    0,
                                                    i,
                                                    events,
                                                    100.0 * i / events))));
            TimeUnit.MICROSECONDS.sleep(500); // about 2000 events/s, far above any real export
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("SSE clients did not receive every event");
        }
        streams.forEach(s -> s.cancel(true));
        long[] ns = seen.stream().mapToLong(Long::longValue).sorted().toArray();
        return new double[] {pct(ns, 0.50) / 1e6, pct(ns, 0.99) / 1e6};
    }

    private static int subscribers(JobServer server, String id) {
        return server.service().events().subscriberCount(id);
    }

    private static int sequence(String json, String tag) {
        try {
            JsonNode n = Json.MAPPER.readTree(json);
            return Integer.parseInt(n.path("current_file").asText().substring(tag.length()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long pct(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return String.format(
                    Locale.ROOT,
                    "%.2f",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
