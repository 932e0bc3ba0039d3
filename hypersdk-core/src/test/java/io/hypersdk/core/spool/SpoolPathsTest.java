package io.hypersdk.core.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.settings.QueueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpoolPathsTest {

    private static final Path W = Path.of("/var/lib/hyper2kvm/queue");

    @Test
    void workflowSubmitsIntoToBeProcessedAndAnswersInProcessedOrFailed() {
        SpoolPaths p = SpoolPaths.of(QueueLayout.WORKFLOW, W);

        assertThat(p.submitDir()).isEqualTo(W.resolve("to_be_processed"));
        assertThat(p.claimDir()).contains(W.resolve("processing"));
        assertThat(p.processedDir()).contains(W.resolve("processed"));
        assertThat(p.failedDir()).contains(W.resolve("failed"));
        assertThat(p.markerDirs()).containsExactly(W.resolve("to_be_processed"));
    }

    @Test
    void diskWatchSubmitsIntoTheWatchDirAndAnswersInDotDirectories() {
        SpoolPaths p = SpoolPaths.of(QueueLayout.DISK_WATCH, W);

        assertThat(p.submitDir()).isEqualTo(W);
        assertThat(p.claimDir()).isEmpty();
        assertThat(p.processedDir()).contains(W.resolve(".processed"));
        assertThat(p.failedDir()).contains(W.resolve(".errors"));
        assertThat(p.markerDirs()).containsExactly(W.resolve(".processed"), W.resolve(".errors"));
    }

    @Test
    void flatHasOnlyTheWatchDir() {
        SpoolPaths p = SpoolPaths.of(QueueLayout.FLAT, W);

        assertThat(p.submitDir()).isEqualTo(W);
        assertThat(p.claimDir()).isEmpty();
        assertThat(p.processedDir()).isEmpty();
        assertThat(p.failedDir()).isEmpty();
        assertThat(p.markerDirs()).isEmpty();
    }
}
