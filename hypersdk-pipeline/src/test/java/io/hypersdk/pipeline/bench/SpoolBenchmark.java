package io.hypersdk.pipeline.bench;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestVm;
import io.hypersdk.core.manifest.OutputSpec;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.pipeline.daemon.DaemonSpool;
import io.hypersdk.pipeline.daemon.SpoolResult;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Spool benchmark (not part of {@code mvn verify}; see the module README for the command).
 *
 * <p>1. Completion latency: the time from the moment the daemon's answer appears in the spool (the
 * manifest renamed into {@code processed/<date>/}) to the moment {@link DaemonSpool#run} returns,
 * for {@code jobs} jobs, with inotify and with poll-only at the default 5 s interval. A simulated
 * in-process workflow daemon claims each job at once and answers it after a random 0-10 s (two poll
 * cycles), so answers fall at random points of the poll cycle. p50/p99/max are printed.
 *
 * <p>2. Submission throughput: 8 threads publishing workflow jobs (atomic dot-file, fsync, link) as
 * fast as they can; jobs/s.
 *
 * <p>Arguments: {@code [jobs=200] [concurrentCallers=25] [submissions=4000]}.
 */
public final class SpoolBenchmark {
    private SpoolBenchmark() {}

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        int submissions = args.length > 2 ? Integer.parseInt(args[2]) : 4000;
        Path root = Files.createTempDirectory("spool-bench-");
        Path disk = Files.write(root.resolve("disk.vmdk"), new byte[4096]);
        try {
            System.out.printf(
                    "spool benchmark: %d jobs, %d concurrent callers, %d submissions,"
                            + " %d CPUs, %s%n",
                    jobs,
                    callers,
                    submissions,
                    Runtime.getRuntime().availableProcessors(),
                    Files.getFileStore(root).type());
            double[] inotify = latency(root.resolve("inotify"), disk, jobs, callers, false);
            double[] poll = latency(root.resolve("poll"), disk, jobs, callers, true);
            System.out.println();
            System.out.println("completion latency (answer in spool -> run() returns), ms");
            System.out.printf("%-28s %10s %10s %10s %10s%n", "mode", "p50", "p99", "max", "mean");
            print("inotify + 5 s poll fallback", inotify);
            print("poll-only, 5 s interval", poll);
            System.out.println();
            System.out.println("submission throughput, 8 concurrent submitters (workflow layout)");
            double perSecond = throughput(root.resolve("submit"), disk, submissions, 8);
            System.out.printf("%-28s %10.0f jobs/s%n", "atomic publish (fsync)", perSecond);
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException e) {
                System.err.println("cleanup of " + root + " incomplete: " + e);
            }
        }
        System.exit(0);
    }

    private static void print(String mode, double[] ms) {
        System.out.printf(
                "%-28s %10.1f %10.1f %10.1f %10.1f%n",
                mode,
                pct(ms, 50),
                pct(ms, 99),
                ms[ms.length - 1],
                java.util.Arrays.stream(ms).average().orElse(0));
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static ArtifactManifest manifest(Path disk, String vm) {
        return ArtifactManifest.builder()
                .source(ManifestSource.of("bench").withVmName(vm))
                .vm(ManifestVm.of(1, 1, Firmware.BIOS))
                .addDisk(
                        DiskArtifact.builder()
                                .id("disk-0")
                                .sourceFormat(DiskFormat.VMDK)
                                .bytes(4096)
                                .localPath(disk)
                                .bootOrderHint(0)
                                .build())
                .output(new OutputSpec(Optional.empty(), Optional.of("qcow2"), Optional.empty()))
                .build();
    }

    private static double[] latency(Path base, Path disk, int jobs, int callers, boolean pollOnly)
            throws Exception {
        Path out = base.resolve("output");
        for (String d : new String[] {"to_be_processed", "processing", "processed", "failed"}) {
            Files.createDirectories(base.resolve(d));
        }
        Files.createDirectories(out);
        Map<String, Long> answeredAt = new ConcurrentHashMap<>();
        ScheduledExecutorService answers = Executors.newScheduledThreadPool(4);
        Thread daemon = new Thread(() -> simulatedDaemon(base, out, answers, answeredAt));
        daemon.setDaemon(true);
        daemon.start();
        DaemonSpool spool =
                DaemonSpool.builder()
                        .layout(QueueLayout.WORKFLOW)
                        .watchDir(base)
                        .outputDir(out)
                        .pollInterval(Duration.ofSeconds(5))
                        .pollOnly(pollOnly)
                        .build();
        ArtifactManifest m = manifest(disk, "bench-vm");
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<?>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            futures.add(
                    pool.submit(
                            () -> {
                                JobId id = JobId.generate();
                                SpoolResult r =
                                        spool.run(
                                                id,
                                                m,
                                                Duration.ofMinutes(5),
                                                Cancellation.none(),
                                                ProgressListener.NONE);
                                long returned = System.nanoTime();
                                if (!r.outcome().succeeded()) {
                                    throw new IllegalStateException(
                                            "job " + id + ": " + r.outcome());
                                }
                                latencies.add((returned - answeredAt.get(id.value())) / 1e6);
                                return null;
                            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        System.out.printf(
                "  %s: %d jobs in %.1f s%n",
                pollOnly ? "poll-only" : "inotify", jobs, (System.nanoTime() - t0) / 1e9);
        pool.shutdown();
        daemon.interrupt();
        answers.shutdownNow();
        double[] ms = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return ms;
    }

    /** Claims every job at once and answers it 0-10 s later (image first, then the manifest). */
    private static void simulatedDaemon(
            Path base, Path out, ScheduledExecutorService answers, Map<String, Long> answeredAt) {
        Path inbox = base.resolve("to_be_processed");
        String date = LocalDate.now().toString();
        while (!Thread.currentThread().isInterrupted()) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(inbox, "*.json")) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".")) {
                        continue;
                    }
                    Path claimed = base.resolve("processing").resolve(name);
                    try {
                        Files.move(p, claimed, StandardCopyOption.ATOMIC_MOVE);
                    } catch (NoSuchFileException e) {
                        continue;
                    }
                    String stem = name.substring(0, name.length() - 5);
                    answers.schedule(
                            () -> {
                                Path dir = Files.createDirectories(out.resolve(date).resolve(stem));
                                Files.write(dir.resolve("disk-0.qcow2"), new byte[512]);
                                Path done =
                                        Files.createDirectories(
                                                base.resolve("processed").resolve(date));
                                // the answer "appears" with this rename; the time is taken just
                                // before it, so a
                                // caller can never return before its answer time is known
                                answeredAt.put(stem, System.nanoTime());
                                Files.move(
                                        claimed,
                                        done.resolve(name),
                                        StandardCopyOption.ATOMIC_MOVE);
                                return null;
                            },
                            ThreadLocalRandom.current().nextInt(10_000),
                            TimeUnit.MILLISECONDS);
                }
                Thread.sleep(2);
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static double throughput(Path base, Path disk, int submissions, int threads)
            throws Exception {
        Files.createDirectories(base.resolve("to_be_processed"));
        Path out = Files.createDirectories(base.resolve("output"));
        DaemonSpool spool =
                DaemonSpool.builder()
                        .layout(QueueLayout.WORKFLOW)
                        .watchDir(base)
                        .outputDir(out)
                        .build();
        ArtifactManifest m = manifest(disk, "bench-vm");
        // warm-up
        for (int i = 0; i < 200; i++) {
            spool.submit(JobId.generate(), m, Cancellation.none());
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        int each = submissions / threads;
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            futures.add(
                    pool.submit(
                            () -> {
                                for (int i = 0; i < each; i++) {
                                    spool.submit(JobId.generate(), m, Cancellation.none());
                                }
                                return null;
                            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        return each * threads / seconds;
    }
}
