package io.hypersdk.transfer.bench;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.transfer.DownloadEngine;
import io.hypersdk.transfer.DownloadRequest;
import io.hypersdk.transfer.DownloadedFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine side of the benchmark, run in its own JVM (with -Xmx128m): {@code DownloadBenchMain
 * [--buffered] [--no-sparse] [--connections N] DIR URI...} downloads every URI in parallel (SHA-256
 * on, as always; {@code --buffered} turns direct I/O off, {@code --no-sparse} writes zero blocks,
 * {@code --connections N|auto} sets the connections per file, default the engine's adaptive choice)
 * and prints {@code ELAPSED_NS}, {@code BYTES}, {@code SHA256 <name> <hex>} and {@code
 * PEAK_HEAP_BYTES} (sum of the heap pools' peak usage: an upper bound).
 */
public final class DownloadBenchMain {
    private DownloadBenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--discard")) {
            discard(List.of(args).subList(1, args.length));
            return;
        }
        boolean buffered = false;
        boolean sparse = true;
        int connections = 0; // 0: the adaptive default
        int first = 0;
        while (args[first].startsWith("--")) {
            switch (args[first]) {
                case "--buffered" -> buffered = true;
                case "--no-sparse" -> sparse = false;
                case "--connections" -> {
                    String v = args[++first];
                    connections = v.equals("auto") ? 0 : Integer.parseInt(v);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[first]);
            }
            first++;
        }
        Path dir = Path.of(args[first]);
        List<DownloadRequest> reqs = new ArrayList<>();
        for (int i = first + 1; i < args.length; i++) {
            URI u = URI.create(args[i]);
            reqs.add(DownloadRequest.of(u, dir.resolve(Path.of(u.getPath()).getFileName())));
        }
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
        DownloadEngine.Builder builder =
                DownloadEngine.builder()
                        .parallelism(Math.max(1, reqs.size()))
                        .directIo(!buffered)
                        .sparse(sparse);
        if (connections > 0) {
            builder.connectionsPerFile(connections);
        }
        DownloadEngine engine = builder.build();
        long t0 = System.nanoTime();
        List<DownloadedFile> files =
                engine.downloadAll(reqs, ProgressListener.NONE, Cancellation.none());
        long elapsed = System.nanoTime() - t0;
        long bytes = 0;
        for (DownloadedFile f : files) {
            bytes += f.bytes();
            System.out.println("SHA256 " + f.path().getFileName() + " " + f.sha256());
        }
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        System.out.println("ELAPSED_NS " + elapsed);
        System.out.println("BYTES " + bytes);
        System.out.println("PEAK_HEAP_BYTES " + peak);
        System.out.println("MAX_HEAP_BYTES " + Runtime.getRuntime().maxMemory());
    }

    /**
     * The ceiling of java.net.http here: the same client reads both bodies and drops them (no hash,
     * no file).
     */
    private static void discard(List<String> uris) throws Exception {
        java.net.http.HttpClient client =
                java.net.http.HttpClient.newBuilder()
                        .version(java.net.http.HttpClient.Version.HTTP_1_1)
                        .build();
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(uris.size());
        long t0 = System.nanoTime();
        List<java.util.concurrent.Future<Long>> fs = new ArrayList<>();
        for (String u : uris) {
            fs.add(
                    pool.submit(
                            () -> {
                                try (java.io.InputStream in =
                                        client.send(
                                                        java.net.http.HttpRequest.newBuilder(
                                                                        URI.create(u))
                                                                .build(),
                                                        java.net.http.HttpResponse.BodyHandlers
                                                                .ofInputStream())
                                                .body()) {
                                    byte[] buf = new byte[256 * 1024];
                                    long n = 0;
                                    int r;
                                    while ((r = in.readNBytes(buf, 0, buf.length)) > 0) {
                                        n += r;
                                    }
                                    return n;
                                }
                            }));
        }
        long bytes = 0;
        for (java.util.concurrent.Future<Long> f : fs) {
            bytes += f.get();
        }
        System.out.println("ELAPSED_NS " + (System.nanoTime() - t0));
        System.out.println("BYTES " + bytes);
        System.out.println("PEAK_HEAP_BYTES 0");
        pool.shutdown();
    }
}
