package io.hypersdk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobIdTest {

    @Test
    void generatedIdsCarryTheUtcTimeAndAreFileNameSafe() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T11:31:41.123Z"), ZoneOffset.UTC);

        JobId id = JobId.generate(clock);

        assertThat(id.value()).matches("20261126-113141-123-[0-9a-f]{12}");
        assertThat(id.toString()).isEqualTo(id.value());
        assertThat(JobId.parse(id.value())).isEqualTo(id);
    }

    @Test
    void idsGeneratedInTheSameMillisecondAreUniqueAndIncreasing() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(JobId.generate(clock));
        }

        assertThat(new HashSet<>(ids)).hasSize(10_000);
        assertThat(ids).isSorted();
    }

    @Test
    void idsSortByCreationTime() {
        List<JobId> ids = new ArrayList<>();
        for (long ms = 0; ms < 2_000; ms += 7) {
            ids.add(
                    JobId.generate(
                            Clock.fixed(
                                    Instant.ofEpochMilli(1_700_000_000_000L + ms),
                                    ZoneOffset.UTC)));
        }
        assertThat(ids).isSorted();
    }

    @Test
    void concurrentGenerationGivesUniqueIds() {
        Set<JobId> ids = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 20_000).parallel().forEach(i -> ids.add(JobId.generate()));
        assertThat(ids).hasSize(20_000);
        assertThat(ids).allSatisfy(id -> assertThat(id.value()).matches("[a-z0-9-]+"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3f2504e0-4f89-11d3-9a0c-0305e82c3301", "job1", "a"})
    void parseAcceptsIdsFromTheWebApi(String text) {
        assertThat(JobId.parse(text).value()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-job", "Job", "a/b", "../x", "a b", "a_b", "a\0b"})
    void parseRejectsUnsafeIdsNamingTheFix(String text) {
        assertThatThrownBy(() -> JobId.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid job id \"")
                .hasMessageEndingWith(
                        "use 1-100 characters of [a-z0-9-], starting with a letter or digit")
                .hasMessageNotContaining("\0");
    }

    @Test
    void parseRejectsOverlongIds() {
        assertThat(JobId.parse("a".repeat(100)).value()).hasSize(100);
        assertThatThrownBy(() -> JobId.parse("a".repeat(101)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
