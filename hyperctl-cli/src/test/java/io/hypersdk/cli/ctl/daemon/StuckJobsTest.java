package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.spool.SpoolDirectories;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A claimed job that has not moved for longer than the threshold is flagged, with the fix. */
class StuckJobsTest {
    @TempDir Path tmp;

    private static Clock in(Duration later) {
        return Clock.fixed(Instant.now().plus(later), ZoneOffset.UTC);
    }

    private Optional<SpoolDirectories> dirs(String layout) {
        return Optional.of(
                SpoolDirectories.fromUnit(
                        "hyper2kvm@vsphere-prod.service",
                        Map.of(
                                "WATCH_DIR",
                                tmp.resolve("q").toString(),
                                "OUTPUT_DIR",
                                tmp.resolve("o").toString(),
                                "QUEUE_LAYOUT",
                                layout),
                        Optional.of("vsphere-prod")));
    }

    private InstanceReport active(Optional<SpoolDirectories> d) {
        return new InstanceReport(
                "vsphere-prod",
                "hyper2kvm@vsphere-prod.service",
                "loaded",
                "active",
                "running",
                "enabled",
                "success",
                OptionalLong.of(42),
                Optional.empty(),
                Optional.empty(),
                0,
                OptionalLong.empty(),
                d,
                new QueueSnapshot(
                        OptionalInt.of(1),
                        OptionalInt.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()));
    }

    @Test
    void aDiskWatchJobWhoseDirectoryHasNotChangedForLongerThanTheThresholdIsStuck()
            throws Exception {
        Files.createDirectories(tmp.resolve("q"));
        Files.writeString(tmp.resolve("q/job-1.vmdk"), "disk");
        Path jobDir = Files.createDirectories(tmp.resolve("o/" + LocalDate.now() + "/job-1"));

        Optional<StuckJobs.StuckJob> later =
                new StuckJobs(Duration.ofMinutes(15), in(Duration.ofMinutes(20)))
                        .find(dirs("disk-watch"));
        Optional<StuckJobs.StuckJob> now =
                new StuckJobs(Duration.ofMinutes(15), in(Duration.ofMinutes(1)))
                        .find(dirs("disk-watch"));

        assertThat(later)
                .hasValueSatisfying(
                        s -> {
                            assertThat(s.job()).isEqualTo("job-1");
                            assertThat(s.claim()).isEqualTo(jobDir);
                            assertThat(s.idle())
                                    .isBetween(Duration.ofMinutes(19), Duration.ofMinutes(21));
                        });
        assertThat(now).as("within the threshold").isEmpty();
    }

    @Test
    void unclaimedOrAnsweredDiskWatchJobsAreNeverStuck() throws Exception {
        Files.createDirectories(tmp.resolve("q/.errors"));
        Files.writeString(tmp.resolve("q/waiting.vmdk"), "disk"); // no job directory: not claimed
        Files.writeString(tmp.resolve("q/failed.vmdk"), "disk");
        Files.writeString(tmp.resolve("q/.errors/failed.vmdk.error.json"), "{}");
        Files.createDirectories(tmp.resolve("o/2026-01-01/failed"));

        assertThat(
                        new StuckJobs(Duration.ofMinutes(15), in(Duration.ofHours(5)))
                                .find(dirs("disk-watch")))
                .isEmpty();
    }

    @Test
    void aWorkflowJobLeftInProcessingIsStuckAndTheStatusNamesItAndTheRestart() throws Exception {
        Files.createDirectories(tmp.resolve("q/processing"));
        Files.writeString(tmp.resolve("q/processing/job-7.json"), "{}");
        Optional<SpoolDirectories> d = dirs("workflow");
        InstanceReport r = active(d);

        Map<String, StuckJobs.StuckJob> stuck =
                new StuckJobs(Duration.ofMinutes(30), in(Duration.ofMinutes(45))).of(List.of(r));
        StringWriter out = new StringWriter();
        StuckJobs.print(stuck, List.of(r), new PrintWriter(out, true));

        assertThat(stuck).containsOnlyKeys("vsphere-prod");
        assertThat(out.toString().strip())
                .startsWith("STUCK vsphere-prod: job job-7 has not moved for 45min")
                .contains(tmp.resolve("q/processing/job-7.json").toString())
                .contains("systemctl restart hyper2kvm@vsphere-prod.service");
        assertThat(new StuckJobs(Duration.ofMinutes(60), in(Duration.ofMinutes(45))).of(List.of(r)))
                .isEmpty();
    }

    @Test
    void theJsonViewCarriesTheStuckJobAndNullOtherwise() throws Exception {
        Files.createDirectories(tmp.resolve("q/processing"));
        Files.writeString(tmp.resolve("q/processing/job-7.json"), "{}");
        InstanceReport r = active(dirs("workflow"));
        StringWriter out = new StringWriter();

        JsonRenderer.write(
                List.of(r),
                new StuckJobs(Duration.ofMinutes(15), in(Duration.ofMinutes(20))).of(List.of(r)),
                new PrintWriter(out, true));
        StringWriter none = new StringWriter();
        JsonRenderer.write(List.of(r), new PrintWriter(none, true));

        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(doc.at("/instances/0/stuck/job").asText()).isEqualTo("job-7");
        assertThat(doc.at("/instances/0/stuck/fix").asText())
                .isEqualTo("systemctl restart hyper2kvm@vsphere-prod.service");
        assertThat(
                        new com.fasterxml.jackson.databind.ObjectMapper()
                                .readTree(none.toString())
                                .at("/instances/0/stuck")
                                .isNull())
                .isTrue();
    }
}
