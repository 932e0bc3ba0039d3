package io.hypersdk.pipeline.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.OutputSpec;
import io.hypersdk.core.manifest.PipelineStages;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.pipeline.ConversionOutcome;
import io.hypersdk.pipeline.testing.Disks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 threads x 250 submissions for VMs that share names, against one daemon that converts with the
 * real qemu-img: every job gets its own result, none lost, duplicated or misattributed.
 */
class SpoolConcurrencyTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 250;
    private static final int VMS = 8;
    @TempDir Path tmp;

    @Test
    void everyConcurrentJobGetsExactlyItsOwnResult() throws Exception {
        // one small source disk per VM name, each with its own byte pattern
        List<ArtifactManifest> manifests = new ArrayList<>();
        for (int v = 0; v < VMS; v++) {
            Path disk = tmp.resolve("vm-" + v + ".vmdk");
            Disks.run("qemu-img", "create", "-q", "-f", "vmdk", disk.toString(), "64K");
            Disks.run(
                    "qemu-io",
                    "-f",
                    "vmdk",
                    "-c",
                    "write -P " + (0x10 + v) + " 0 64k",
                    disk.toString());
            manifests.add(
                    Disks.manifest(
                                    "shared-name-" + v,
                                    List.of(Disks.disk("disk-0", disk, DiskFormat.VMDK, 0)))
                            .toBuilder()
                            .pipeline(
                                    PipelineStages.of(
                                            false, false, true, false, false, OptionalInt.empty()))
                            .output(
                                    new OutputSpec(
                                            Optional.empty(), Optional.of("raw"), Optional.empty()))
                            .build());
        }
        Path base = tmp.resolve("queue");
        Path out = tmp.resolve("output");
        ConcurrentHashMap<JobId, Integer> vmOfJob = new ConcurrentHashMap<>();
        ConcurrentHashMap<JobId, SpoolResult> results = new ConcurrentHashMap<>();
        try (InProcessWorkflowDaemon daemon = new InProcessWorkflowDaemon(base, out, 3)) {
            DaemonSpool spool =
                    DaemonSpool.builder()
                            .layout(QueueLayout.WORKFLOW)
                            .watchDir(base)
                            .outputDir(out)
                            .pollInterval(Duration.ofSeconds(1))
                            .build();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(
                        pool.submit(
                                () -> {
                                    for (int i = 0; i < PER_THREAD; i++) {
                                        int vm = (thread + i) % VMS;
                                        JobId id = JobId.generate();
                                        assertThat(vmOfJob.putIfAbsent(id, vm))
                                                .as("job id %s reused", id)
                                                .isNull();
                                        SpoolResult r =
                                                spool.run(
                                                        id,
                                                        manifests.get(vm),
                                                        Duration.ofMinutes(3),
                                                        Cancellation.none(),
                                                        ProgressListener.NONE);
                                        assertThat(results.putIfAbsent(id, r)).isNull();
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            System.out.printf(
                    "concurrency: daemon busy %d ms over 3 workers%n",
                    daemon.busyNanos.get() / 1_000_000);
            assertThat(daemon.failed.get()).isZero();
            assertThat(daemon.completed.get()).isEqualTo(THREADS * PER_THREAD);
            assertThat(daemon.claims).hasSize(THREADS * PER_THREAD);
            assertThat(daemon.claims.values()).allMatch(c -> c.get() == 1);
        }

        assertThat(results).hasSize(THREADS * PER_THREAD);
        Set<Path> seen = new HashSet<>();
        for (var e : results.entrySet()) {
            JobId id = e.getKey();
            SpoolResult r = e.getValue();
            assertThat(r.outcome()).as("job %s", id).isEqualTo(new ConversionOutcome.Converted());
            assertThat(r.images()).hasSize(1);
            Path image = r.images().get(0);
            assertThat(image.getParent().getFileName().toString()).isEqualTo(id.value());
            assertThat(seen.add(image)).as("image %s handed to two jobs", image).isTrue();
            byte[] bytes = Files.readAllBytes(image);
            int expected = 0x10 + vmOfJob.get(id);
            assertThat(bytes).hasSize(64 * 1024);
            assertThat(bytes[0] & 0xff).as("content of %s (job %s)", image, id).isEqualTo(expected);
            assertThat(bytes[bytes.length - 1] & 0xff).isEqualTo(expected);
        }
        try (Stream<Path> left =
                Stream.concat(
                        Files.list(base.resolve("to_be_processed")),
                        Files.list(base.resolve("processing")))) {
            assertThat(left).isEmpty();
        }
    }
}
