package io.hypersdk.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.progress.ConverterOutput;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.core.progress.TransferProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConverterStagesTest {

    private static ConverterOutput stderr(String line) {
        return new ConverterOutput(ConverterOutput.OutputStream.STDERR, line);
    }

    @Test
    void hyper2kvmsLogLinesBecomeStagesWithTheTimeElapsedAndItsPercentagesLoseTheirEta() {
        List<ProgressEvent> seen = new ArrayList<>();
        AtomicLong now = new AtomicLong(1_000);
        ConverterStages stages = new ConverterStages(seen::add, "hyper2kvm", now::get);

        // lines as hyper2kvm 0.0.2 prints them on stderr
        stages.onEvent(
                stderr(
                        "22:41:05 \u2139\ufe0f INFO     \u27a1\ufe0f Flatten snapshots \u2192 /x/work"));
        now.addAndGet(Duration.ofSeconds(12).toNanos());
        stages.onEvent(
                stderr("22:41:17 \u2139\ufe0f INFO     \u27a1\ufe0f Offline filesystem fixes"));
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        stages.onEvent(stderr("22:41:47 \u2139\ufe0f INFO     Mounted root at / using /dev/sda1"));
        stages.onEvent(
                stderr("22:41:48 \u2139\ufe0f INFO     Mounted root at / using /dev/sda1")); // no
        // repeat
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        stages.onEvent(
                stderr(
                        "22:42:08 \u2139\ufe0f INFO     \u27a1\ufe0f Convert image \u2192 vm.qcow2"));
        stages.onEvent(
                new TransferProgress("disk-0", 9, 1000, 1.0, Optional.of(Duration.ofHours(3))));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        stages.onEvent(
                stderr("22:42:13 \u2139\ufe0f INFO     Image validation: OK (qemu-img check)"));

        assertThat(seen)
                .filteredOn(PhaseChanged.class::isInstance)
                .map(e -> ((PhaseChanged) e).detail())
                .containsExactly(
                        "hyper2kvm: flatten, 0:00 elapsed",
                        "hyper2kvm: inspect, 0:12 elapsed",
                        "hyper2kvm: fix, 0:42 elapsed",
                        "hyper2kvm: convert, 1:02 elapsed",
                        "hyper2kvm: validate, 1:07 elapsed");
        assertThat(seen)
                .filteredOn(TransferProgress.class::isInstance)
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(((TransferProgress) e).eta())
                                        .as("no ETA is known")
                                        .isEmpty());
        // every original event still reaches the listener
        assertThat(seen).filteredOn(ConverterOutput.class::isInstance).hasSize(6);
    }

    @Test
    void linesThatNameNoStageAreOnlyPassedOn() {
        List<ProgressEvent> seen = new ArrayList<>();
        ConverterStages stages = new ConverterStages(seen::add, "hyper2kvm", System::nanoTime);

        stages.onEvent(stderr("22:41:05 \u2139\ufe0f INFO     Loading config"));

        assertThat(seen).singleElement().isInstanceOf(ConverterOutput.class);
        assertThat(ConverterStages.stageOf("anything else")).isEmpty();
    }
}
