package io.hypersdk.pipeline.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.spool.SpoolDescriptor;
import io.hypersdk.pipeline.ConversionOutcome;
import io.hypersdk.pipeline.PipelineExecutor;
import io.hypersdk.pipeline.PipelineResult;
import io.hypersdk.pipeline.RemoteSpoolException;
import io.hypersdk.pipeline.testing.Disks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote submission (issue 22) against a spool whose daemon is "elsewhere": no systemd is asked
 * (the executor's systemctl does not exist), the descriptor says the layout and output directory.
 */
@Timeout(120)
class RemoteSubmissionTest {
    @TempDir Path tmp;
    Path spool;
    Path output;
    Path exportDir;
    ArtifactManifest manifest;

    @BeforeEach
    void setUp() throws Exception {
        spool = Files.createDirectories(tmp.resolve("spool"));
        output = Files.createDirectories(tmp.resolve("output"));
        exportDir = Files.createDirectories(tmp.resolve("export"));
        Path boot = Disks.create(exportDir.resolve("web-01-disk0.vmdk"), "vmdk", 1, 0x11);
        manifest =
                Disks.manifest("web-01", List.of(Disks.disk("disk-0", boot, DiskFormat.VMDK, 0)));
        for (String d : new String[] {"to_be_processed", "processing", "processed", "failed"}) {
            Files.createDirectories(spool.resolve(d));
        }
    }

    private void heartbeat(Instant when) throws Exception {
        new SpoolDescriptor(
                        1,
                        QueueLayout.WORKFLOW,
                        Optional.empty(),
                        "conv-1",
                        "stand-in",
                        output,
                        when,
                        Duration.ofSeconds(1))
                .writeTo(spool);
    }

    private PipelineExecutor executor() {
        return PipelineExecutor.builder()
                .systemdClient(
                        io.hypersdk.systemd.SystemdClient.builder()
                                .systemctl(tmp.resolve("no-systemctl-here"))
                                .build())
                .pollIntervalOverride(Duration.ofMillis(100))
                .daemonTimeoutOverride(Duration.ofSeconds(60))
                .build();
    }

    private PipelineSettings settings(boolean noWait) {
        return PipelineSettings.builder()
                .enabled(true)
                .hyper2kvm(
                        Hyper2KvmSettings.builder()
                                .daemon(true)
                                .remote(true)
                                .noWait(noWait)
                                .watchDir(spool)
                                .build())
                .build();
    }

    private PipelineResult run(boolean noWait) {
        return executor()
                .execute(
                        manifest,
                        exportDir.resolve("artifact-manifest.json"),
                        settings(noWait),
                        ProgressListener.NONE,
                        Cancellation.none());
    }

    @Test
    void aStaleHeartbeatIsAnErrorBeforeTheExportNamingTheFix() throws Exception {
        heartbeat(Instant.now().minusSeconds(60));
        assertThatThrownBy(() -> executor().preflight(settings(false), exportDir, 0))
                .isInstanceOf(RemoteSpoolException.class)
                .hasMessageContaining("heartbeat (host conv-1")
                .hasMessageContaining("alive means younger than 3 s")
                .hasMessageContaining("start hyper2kvm.service on conv-1");
        try (var s = Files.list(spool.resolve("to_be_processed"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aSpoolWithoutDescriptorIsAnErrorNamingTheFile() {
        assertThatThrownBy(() -> executor().preflight(settings(false), exportDir, 0))
                .isInstanceOf(RemoteSpoolException.class)
                .hasMessageContaining(SpoolDescriptor.file(spool).toString())
                .hasMessageContaining("hyperctl spool publish");
    }

    @Test
    void aResubmissionOfTheSameExportWaitsForTheSameJobInsteadOfConvertingTwice() throws Exception {
        heartbeat(Instant.now().plusSeconds(3600));
        try (InProcessWorkflowDaemon daemon = new InProcessWorkflowDaemon(spool, output, 1)) {
            PipelineResult first = run(false);
            PipelineResult second = run(false);
            assertThat(first.outcome()).isInstanceOf(ConversionOutcome.Converted.class);
            assertThat(second.outcome()).isInstanceOf(ConversionOutcome.Converted.class);
            assertThat(second.jobId())
                    .isEqualTo(first.jobId())
                    .isEqualTo(JobId.forExport("web-01", exportDir));
            assertThat(second.outputImages()).isEqualTo(first.outputImages());
            assertThat(daemon.claims).containsOnlyKeys(first.jobId() + ".json");
            assertThat(daemon.claims.get(first.jobId() + ".json")).hasValue(1);
        }
    }

    /** A second view of the test's spool, as another process (hyperctl job wait) opens it. */
    private DaemonSpool spoolView() {
        return DaemonSpool.builder()
                .layout(QueueLayout.WORKFLOW)
                .watchDir(spool)
                .outputDir(output)
                .pollInterval(Duration.ofMillis(100))
                .build();
    }

    @Test
    void noWaitQueuesTheJobAndAnotherProcessCanAttachToIt() throws Exception {
        heartbeat(Instant.now().plusSeconds(3600));
        PipelineResult r = run(true);
        assertThat(r.outcome()).isInstanceOf(ConversionOutcome.Queued.class);
        JobId id = ((ConversionOutcome.Queued) r.outcome()).jobId();
        DaemonSpool spoolView = spoolView();
        assertThat(spoolView.find(id).state()).isEqualTo(SpoolJob.State.QUEUED);
        assertThat(run(true).outcome())
                .isEqualTo(new ConversionOutcome.Queued(id, true)); // found, not resubmitted
        try (InProcessWorkflowDaemon daemon = new InProcessWorkflowDaemon(spool, output, 1)) {
            SpoolSubmission s = spoolView.attach(id).orElseThrow();
            SpoolResult result =
                    spoolView.await(
                            s, Duration.ofSeconds(60), Cancellation.none(), ProgressListener.NONE);
            assertThat(result.outcome()).isInstanceOf(ConversionOutcome.Converted.class);
            assertThat(result.images()).singleElement().satisfies(p -> assertThat(p).exists());
            assertThat(spoolView.find(id).state()).isEqualTo(SpoolJob.State.CONVERTED);
        }
        assertThat(spoolView.find(JobId.parse("nope")).state()).isEqualTo(SpoolJob.State.UNKNOWN);
    }

    @Test
    void anAttachedJobThatTimesOutIsLeftInTheSpoolForItsSubmitter() throws Exception {
        heartbeat(Instant.now().plusSeconds(3600));
        JobId id = ((ConversionOutcome.Queued) run(true).outcome()).jobId();
        DaemonSpool spoolView = spoolView();
        SpoolSubmission s = spoolView.attach(id).orElseThrow();
        SpoolResult result =
                spoolView.await(
                        s, Duration.ofSeconds(1), Cancellation.none(), ProgressListener.NONE);
        assertThat(result.outcome())
                .isInstanceOfSatisfying(
                        ConversionOutcome.TimedOut.class, t -> assertThat(t.claimed()).isFalse());
        assertThat(spoolView.find(id).state()).isEqualTo(SpoolJob.State.QUEUED);
        assertThat(spool.resolve("to_be_processed").resolve(id + ".json")).exists();
    }

    @Test
    void aHeartbeatThatGoesStaleWhileWaitingEndsTheWaitAndWithdrawsTheUnclaimedJob()
            throws Exception {
        heartbeat(Instant.now());
        long t0 = System.nanoTime();
        PipelineResult r = run(false); // no daemon claims it; the heartbeat is never refreshed
        assertThat(r.outcome()).isInstanceOf(ConversionOutcome.Failed.class);
        assertThat(((ConversionOutcome.Failed) r.outcome()).message())
                .contains("heartbeat of host conv-1")
                .contains("withdrawn");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        try (var s = Files.list(spool.resolve("to_be_processed"))) {
            assertThat(s).isEmpty();
        }
    }
}
