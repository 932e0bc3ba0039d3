package io.hypersdk.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressEventTest {

  @Test
  void listenersReceiveEachKindOfEvent() {
    List<String> seen = new ArrayList<>();
    ProgressListener listener = e -> {
      if (e instanceof PhaseChanged p) {
        seen.add("phase " + p.phase());
      } else if (e instanceof TransferProgress t) {
        seen.add("bytes " + t.bytesDone() + "/" + t.bytesTotal());
      } else if (e instanceof ConverterOutput o) {
        seen.add(o.stream() + " " + o.line());
      } else if (e instanceof Notice n) {
        seen.add(n.level() + " " + n.message());
      }
    };

    listener.onEvent(new PhaseChanged(Phase.CONVERT, "direct mode"));
    listener.onEvent(new TransferProgress("disk-0.vmdk", 50, 100, 10.0,
        Optional.of(Duration.ofSeconds(5))));
    listener.onEvent(new ConverterOutput(ConverterOutput.OutputStream.STDERR, "Mounted root"));
    listener.onEvent(new Notice(Notice.Level.WARNING, "daemon inactive: using direct mode"));
    ProgressListener.NONE.onEvent(new PhaseChanged(Phase.DONE, ""));

    assertThat(seen).containsExactly("phase CONVERT", "bytes 50/100", "STDERR Mounted root",
        "WARNING daemon inactive: using direct mode");
  }

  @Test
  void transferProgressReportsTheFractionAndRejectsImpossibleCounts() {
    assertThat(new TransferProgress("d", 25, 100, 0, Optional.empty()).fraction()).contains(0.25);
    assertThat(new TransferProgress("d", 25, -1, 0, Optional.empty()).fraction()).isEmpty();
    assertThat(new TransferProgress("d", 0, 0, 0, Optional.empty()).fraction()).contains(1.0);
    assertThatThrownBy(() -> new TransferProgress("d", -1, 10, 0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytesDone");
    assertThatThrownBy(() -> new TransferProgress("d", 1, 10, Double.NaN, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytesPerSecond");
  }
}
