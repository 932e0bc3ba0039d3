package io.hypersdk.pipeline.daemon;

import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.pipeline.testing.Disks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in {@code workflow} daemon inside the test JVM, for the high-volume concurrency test:
 * claims by moving into {@code processing/}, converts every disk with the real {@code qemu-img},
 * answers in {@code processed/<date>/} with a report, exactly like the script stand-in. Counts
 * claims per file so duplicates show.
 */
final class InProcessWorkflowDaemon implements AutoCloseable {
    private final Path base;
    private final Path output;
    private final ExecutorService workers;
    private final Thread scanner;
    private volatile boolean running = true;
    final Map<String, AtomicInteger> claims = new ConcurrentHashMap<>();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong busyNanos =
            new java.util.concurrent.atomic.AtomicLong();

    InProcessWorkflowDaemon(Path base, Path output, int workerCount) throws IOException {
        this.base = base;
        this.output = output;
        for (String d : new String[] {"to_be_processed", "processing", "processed", "failed"}) {
            Files.createDirectories(base.resolve(d));
        }
        Files.createDirectories(output);
        this.workers = Executors.newFixedThreadPool(workerCount);
        this.scanner = new Thread(this::scan, "in-process-daemon-scan");
        this.scanner.setDaemon(true);
        this.scanner.start();
    }

    private void scan() {
        Path inbox = base.resolve("to_be_processed");
        while (running) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(inbox, "*.json")) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".")) {
                        continue;
                    }
                    Path claimed = base.resolve("processing").resolve(name);
                    try {
                        Files.move(p, claimed, StandardCopyOption.ATOMIC_MOVE);
                    } catch (NoSuchFileException gone) {
                        continue;
                    }
                    claims.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                    workers.submit(() -> process(claimed));
                }
            } catch (IOException e) {
                // directory vanished during shutdown
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void process(Path claimed) {
        String name = claimed.getFileName().toString();
        String stem = name.substring(0, name.length() - ".json".length());
        String date = LocalDate.now().toString();
        long t0 = System.nanoTime();
        try {
            ArtifactManifest m = ManifestCodec.read(claimed);
            String fmt = m.output().flatMap(o -> o.format()).orElse("qcow2");
            Path dir = Files.createDirectories(output.resolve(date).resolve(stem));
            StringBuilder images = new StringBuilder();
            for (DiskArtifact d : m.disks()) {
                Path image = dir.resolve(d.id() + "." + fmt);
                Path part = dir.resolve(d.id() + "." + fmt + ".part");
                Disks.run(
                        "qemu-img",
                        "convert",
                        "-f",
                        d.sourceFormat().id(),
                        "-O",
                        fmt,
                        d.localPath().toString(),
                        part.toString());
                Files.move(part, image, StandardCopyOption.ATOMIC_MOVE);
                images.append(images.length() == 0 ? "" : ", ")
                        .append('"')
                        .append(image)
                        .append('"');
            }
            Path done = Files.createDirectories(base.resolve("processed").resolve(date));
            Files.writeString(
                    done.resolve(name + ".report.json"),
                    "{\"status\": \"completed\"," + " \"images\": [" + images + "]}",
                    StandardCharsets.UTF_8);
            Files.move(claimed, done.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            completed.incrementAndGet();
            busyNanos.addAndGet(System.nanoTime() - t0);
        } catch (Exception e) {
            failed.incrementAndGet();
            try {
                Path f = Files.createDirectories(base.resolve("failed").resolve(date));
                Files.writeString(
                        f.resolve(name + ".error.json"),
                        "{\"job_id\": \""
                                + stem
                                + "\", \"error\": \""
                                + e.toString().replace('"', '\'')
                                + "\", \"status\": \"failed\"}");
                Files.move(claimed, f.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    @Override
    public void close() {
        running = false;
        scanner.interrupt();
        try {
            scanner.join(5000);
            workers.shutdown();
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
