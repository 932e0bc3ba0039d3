package io.hypersdk.cli.ctl.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypersdk.cli.ctl.Hyperctl;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.spool.SpoolDescriptor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyperctl job status|wait}, {@code daemon status --spool} and {@code spool publish}. */
@Timeout(60)
class RemoteSpoolCommandsTest {
    @TempDir Path tmp;
    Path spool;
    Path output;
    String date = LocalDate.now(ZoneOffset.UTC).toString();

    record Result(int code, String out, String err) {}

    static Result hyperctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Hyperctl.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void spool() throws Exception {
        spool = Files.createDirectories(tmp.resolve("spool"));
        output = Files.createDirectories(tmp.resolve("output"));
        for (String d : new String[] {"to_be_processed", "processing", "processed", "failed"}) {
            Files.createDirectories(spool.resolve(d));
        }
    }

    private void heartbeat(Instant when) throws Exception {
        new SpoolDescriptor(
                        1,
                        QueueLayout.WORKFLOW,
                        Optional.of("prod"),
                        "conv-1",
                        "hyper2kvm 0.0.2",
                        output,
                        when,
                        Duration.ofSeconds(60))
                .writeTo(spool);
    }

    private static final String MANIFEST =
            "{\"manifest_version\": \"1.0\", \"vm\": {\"cpu\": 1, \"mem_gb\": 1,"
                    + " \"firmware\": \"bios\", \"secureboot\": false}, \"disks\": [{\"id\": \"disk-0\", \"source_format\":"
                    + " \"vmdk\", \"bytes\": 1, \"local_path\": \"/x/d.vmdk\", \"boot_order_hint\": 0,"
                    + " \"disk_type\": \"boot\"}],"
                    + " \"output\": {\"format\": \"qcow2\"}}";

    private void converted(String id) throws Exception {
        Path done = Files.createDirectories(spool.resolve("processed").resolve(date));
        Files.writeString(done.resolve(id + ".json"), MANIFEST);
        Path img = Files.createDirectories(output.resolve(date).resolve(id));
        Files.writeString(img.resolve("disk-0.qcow2"), "image");
    }

    @Test
    void statusReportsEachStateWithItsExitCode() throws Exception {
        heartbeat(Instant.now());
        Files.writeString(spool.resolve("to_be_processed/queued-1.json"), MANIFEST);
        Files.writeString(spool.resolve("processing/running-1.json"), MANIFEST);
        converted("done-1");
        Path failed = Files.createDirectories(spool.resolve("failed").resolve(date));
        Files.writeString(failed.resolve("bad-1.json"), MANIFEST);
        Files.writeString(
                failed.resolve("bad-1.json.error.json"), "{\"error\": \"disk unreadable\"}");
        String s = spool.toString();
        assertThat(hyperctl("job", "status", "queued-1", "--spool", s).code()).isEqualTo(3);
        assertThat(hyperctl("job", "status", "running-1", "--spool", s).out()).contains("running");
        Result done = hyperctl("job", "status", "done-1", "--spool", s, "--json");
        assertThat(done.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(done.out());
        assertThat(j.path("state").asText()).isEqualTo("converted");
        assertThat(j.path("images").get(0).asText()).endsWith("done-1/disk-0.qcow2");
        Result bad = hyperctl("job", "status", "bad-1", "--spool", s);
        assertThat(bad.code()).isEqualTo(4);
        assertThat(bad.out()).contains("disk unreadable");
        Result unknown = hyperctl("job", "status", "nope-1", "--spool", s);
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.out()).contains("no job nope-1 in " + s);
        assertThat(hyperctl("job", "status", "Bad Id", "--spool", s).code()).isEqualTo(2);
    }

    @Test
    void jsonIsOneFlagSpelledAndDescribedAlikeInJobAndJobs() throws Exception {
        heartbeat(Instant.now());
        converted("done-3");
        for (String flag : new String[] {"--json", "-json"}) {
            Result r = hyperctl("job", "status", "done-3", "--spool", spool.toString(), flag);
            assertThat(r.code()).as(flag).isZero();
            assertThat(new ObjectMapper().readTree(r.out()).path("job_id").asText())
                    .isEqualTo("done-3");
        }
        for (String[] help :
                new String[][] {
                    {"job", "status", "--help"},
                    {"job", "wait", "--help"},
                    {"jobs", "list", "--help"},
                    {"jobs", "show", "--help"},
                    {"jobs", "submit", "--help"},
                    {"jobs", "cancel", "--help"}
                }) {
            assertThat(hyperctl(help).out())
                    .as(String.join(" ", help))
                    .contains("-json, --json")
                    .contains("Print one JSON document instead of text.");
        }
    }

    @Test
    void aSpoolWithoutDescriptorIsAUsageErrorNamingTheFile() {
        Result r = hyperctl("job", "status", "x-1", "--spool", spool.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(spool.resolve(".hypersdk-spool.json").toString());
    }

    @Test
    void waitReturnsAConvertedJobAndEndsWhenTheHeartbeatIsStale() throws Exception {
        heartbeat(Instant.now().minusSeconds(3600));
        converted("done-2");
        assertThat(hyperctl("job", "wait", "done-2", "--spool", spool.toString()).code()).isZero();
        Files.writeString(spool.resolve("to_be_processed/queued-2.json"), MANIFEST);
        Result r =
                hyperctl(
                        "job",
                        "wait",
                        "queued-2",
                        "--spool",
                        spool.toString(),
                        "--poll-interval",
                        "1");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.out()).contains("heartbeat of host conv-1");
        // a waiter never withdraws someone else's job
        assertThat(spool.resolve("to_be_processed/queued-2.json")).exists();
    }

    @Test
    void daemonStatusShowsTheDescriptorHeartbeatAndQueue() throws Exception {
        heartbeat(Instant.now());
        Files.writeString(spool.resolve("to_be_processed/q-1.json"), MANIFEST);
        Files.writeString(spool.resolve("processing/r-1.json"), MANIFEST);
        Result r = hyperctl("daemon", "status", "--spool", spool.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.path("host").asText()).isEqualTo("conv-1");
        assertThat(j.path("alive").asBoolean()).isTrue();
        assertThat(j.path("waiting").asInt()).isEqualTo(1);
        assertThat(j.path("in_progress").asInt()).isEqualTo(1);
        assertThat(j.has("oldest_waiting_seconds")).isTrue();
        heartbeat(Instant.now().minusSeconds(3600));
        Result stale = hyperctl("daemon", "status", "--spool", spool.toString());
        assertThat(stale.code()).isEqualTo(3);
        assertThat(stale.out()).contains("STALE").contains("1 waiting, 1 in progress");
        Files.delete(spool.resolve(".hypersdk-spool.json"));
        assertThat(hyperctl("daemon", "status", "--spool", spool.toString()).code()).isEqualTo(4);
    }

    @Test
    void publishWritesAReadableDescriptor() throws Exception {
        Result r =
                hyperctl(
                        "spool",
                        "publish",
                        "--spool",
                        spool.toString(),
                        "--output-dir",
                        output.toString(),
                        "--layout",
                        "workflow",
                        "--instance",
                        "prod",
                        "--host",
                        "conv-9");
        assertThat(r.code()).as(r.err()).isZero();
        SpoolDescriptor d = SpoolDescriptor.read(spool).orElseThrow();
        assertThat(d.host()).isEqualTo("conv-9");
        assertThat(d.instance()).contains("prod");
        assertThat(d.outputDir()).isEqualTo(output);
        assertThat(d.isFresh(Instant.now())).isTrue();
        assertThat(
                        hyperctl(
                                        "spool",
                                        "publish",
                                        "--spool",
                                        spool.toString(),
                                        "--output-dir",
                                        "rel",
                                        "--layout",
                                        "workflow")
                                .code())
                .isEqualTo(2);
    }
}
