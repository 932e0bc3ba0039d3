package io.hypersdk.pipeline.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.OutputSpec;
import io.hypersdk.core.manifest.PipelineStages;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.pipeline.ConversionOutcome;
import io.hypersdk.pipeline.testing.Disks;
import io.hypersdk.pipeline.testing.StandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DaemonLayoutTest {
    private static final Duration POLL = Duration.ofMillis(100);
    @TempDir Path tmp;

    private Path watch() {
        return tmp.resolve("queue");
    }

    private Path output() {
        return tmp.resolve("output");
    }

    private StandIn.Daemon daemon(QueueLayout layout, Map<String, String> env) throws Exception {
        return StandIn.Daemon.start(layout.id(), watch(), output(), tmp.resolve("daemon.log"), env);
    }

    private DaemonSpool spool(QueueLayout layout, boolean pollOnly) {
        return DaemonSpool.builder()
                .layout(layout)
                .watchDir(watch())
                .outputDir(output())
                .pollInterval(POLL)
                .pollOnly(pollOnly)
                .build();
    }

    private ArtifactManifest manifest(String vm) throws Exception {
        Path disk =
                Disks.create(tmp.resolve(vm + "-" + System.nanoTime() + ".vmdk"), "vmdk", 1, 0x61);
        return Disks.manifest(vm, List.of(Disks.disk("disk-0", disk, DiskFormat.VMDK, 0)))
                .toBuilder()
                .pipeline(PipelineStages.of(true, true, true, true, false, OptionalInt.empty()))
                .output(new OutputSpec(Optional.empty(), Optional.of("qcow2"), Optional.empty()))
                .build();
    }

    @ParameterizedTest
    @EnumSource(QueueLayout.class)
    void convertedJobComesBackWithItsOwnImage(QueueLayout layout) throws Exception {
        ArtifactManifest m = manifest("web-01");
        JobId id = JobId.generate();
        try (StandIn.Daemon d = daemon(layout, Map.of())) {
            SpoolResult r =
                    spool(layout, false)
                            .run(
                                    id,
                                    m,
                                    Duration.ofSeconds(30),
                                    Cancellation.none(),
                                    ProgressListener.NONE);
            assertThat(r.outcome()).as(d.log()).isEqualTo(new ConversionOutcome.Converted());
            assertThat(r.images()).hasSize(1);
            Path image = r.images().get(0);
            switch (layout) {
                case WORKFLOW -> assertThat(image.toString()).endsWith("/" + id + "/disk-0.qcow2");
                case DISK_WATCH -> assertThat(image.toString()).endsWith("/" + id + "/disk.qcow2");
                case FLAT -> assertThat(image).isEqualTo(output().resolve("web-01.qcow2"));
            }
            assertThat(Disks.identical(m.bootDisk().localPath(), "vmdk", image, "qcow2")).isTrue();
        }
        if (layout == QueueLayout.WORKFLOW) {
            // the job id is in the manifest the daemon processed
            Path processed;
            try (Stream<Path> s = Files.walk(watch().resolve("processed"))) {
                processed =
                        s.filter(p -> p.getFileName().toString().equals(id + ".json"))
                                .findFirst()
                                .orElseThrow();
            }
            assertThat(ManifestCodec.read(processed).metadata().orElseThrow().jobId())
                    .contains(id.value());
        }
        if (layout != QueueLayout.WORKFLOW) {
            // our submission (flat manifest, disk-watch copy) does not stay behind
            try (Stream<Path> s = Files.walk(watch())) {
                assertThat(s.filter(Files::isRegularFile)).isEmpty();
            }
        }
    }

    @Test
    void aDiskWatchFailureRecordStillBeingWrittenIsNotAnAnswerYet() {
        // hyper2kvm 0.0.x writes .errors/<name>.error.json in place: inotify can show it empty
        assertThat(DiskWatchLayout.isComplete("")).isFalse();
        assertThat(DiskWatchLayout.isComplete("{\"filename\": \"x.vmdk\", \"err")).isFalse();
        assertThat(
                        DiskWatchLayout.isComplete(
                                "{\"error\": \"Failed to mount root filesystem.\", \"phase\": \"conversion\"}"))
                .isTrue();
        assertThat(
                        DiskWatchLayout.describeError(
                                "{\"error\": \"Failed to mount root filesystem.\", \"phase\": \"conversion\"}"))
                .isEqualTo("Failed to mount root filesystem. (phase conversion)");
    }

    @ParameterizedTest
    @EnumSource(QueueLayout.class)
    void failureRecordBecomesAFailedOutcomeWithTheDaemonsMessage(QueueLayout layout)
            throws Exception {
        ArtifactManifest m = manifest("db-02");
        JobId id = JobId.generate();
        // what someone else left in the spool is never touched
        Path othersRecord = watch().resolve(".errors/other-job.vmdk.error.json");
        Path othersDir = output().resolve("2026-01-01/other-job");
        Files.createDirectories(othersRecord.getParent());
        Files.writeString(othersRecord, "{}");
        Files.createDirectories(othersDir);
        try (StandIn.Daemon d = daemon(layout, Map.of("STANDIN_FAIL", "1"))) {
            SpoolResult r =
                    spool(layout, false)
                            .run(
                                    id,
                                    m,
                                    Duration.ofSeconds(30),
                                    Cancellation.none(),
                                    ProgressListener.NONE);
            assertThat(r.outcome()).as(d.log()).isInstanceOf(ConversionOutcome.Failed.class);
            assertThat(((ConversionOutcome.Failed) r.outcome()).message())
                    .contains("Failed to mount root filesystem.");
            assertThat(r.images()).isEmpty();
        }
        if (layout == QueueLayout.DISK_WATCH) {
            // the 0.0.x daemon leaves a failed input in the watch dir, its error record and an
            // empty
            // output directory for the job: the client removes those of its own job, nothing else
            try (Stream<Path> s = Files.list(watch())) {
                assertThat(s.filter(Files::isRegularFile)).isEmpty();
            }
            try (Stream<Path> s = Files.walk(watch().resolve(".errors"))) {
                assertThat(s.filter(Files::isRegularFile)).containsExactly(othersRecord);
            }
            try (Stream<Path> s = Files.walk(output())) {
                assertThat(s.map(p -> p.getFileName().toString()))
                        .doesNotContain(id.value())
                        .contains("other-job");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(QueueLayout.class)
    void daemonThatNeverAnswersTimesOutOnTimeAndTheUnclaimedJobIsWithdrawn(QueueLayout layout)
            throws Exception {
        ArtifactManifest m = manifest("idle-03");
        Duration timeout = Duration.ofMillis(1500);
        try (StandIn.Daemon d = daemon(layout, Map.of("STANDIN_HANG", "1"))) {
            DaemonSpool spool = spool(layout, false);
            SpoolSubmission s = spool.submit(JobId.generate(), m, Cancellation.none());
            assertThat(s.file()).exists();
            SpoolResult r = spool.await(s, timeout, Cancellation.none(), ProgressListener.NONE);
            assertThat(r.outcome()).isInstanceOf(ConversionOutcome.TimedOut.class);
            ConversionOutcome.TimedOut t = (ConversionOutcome.TimedOut) r.outcome();
            assertThat(t.claimed()).isFalse();
            assertThat(t.after()).isBetween(timeout, timeout.plus(POLL).plusSeconds(2));
            assertThat(s.file()).doesNotExist();
            assertThat(d.log()).doesNotContain("Processing");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = QueueLayout.class,
            names = {"WORKFLOW", "DISK_WATCH"})
    void claimedJobIsReportedClaimedAndLeftToTheDaemon(QueueLayout layout) throws Exception {
        ArtifactManifest m = manifest("busy-04");
        try (StandIn.Daemon d = daemon(layout, Map.of("STANDIN_HANG_AFTER_CLAIM", "1"))) {
            DaemonSpool spool = spool(layout, false);
            JobId id = JobId.generate();
            SpoolResult r =
                    spool.run(
                            id,
                            m,
                            Duration.ofMillis(1500),
                            Cancellation.none(),
                            ProgressListener.NONE);
            assertThat(r.outcome()).as(d.log()).isInstanceOf(ConversionOutcome.TimedOut.class);
            assertThat(((ConversionOutcome.TimedOut) r.outcome()).claimed()).isTrue();
            assertThat(r.claimed()).isTrue();
            if (layout == QueueLayout.WORKFLOW) {
                assertThat(watch().resolve("processing").resolve(id + ".json")).exists();
            } else {
                assertThat(watch().resolve(id + ".vmdk")).exists();
            }
        }
    }

    @Test
    void daemonDyingMidJobLeavesAClaimedJobThatTimesOutAsClaimed() throws Exception {
        ArtifactManifest m = manifest("crash-07");
        try (StandIn.Daemon d = daemon(QueueLayout.WORKFLOW, Map.of("STANDIN_DIE_MID_JOB", "1"))) {
            JobId id = JobId.generate();
            SpoolResult r =
                    spool(QueueLayout.WORKFLOW, false)
                            .run(
                                    id,
                                    m,
                                    Duration.ofMillis(1500),
                                    Cancellation.none(),
                                    ProgressListener.NONE);
            assertThat(r.outcome())
                    .isEqualTo(
                            new ConversionOutcome.TimedOut(
                                    ((ConversionOutcome.TimedOut) r.outcome()).after(), true));
            assertThat(watch().resolve("processing").resolve(id + ".json")).exists();
            assertThat(d.log()).contains("die-mid-job");
        }
    }

    @ParameterizedTest
    @EnumSource(QueueLayout.class)
    void pollOnlyModeFindsTheAnswerWithoutInotify(QueueLayout layout) throws Exception {
        ArtifactManifest m = manifest("nfs-05");
        try (StandIn.Daemon d = daemon(layout, Map.of())) {
            DaemonSpool spool = spool(layout, true);
            assertThat(spool.pollOnly()).isTrue();
            assertThat(spool.watchMode()).startsWith("poll every 100 ms");
            SpoolResult r =
                    spool.run(
                            JobId.generate(),
                            m,
                            Duration.ofSeconds(30),
                            Cancellation.none(),
                            ProgressListener.NONE);
            assertThat(r.outcome()).as(d.log()).isEqualTo(new ConversionOutcome.Converted());
            assertThat(
                            Disks.identical(
                                    m.bootDisk().localPath(), "vmdk", r.images().get(0), "qcow2"))
                    .isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(QueueLayout.class)
    @Timeout(
            value = 20,
            unit = TimeUnit.SECONDS) // poll-only every 30 s: only the cancel can end the wait
    // sooner
    void cancellationFromAnotherThreadWithdrawsTheUnclaimedJobAtOnce(QueueLayout layout)
            throws Exception {
        ArtifactManifest m = manifest("stop-06");
        try (StandIn.Daemon d = daemon(layout, Map.of("STANDIN_HANG", "1"))) {
            DaemonSpool spool =
                    spool(layout, true); // poll-only with a long interval: cancel must wake it
            spool =
                    DaemonSpool.builder()
                            .layout(layout)
                            .watchDir(watch())
                            .outputDir(output())
                            .pollInterval(Duration.ofSeconds(30))
                            .pollOnly(true)
                            .build();
            Cancellation cancel = Cancellation.create();
            SpoolSubmission s = spool.submit(JobId.generate(), m, cancel);
            Thread waiter = Thread.currentThread();
            Thread t =
                    new Thread(
                            () -> {
                                // cancel once the test thread is parked in await (waiting for the
                                // next poll)
                                await().atMost(Duration.ofSeconds(15))
                                        .pollInterval(Duration.ofMillis(10))
                                        .until(
                                                () ->
                                                        waiter.getState()
                                                                        == Thread.State
                                                                                .TIMED_WAITING
                                                                || waiter.getState()
                                                                        == Thread.State.WAITING);
                                cancel.cancel();
                            });
            t.start();
            SpoolResult r = spool.await(s, Duration.ofMinutes(5), cancel, ProgressListener.NONE);
            assertThat(r.outcome()).isEqualTo(new ConversionOutcome.Cancelled(false));
            assertThat(s.file()).doesNotExist();
            assertThat(d.pid()).isPositive();
        }
    }

    @Test
    void staleVmImageAndErrorOfAnEarlierRunAreNeverTakenForThisJob() throws Exception {
        ArtifactManifest m = manifest("web-01");
        Files.createDirectories(output());
        Files.createDirectories(watch());
        Files.writeString(output().resolve("web-01.qcow2"), "stale image of an earlier run");
        Files.writeString(output().resolve("web-01.error"), "stale error of an earlier run");
        DaemonSpool spool = spool(QueueLayout.FLAT, false);
        // no daemon: the stale files must not end the wait
        SpoolResult idle =
                spool.run(
                        JobId.generate(),
                        m,
                        Duration.ofMillis(800),
                        Cancellation.none(),
                        ProgressListener.NONE);
        assertThat(idle.outcome()).isInstanceOf(ConversionOutcome.TimedOut.class);
        // a daemon that takes its time: the answer is the new image, not the stale one
        try (StandIn.Daemon d = daemon(QueueLayout.FLAT, Map.of("STANDIN_DELAY", "0.4"))) {
            SpoolResult r =
                    spool.run(
                            JobId.generate(),
                            m,
                            Duration.ofSeconds(30),
                            Cancellation.none(),
                            ProgressListener.NONE);
            assertThat(r.outcome()).as(d.log()).isEqualTo(new ConversionOutcome.Converted());
            assertThat(
                            Disks.identical(
                                    m.bootDisk().localPath(), "vmdk", r.images().get(0), "qcow2"))
                    .isTrue();
        }
    }

    @Test
    void flatJobsForOneVmNameFromManyThreadsEachGetAFreshImage() throws Exception {
        ArtifactManifest a = manifest("same-name");
        ArtifactManifest b = manifest("other-name");
        DaemonSpool spool = spool(QueueLayout.FLAT, false);
        try (StandIn.Daemon d = daemon(QueueLayout.FLAT, Map.of())) {
            java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<SpoolResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ArtifactManifest m = i % 3 == 0 ? b : a;
                results.add(
                        pool.submit(
                                () ->
                                        spool.run(
                                                JobId.generate(),
                                                m,
                                                Duration.ofSeconds(60),
                                                Cancellation.none(),
                                                ProgressListener.NONE)));
            }
            for (var f : results) {
                SpoolResult r = f.get();
                assertThat(r.outcome()).as(d.log()).isEqualTo(new ConversionOutcome.Converted());
                assertThat(r.images().get(0).getFileName().toString())
                        .isIn("same-name.qcow2", "other-name.qcow2");
            }
            pool.shutdown();
        }
        // 12 jobs, 12 conversions (the daemon logs after renaming, so read the log once it
        // stopped):
        // no job was answered by another job's image
        assertThat(Files.readString(tmp.resolve("daemon.log")).split("Wrote ", -1)).hasSize(13);
    }

    @Test
    void onlyAFileSystemWithoutHardLinksFallsBackToARename() {
        // sshfs/sftp: EPERM or ENOSYS when the server has no hard links: rename instead
        assertThat(
                        SpoolFiles.linkUnsupported(
                                new java.nio.file.FileSystemException(
                                        "/s/.j.json.tmp", "/s/j.json", "Operation not permitted")))
                .isTrue();
        assertThat(SpoolFiles.linkUnsupported(new UnsupportedOperationException())).isTrue();
        // an I/O error (a cut network) leaves the link's outcome unknown: a rename could queue
        // a job a daemon already claimed a second time
        assertThat(
                        SpoolFiles.linkUnsupported(
                                new java.nio.file.FileSystemException(
                                        "/s/.j.json.tmp", "/s/j.json", "Input/output error")))
                .isFalse();
        assertThat(
                        SpoolFiles.linkUnsupported(
                                new java.nio.file.NoSuchFileException("/s/.j.json.tmp")))
                .isFalse();
    }

    @Test
    void aMissingOutputDirectoryIsADefiniteAnswerNotAnUnreachableOne() throws Exception {
        // only an I/O error (MultiHostIT's cut network) means "look again"
        assertThat(SpoolFiles.reachable(tmp)).isTrue();
        assertThat(SpoolFiles.reachable(tmp.resolve("no-such-dir"))).isTrue();
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThat(SpoolFiles.reachable(file)).isFalse();
    }

    @Test
    void publishingIsAtomicAndNeverReplacesAFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("spool"));
        Path target = dir.resolve("job-1.json");
        SpoolFiles.publish(target, "{\"first\": true}".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("{\"first\": true}");
        assertThat(
                        java.nio.file.attribute.PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-r--r--");
        assertThatThrownBy(() -> SpoolFiles.publish(target, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(target).hasContent("{\"first\": true}");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("job-1.json");
        }
    }

    @Test
    void networkFileSystemsArePolled() {
        assertThat(DaemonSpool.needsPolling("nfs4")).isTrue();
        assertThat(DaemonSpool.needsPolling("NFS")).isTrue();
        assertThat(DaemonSpool.needsPolling("cifs")).isTrue();
        assertThat(DaemonSpool.needsPolling("ext4")).isFalse();
        assertThat(DaemonSpool.needsPolling("tmpfs")).isFalse();
    }

    @Test
    void relativeDiskPathsAreRefusedBeforeAnythingIsPublished() throws Exception {
        ArtifactManifest m = manifest("rel");
        ArtifactManifest relative =
                m.toBuilder()
                        .disks(
                                List.of(
                                        m.bootDisk().toBuilder()
                                                .localPath(Path.of("disk.vmdk"))
                                                .build()))
                        .build();
        Files.createDirectories(watch().resolve("to_be_processed"));
        assertThatThrownBy(
                        () ->
                                spool(QueueLayout.WORKFLOW, false)
                                        .submit(JobId.generate(), relative, Cancellation.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relative local_path disk.vmdk");
        try (Stream<Path> s = Files.list(watch().resolve("to_be_processed"))) {
            assertThat(s).isEmpty();
        }
    }
}
