package io.hypersdk.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.pipeline.testing.Disks;
import io.hypersdk.pipeline.testing.StandIn;
import io.hypersdk.systemd.SystemdClient;
import io.hypersdk.systemd.testing.SystemdFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mode detection against a real systemd (the shared fixture) running the stand-in hyper2kvm as
 * {@code hyper2kvm.service} (workflow layout) and {@code hyper2kvm@.service} (disk-watch, hardened
 * like the shipped units: PrivateTmp, ProtectSystem=strict, ProtectHome, ReadWritePaths).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdModeTest {
    private static SystemdFixture fixture;
    private static Path base;
    private static PipelineExecutor executor;
    @TempDir Path tmp;

    @BeforeAll
    static void startSystemd() throws Exception {
        java.util.Optional<String> unavailable = SystemdFixture.unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                unavailable.isEmpty(), () -> unavailable.orElse(""));
        base =
                Files.createTempDirectory(
                        Files.createDirectories(Path.of("/var/lib/hypersdk-test")), "pipeline-");
        // a copy outside the checkout: the units below hide /tmp and /home from the daemon
        String standin = StandIn.copyInto(base.resolve("bin")).toString();
        String main =
                "[Unit]\nDescription=stand-in hyper2kvm (default instance)\n[Service]\nType=simple\n"
                        + "Environment=WATCH_DIR="
                        + base
                        + "/default/queue OUTPUT_DIR="
                        + base
                        + "/default/output QUEUE_LAYOUT=workflow\n"
                        + "ExecStart="
                        + standin
                        + " --cmd daemon --layout workflow --watch-dir ${WATCH_DIR}"
                        + " --output-dir ${OUTPUT_DIR} --scan-interval 0.05\nTimeoutStopSec=5\n";
        String template =
                "[Unit]\nDescription=stand-in hyper2kvm (%i instance)\n[Service]\nType=simple\n"
                        + "Environment=WATCH_DIR="
                        + base
                        + "/%i/queue OUTPUT_DIR="
                        + base
                        + "/%i/output QUEUE_LAYOUT=disk-watch\n"
                        + "ExecStart="
                        + standin
                        + " --cmd daemon --layout disk-watch --watch-dir ${WATCH_DIR}"
                        + " --output-dir ${OUTPUT_DIR} --to-output disk.qcow2 --flatten --scan-interval 0.05\n"
                        + "PrivateTmp=yes\nProtectSystem=strict\nProtectHome=yes\nNoNewPrivileges=yes\n"
                        + "ReadWritePaths="
                        + base
                        + "\nTimeoutStopSec=5\n";
        fixture =
                SystemdFixture.start(
                        Map.of("hyper2kvm.service", main, "hyper2kvm@.service", template));
        executor =
                PipelineExecutor.builder()
                        .systemdClient(
                                SystemdClient.builder()
                                        .systemctl(fixture.systemctlWrapper())
                                        .build())
                        .pollIntervalOverride(Duration.ofMillis(100))
                        .daemonTimeoutOverride(Duration.ofSeconds(60))
                        .build();
    }

    @AfterAll
    static void stopSystemd() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        if (base != null) {
            try (Stream<Path> s = Files.walk(base)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            base.getParent().toFile().delete(); // only when empty (another run may be using it)
        }
    }

    private static void startUnit(String unit, Path spoolDir) throws Exception {
        fixture.systemctlOk("start", unit);
        fixture.awaitProperty(unit, "ActiveState", "active", Duration.ofSeconds(10));
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.isDirectory(spoolDir) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    private ArtifactManifest manifest(String vm) throws Exception {
        Path disk = Disks.create(tmp.resolve(vm + ".vmdk"), "vmdk", 1, 0x71);
        return Disks.manifest(vm, List.of(Disks.disk("disk-0", disk, DiskFormat.VMDK, 0)));
    }

    private static PipelineSettings.Builder daemonSettings(Hyper2KvmSettings h) {
        return PipelineSettings.builder()
                .enabled(true)
                .hyper2kvmPath(StandIn.executable())
                .compress(false)
                .hyper2kvm(h);
    }

    @Test
    @Order(1)
    void activeUnitMeansDaemonModeWithTheUnitsOwnSpool() throws Exception {
        startUnit("hyper2kvm.service", base.resolve("default/queue/to_be_processed"));
        ArtifactManifest m = manifest("web-01");
        PipelineResult r =
                executor.execute(
                        m,
                        tmp.resolve("artifact-manifest.json"),
                        daemonSettings(Hyper2KvmSettings.builder().daemon(true).build()).build(),
                        ProgressListener.NONE,
                        Cancellation.none());

        assertThat(r.mode()).isEqualTo(ConversionMode.DAEMON);
        assertThat(r.modeReason())
                .startsWith("hyper2kvm.service is active")
                .contains("spool " + base.resolve("default/queue"))
                .contains("watch dir from hyper2kvm.service Environment WATCH_DIR")
                .contains("layout workflow from hyper2kvm.service Environment QUEUE_LAYOUT");
        assertThat(r.outcome()).isEqualTo(new ConversionOutcome.Converted());
        assertThat(r.outputImages()).hasSize(1);
        assertThat(r.outputImages().get(0)).startsWith(base.resolve("default/output"));
        assertThat(r.outputImages().get(0).toString()).endsWith("/" + r.jobId() + "/disk-0.qcow2");
        assertThat(
                        Disks.identical(
                                m.bootDisk().localPath(), "vmdk", r.outputImages().get(0), "qcow2"))
                .isTrue();
    }

    @Test
    @Order(2)
    void instanceVsphereProdUsesItsOwnDirectoriesAndLayout() throws Exception {
        startUnit("hyper2kvm@vsphere-prod.service", base.resolve("vsphere-prod/queue"));
        ArtifactManifest one = manifest("db-02");
        Path data = Disks.create(tmp.resolve("db-02-data.vmdk"), "vmdk", 1, 0x72);
        ArtifactManifest m =
                one.toBuilder()
                        .disks(
                                List.of(
                                        one.bootDisk(),
                                        Disks.disk("disk-1", data, DiskFormat.VMDK, 1)))
                        .build();
        PipelineResult r =
                executor.execute(
                        m,
                        tmp.resolve("artifact-manifest.json"),
                        daemonSettings(
                                        Hyper2KvmSettings.builder()
                                                .daemon(true)
                                                .instance("vsphere-prod")
                                                .build())
                                .build(),
                        ProgressListener.NONE,
                        Cancellation.none());

        assertThat(r.mode()).isEqualTo(ConversionMode.DAEMON);
        assertThat(r.modeReason())
                .startsWith("hyper2kvm@vsphere-prod.service is active")
                .contains("spool " + base.resolve("vsphere-prod/queue"))
                .contains("layout disk-watch from hyper2kvm@vsphere-prod.service");
        assertThat(r.outcome()).isEqualTo(new ConversionOutcome.Converted());
        assertThat(r.outputImages().get(0)).startsWith(base.resolve("vsphere-prod/output"));
        assertThat(r.outputImages().get(0).toString()).endsWith("/" + r.jobId() + "/disk.qcow2");
        assertThat(
                        Disks.identical(
                                m.bootDisk().localPath(), "vmdk", r.outputImages().get(0), "qcow2"))
                .isTrue();
        // the disk-watch daemon takes the boot disk only: the data disk was converted here
        assertThat(r.outputImages()).hasSize(2);
        assertThat(r.outputImages().get(1)).isEqualTo(tmp.resolve("db-02-disk-1.qcow2"));
        assertThat(Disks.identical(data, "vmdk", r.outputImages().get(1), "qcow2")).isTrue();
    }

    /** hyper2kvm@stuck.service: the same template with a drop-in that makes the daemon hang. */
    private static void startStuckInstance() throws Exception {
        Path dropIn = fixture.root().resolve("run/systemd/system/hyper2kvm@stuck.service.d");
        Files.createDirectories(dropIn);
        Files.writeString(dropIn.resolve("hang.conf"), "[Service]\nEnvironment=STANDIN_HANG=1\n");
        fixture.systemctlOk("daemon-reload");
        startUnit("hyper2kvm@stuck.service", base.resolve("stuck/queue"));
    }

    @Test
    @Order(3)
    @Timeout(
            value = 60,
            unit = TimeUnit.SECONDS) // the daemon timeout is 60 min: only the crash ends the wait
    void daemonCrashingMidJobEndsTheWaitWithADistinctFailure() throws Exception {
        Path dropIn = fixture.root().resolve("run/systemd/system/hyper2kvm@crash.service.d");
        Files.createDirectories(dropIn);
        Files.writeString(
                dropIn.resolve("die.conf"), "[Service]\nEnvironment=STANDIN_DIE_MID_JOB=1\n");
        fixture.systemctlOk("daemon-reload");
        startUnit("hyper2kvm@crash.service", base.resolve("crash/queue"));
        ArtifactManifest m = manifest("crash-08");
        PipelineResult r =
                executor.execute(
                        m,
                        tmp.resolve("m.json"),
                        daemonSettings(
                                        Hyper2KvmSettings.builder()
                                                .daemon(true)
                                                .instance("crash")
                                                .build())
                                .build(),
                        ProgressListener.NONE,
                        Cancellation.none());
        assertThat(r.mode()).isEqualTo(ConversionMode.DAEMON);
        assertThat(r.outcome()).isInstanceOf(ConversionOutcome.Failed.class);
        assertThat(((ConversionOutcome.Failed) r.outcome()).message())
                .contains(
                        "the hyper2kvm daemon stopped while job "
                                + r.jobId()
                                + " waited:"
                                + " hyper2kvm@crash.service is failed")
                .contains("it had claimed the job");
    }

    @Test
    @Order(3)
    void daemonTimeoutIsHonouredExactlyAndNotCutShortByThePipelineTimeout() throws Exception {
        startStuckInstance();
        PipelineExecutor shortWait =
                PipelineExecutor.builder()
                        .systemdClient(
                                SystemdClient.builder()
                                        .systemctl(fixture.systemctlWrapper())
                                        .build())
                        .pollIntervalOverride(Duration.ofMillis(100))
                        .daemonTimeoutOverride(Duration.ofSeconds(3))
                        .build();
        ArtifactManifest m = manifest("slow-05");
        PipelineResult r =
                shortWait.execute(
                        m,
                        tmp.resolve("m.json"),
                        daemonSettings(
                                        Hyper2KvmSettings.builder()
                                                .daemon(true)
                                                .instance("stuck")
                                                .build())
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        ProgressListener.NONE,
                        Cancellation.none());
        assertThat(r.mode()).isEqualTo(ConversionMode.DAEMON);
        assertThat(r.outcome()).isInstanceOf(ConversionOutcome.TimedOut.class);
        ConversionOutcome.TimedOut t = (ConversionOutcome.TimedOut) r.outcome();
        assertThat(t.after()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
        assertThat(t.claimed()).isFalse();
        try (Stream<Path> s = Files.list(base.resolve("stuck/queue"))) {
            assertThat(s.filter(Files::isRegularFile))
                    .as("the unclaimed submission is withdrawn")
                    .isEmpty();
        }
    }

    @Test
    @Order(3)
    @Timeout(
            value = 60,
            unit = TimeUnit.SECONDS) // the daemon never answers: only the cancel ends the wait
    void cancellingADaemonModeJobFromAnotherThreadWithdrawsIt() throws Exception {
        startStuckInstance();
        ArtifactManifest m = manifest("cancel-06");
        Cancellation cancel = Cancellation.create();
        Path queue = base.resolve("stuck/queue");
        Thread canceller =
                new Thread(
                        () -> {
                            // cancel once the submission is in the spool (a visible file in the
                            // watch directory)
                            await().atMost(Duration.ofSeconds(50))
                                    .pollInterval(Duration.ofMillis(20))
                                    .until(
                                            () -> {
                                                try (Stream<Path> s = Files.list(queue)) {
                                                    return s.anyMatch(
                                                            f ->
                                                                    Files.isRegularFile(f)
                                                                            && !f.getFileName()
                                                                                    .toString()
                                                                                    .startsWith(
                                                                                            "."));
                                                }
                                            });
                            cancel.cancel();
                        });
        canceller.start();
        PipelineResult r =
                executor.execute(
                        m,
                        tmp.resolve("m.json"),
                        daemonSettings(
                                        Hyper2KvmSettings.builder()
                                                .daemon(true)
                                                .instance("stuck")
                                                .build())
                                .build(),
                        ProgressListener.NONE,
                        cancel);
        assertThat(r.mode()).isEqualTo(ConversionMode.DAEMON);
        assertThat(r.outcome()).isEqualTo(new ConversionOutcome.Cancelled(false));
        try (Stream<Path> s = Files.list(base.resolve("stuck/queue"))) {
            assertThat(s.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    @Order(3)
    void preflightNamesThePrivateTmpOfTheRealUnit() throws Exception {
        ArtifactManifest m = manifest("tmpvm"); // the disk is under /tmp
        Path q =
                Files.createDirectories(base.resolve("vsphere-prod/wf/to_be_processed"))
                        .getParent();
        assertThatThrownBy(
                        () ->
                                executor.execute(
                                        m,
                                        tmp.resolve("m.json"),
                                        daemonSettings(
                                                        Hyper2KvmSettings.builder()
                                                                .daemon(true)
                                                                .instance("vsphere-prod")
                                                                .queueLayout(QueueLayout.WORKFLOW)
                                                                .watchDir(q)
                                                                .build())
                                                .build(),
                                        ProgressListener.NONE,
                                        Cancellation.none()))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining(
                        "daemon cannot read "
                                + m.bootDisk().localPath()
                                + ": hyper2kvm@vsphere-prod.service has PrivateTmp=yes; export under"
                                + " /var/lib/hyper2kvm/exports or use direct mode");
    }

    @Test
    @Order(4)
    void stoppedUnitFallsBackToDirectModeAndSaysWhy() throws Exception {
        fixture.systemctlOk("stop", "hyper2kvm.service");
        fixture.awaitProperty(
                "hyper2kvm.service", "ActiveState", "inactive", Duration.ofSeconds(10));
        ArtifactManifest m = manifest("app-03");
        PipelineResult r =
                executor.execute(
                        m,
                        tmp.resolve("artifact-manifest.json"),
                        daemonSettings(Hyper2KvmSettings.builder().daemon(true).build()).build(),
                        ProgressListener.NONE,
                        Cancellation.none());

        assertThat(r.mode()).isEqualTo(ConversionMode.DIRECT);
        assertThat(r.modeReason())
                .isEqualTo(
                        "daemon mode requested but hyper2kvm.service is"
                                + " inactive (dead); fell back to direct mode (hyper2kvm one-shot)");
        assertThat(r.outcome()).isEqualTo(new ConversionOutcome.Converted());
        assertThat(r.outputImages()).containsExactly(tmp.resolve("app-03-disk-0.qcow2"));
    }

    @Test
    @Order(5)
    void requireDaemonTurnsTheFallbackIntoAnError() throws Exception {
        ArtifactManifest m = manifest("app-04");
        assertThatThrownBy(
                        () ->
                                executor.execute(
                                        m,
                                        tmp.resolve("m.json"),
                                        daemonSettings(
                                                        Hyper2KvmSettings.builder()
                                                                .daemon(true)
                                                                .requireDaemon(true)
                                                                .build())
                                                .build(),
                                        ProgressListener.NONE,
                                        Cancellation.none()))
                .isInstanceOf(DaemonRequiredException.class)
                .hasMessage(
                        "daemon mode is required but hyper2kvm.service is inactive (dead): start it"
                                + " with systemctl start hyper2kvm.service, or turn off require-daemon to allow"
                                + " direct mode");
        assertThatThrownBy(
                        () ->
                                executor.execute(
                                        m,
                                        tmp.resolve("m.json"),
                                        daemonSettings(
                                                        Hyper2KvmSettings.builder()
                                                                .daemon(true)
                                                                .instance("never-started")
                                                                .requireDaemon(true)
                                                                .build())
                                                .build(),
                                        ProgressListener.NONE,
                                        Cancellation.none()))
                .isInstanceOf(DaemonRequiredException.class)
                .hasMessageContaining("hyper2kvm@never-started.service is inactive (dead)");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.filter(p -> p.toString().endsWith(".qcow2"))).isEmpty();
        }
    }
}
