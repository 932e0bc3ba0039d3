package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.spool.SpoolDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueInspectorTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final QueueInspector inspector = new QueueInspector(Clock.fixed(NOW, ZoneOffset.UTC));

    @TempDir Path root;

    @Test
    void workflowCountsManifestsWaitingInToBeProcessedAndClaimedOnesInProcessing()
            throws IOException {
        Path q = root.resolve("queue");
        file(q.resolve("to_be_processed/job-1.json"), Duration.ofSeconds(300));
        file(q.resolve("to_be_processed/job-2.yaml"), Duration.ofSeconds(20));
        file(
                q.resolve("to_be_processed/.job-3.json.tmp"),
                Duration.ofSeconds(900)); // still being written
        file(q.resolve("to_be_processed/notes.txt"), Duration.ofSeconds(900)); // not a manifest
        file(q.resolve("processing/job-0.json"), Duration.ofSeconds(30));
        file(q.resolve("processed/2026-11-26/job-old.json"), Duration.ofSeconds(3000));

        QueueSnapshot s = inspector.inspect(dirs(q, "workflow"));

        assertThat(s.problem()).isEmpty();
        assertThat(s.waiting()).isEqualTo(OptionalInt.of(2));
        assertThat(s.inProgress()).isEqualTo(OptionalInt.of(1));
        assertThat(s.oldestWaiting()).contains(Duration.ofSeconds(300));
    }

    @Test
    void workflowWithoutProcessingDirectoryHasNothingInProgress() throws IOException {
        Path q = root.resolve("queue");
        Files.createDirectories(q.resolve("to_be_processed"));

        QueueSnapshot s = inspector.inspect(dirs(q, "workflow"));

        assertThat(s.waiting()).isEqualTo(OptionalInt.of(0));
        assertThat(s.inProgress()).isEqualTo(OptionalInt.of(0));
        assertThat(s.oldestWaiting()).isEmpty();
    }

    @Test
    void workflowLayoutOnADiskWatchSpoolNamesTheSettingToChange() throws IOException {
        Path q = root.resolve("queue");
        Files.createDirectories(q.resolve(".processed/2026-11-26"));

        QueueSnapshot s = inspector.inspect(dirs(q, "workflow"));

        assertThat(s.waiting()).isEmpty();
        assertThat(s.problem())
                .hasValueSatisfying(
                        p ->
                                assertThat(p)
                                        .contains("no to_be_processed/ in " + q)
                                        .contains("QUEUE_LAYOUT=disk-watch"));
    }

    @Test
    void flatCountsManifestFilesInTheWatchDirectoryAndHasNoInProgressCount() throws IOException {
        Path q = root.resolve("queue");
        file(q.resolve("job-a.manifest.json"), Duration.ofSeconds(61));
        file(q.resolve("job-b.manifest.json"), Duration.ofSeconds(5));
        file(q.resolve(".job-c.manifest.json.tmp"), Duration.ofSeconds(500));
        file(q.resolve("artifact-manifest.json"), Duration.ofSeconds(500)); // not the flat naming

        QueueSnapshot s = inspector.inspect(dirs(q, "flat"));

        assertThat(s.waiting()).isEqualTo(OptionalInt.of(2));
        assertThat(s.inProgress()).isEmpty();
        assertThat(s.oldestWaiting()).contains(Duration.ofSeconds(61));
        assertThat(s.note()).hasValueSatisfying(n -> assertThat(n).contains("no claim"));
    }

    @Test
    void diskWatchCountsDiskFilesAndLeavesOutFailedInputs() throws IOException {
        Path q = root.resolve("queue");
        file(q.resolve("job-1.vmdk"), Duration.ofSeconds(40));
        file(q.resolve("job-2.OVA"), Duration.ofSeconds(10));
        file(q.resolve("job-3.vmdk"), Duration.ofSeconds(4000));
        file(q.resolve(".errors/job-3.vmdk.error.json"), Duration.ofSeconds(3900));
        file(q.resolve(".job-4.vmdk.tmp"), Duration.ofSeconds(1));
        file(
                q.resolve("job-5.manifest.json"),
                Duration.ofSeconds(1)); // ignored by disk-watch daemons
        file(q.resolve(".processed/2026-11-26/job-0.vmdk"), Duration.ofSeconds(9000));

        QueueSnapshot s = inspector.inspect(dirs(q, "disk-watch"));

        assertThat(s.waiting()).isEqualTo(OptionalInt.of(2));
        assertThat(s.inProgress()).isEmpty();
        assertThat(s.oldestWaiting()).contains(Duration.ofSeconds(40));
        assertThat(s.note()).hasValueSatisfying(n -> assertThat(n).contains("1 failed input"));
    }

    @Test
    void missingWatchDirectoryIsReportedWithItsPath() {
        Path q = root.resolve("nowhere/queue");

        QueueSnapshot s = inspector.inspect(dirs(q, "workflow"));

        assertThat(s.waiting()).isEmpty();
        assertThat(s.problem())
                .hasValueSatisfying(p -> assertThat(p).contains(q + " does not exist"));
    }

    private SpoolDirectories dirs(Path watch, String layout) {
        return SpoolDirectories.fromUnit(
                "hyper2kvm@t.service",
                Map.of(
                        "WATCH_DIR",
                        watch.toString(),
                        "OUTPUT_DIR",
                        root.resolve("out").toString(),
                        "QUEUE_LAYOUT",
                        layout),
                Optional.of("t"));
    }

    private static void file(Path p, Duration age) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "{}");
        Files.setLastModifiedTime(p, FileTime.from(NOW.minus(age)));
    }
}
