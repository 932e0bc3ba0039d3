package io.hypersdk.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressEventTest {

    @Test
    void theEventKindsAreTheFourClosedOnesEveryDisplayHandles() {
        // the CLIs' displays switch over these; a fifth kind must come with their update
        assertThat(ProgressEvent.class.isSealed()).isTrue();
        assertThat(ProgressEvent.class.getPermittedSubclasses())
                .containsExactlyInAnyOrder(
                        PhaseChanged.class,
                        TransferProgress.class,
                        ConverterOutput.class,
                        Notice.class);
    }

    @Test
    void everyEventRefusesAMissingFieldNamingIt() {
        assertThatThrownBy(() -> new PhaseChanged(null, "direct mode")).hasMessage("phase");
        assertThatThrownBy(() -> new PhaseChanged(Phase.CONVERT, null)).hasMessage("detail");
        assertThatThrownBy(() -> new ConverterOutput(null, "Mounted root")).hasMessage("stream");
        assertThatThrownBy(() -> new ConverterOutput(ConverterOutput.OutputStream.STDERR, null))
                .hasMessage("line");
        assertThatThrownBy(() -> new Notice(null, "daemon inactive")).hasMessage("level");
        assertThatThrownBy(() -> new Notice(Notice.Level.WARNING, null)).hasMessage("message");
        assertThat(
                        new TransferProgress(
                                        "disk-0.vmdk",
                                        50,
                                        100,
                                        10.0,
                                        Optional.of(Duration.ofSeconds(5)))
                                .eta())
                .contains(Duration.ofSeconds(5));
    }

    @Test
    void transferProgressReportsTheFractionAndRejectsImpossibleCounts() {
        assertThat(new TransferProgress("d", 25, 100, 0, Optional.empty()).fraction())
                .contains(0.25);
        assertThat(new TransferProgress("d", 25, -1, 0, Optional.empty()).fraction()).isEmpty();
        assertThat(new TransferProgress("d", 0, 0, 0, Optional.empty()).fraction()).contains(1.0);
        assertThatThrownBy(() -> new TransferProgress("d", -1, 10, 0, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytesDone");
        assertThatThrownBy(() -> new TransferProgress("d", 1, 10, Double.NaN, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytesPerSecond");
    }
}
