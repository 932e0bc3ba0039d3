package io.hypersdk.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import io.hypersdk.core.JobId;
import io.hypersdk.core.settings.QueueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolDescriptorTest {
    @TempDir Path spool;

    private static SpoolDescriptor sample(Instant heartbeat) {
        return new SpoolDescriptor(
                1,
                QueueLayout.WORKFLOW,
                Optional.of("prod"),
                "conv-1",
                "hyper2kvm 0.0.2",
                Path.of("/var/lib/hyper2kvm/prod/output"),
                heartbeat,
                Duration.ofSeconds(10));
    }

    @Test
    void writtenDescriptorReadsBackEqualAndLeavesNoTemporaryFile() throws Exception {
        SpoolDescriptor d = sample(Instant.parse("2026-12-07T02:00:00Z"));
        d.writeTo(spool);
        d.withHeartbeat(Instant.parse("2026-12-07T02:00:10Z")).writeTo(spool);
        assertThat(SpoolDescriptor.read(spool))
                .contains(d.withHeartbeat(Instant.parse("2026-12-07T02:00:10Z")));
        try (var files = Files.list(spool)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactly(SpoolDescriptor.FILE_NAME);
        }
    }

    @Test
    void aSpoolWithoutDescriptorReadsAsEmpty() throws Exception {
        assertThat(SpoolDescriptor.read(spool)).isEmpty();
    }

    @Test
    void theHeartbeatIsFreshForThreeIntervals() {
        Instant t = Instant.parse("2026-12-07T02:00:00Z");
        SpoolDescriptor d = sample(t);
        assertThat(d.staleAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.isFresh(t.plusSeconds(29))).isTrue();
        assertThat(d.isFresh(t.plusSeconds(30))).isFalse();
        assertThat(d.age(t.minusSeconds(5))).isEqualTo(Duration.ZERO);
    }

    @Test
    void aNewerVersionIsRefusedWithTheFix() throws Exception {
        String json = sample(Instant.EPOCH).toJson().replace("\"version\" : 1", "\"version\" : 2");
        Files.writeString(SpoolDescriptor.file(spool), json);
        assertThatThrownBy(() -> SpoolDescriptor.read(spool))
                .isInstanceOf(SpoolDescriptorException.class)
                .hasMessageContaining(SpoolDescriptor.file(spool).toString())
                .hasMessageContaining("version 2")
                .hasMessageContaining("upgrade");
    }

    @Test
    void aMissingFieldIsNamed() {
        String json = sample(Instant.EPOCH).toJson().replace("\"layout\"", "\"layout_x\"");
        assertThatThrownBy(() -> SpoolDescriptor.parse(json, "/s/.hypersdk-spool.json"))
                .isInstanceOf(SpoolDescriptorException.class)
                .hasMessageContaining("/s/.hypersdk-spool.json has no \"layout\"");
    }

    @Test
    void roundTripsAndDamagedTextOnlyThrowsTheDocumentedException() {
        qt().withExamples(200)
                .forAll(
                        longs().between(0, 4_000_000_000L),
                        integers().between(1, 3600),
                        strings().basicLatinAlphabet().ofLengthBetween(1, 20))
                .checkAssert(
                        (secs, interval, host) -> {
                            if (host.isBlank()) {
                                return;
                            }
                            SpoolDescriptor d =
                                    new SpoolDescriptor(
                                            1,
                                            QueueLayout.DISK_WATCH,
                                            Optional.empty(),
                                            host,
                                            "v",
                                            Path.of("/out"),
                                            Instant.ofEpochSecond(secs),
                                            Duration.ofSeconds(interval));
                            assertThat(SpoolDescriptor.parse(d.toJson(), "x")).isEqualTo(d);
                            String text = d.toJson();
                            int cut = (int) (secs % text.length());
                            String damaged = text.substring(0, cut) + host + text.substring(cut);
                            try {
                                SpoolDescriptor.parse(damaged, "x");
                            } catch (SpoolDescriptorException e) {
                                assertThat(e.getMessage()).startsWith("spool descriptor x ");
                            }
                        });
    }

    @Test
    void theExportJobIdIsStableAndSafe() {
        JobId a = JobId.forExport("web 01", Path.of("/exports/web/../web"));
        assertThat(a).isEqualTo(JobId.forExport("web 01", Path.of("/exports/web")));
        assertThat(a).isNotEqualTo(JobId.forExport("web 01", Path.of("/exports/other")));
        assertThat(a.value()).matches("e[0-9a-f]{24}");
        assertThat(a.attempt(1)).isEqualTo(a);
        assertThat(a.attempt(2).value()).isEqualTo(a.value() + "-r2");
    }
}
