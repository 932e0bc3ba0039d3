package io.hypersdk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.job.JobDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Cancel, restart mid-job, the queue, and the schema version, through a real server. */
@Timeout(180)
class LifecycleTest {
    @TempDir Path tmp;

    @Test
    void aRunningJobIsCancelledAndItsConverterStopped() throws Exception {
        Path slow = Fixtures.slowConverter(tmp);
        try (JobServer server = Fixtures.server(tmp.resolve("state")).build().start()) {
            Api api = new Api(server);
            String id =
                    api.post("/jobs/submit", Fixtures.slowJob(tmp.resolve("out"), slow))
                            .json()
                            .path("job_ids")
                            .get(0)
                            .asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.running(slow));

            JsonNode r =
                    api.post("/jobs/cancel", "{\"job_ids\": [\"" + id + "\", \"no-such-job\"]}")
                            .json();

            assertThat(r.path("cancelled")).extracting(JsonNode::asText).containsExactly(id);
            assertThat(r.path("failed"))
                    .extracting(JsonNode::asText)
                    .containsExactly("no-such-job");
            assertThat(r.path("errors").path("no-such-job").asText()).contains("not found");
            await().atMost(Duration.ofSeconds(60)).until(() -> api.status(id).equals("cancelled"));
            await().atMost(Duration.ofSeconds(30)).until(() -> !Fixtures.running(slow));
            assertThat(api.get("/jobs/" + id).json().has("completed_at")).isTrue();
            JsonNode again = api.post("/jobs/cancel", "{\"job_ids\": [\"" + id + "\"]}").json();
            assertThat(again.path("errors").path(id).asText()).contains("already cancelled");
        }
    }

    @Test
    void aPendingJobIsCancelledBeforeItStarts() throws Exception {
        Path slow = Fixtures.slowConverter(tmp);
        try (JobServer server =
                Fixtures.server(tmp.resolve("state")).maxConcurrent(1).build().start()) {
            Api api = new Api(server);
            String first =
                    api.post("/jobs/submit", Fixtures.slowJob(tmp.resolve("a"), slow))
                            .json()
                            .path("job_ids")
                            .get(0)
                            .asText();
            String second =
                    api.post("/jobs/submit", Fixtures.slowJob(tmp.resolve("b"), slow))
                            .json()
                            .path("job_ids")
                            .get(0)
                            .asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> api.status(first).equals("running"));
            assertThat(api.status(second)).isEqualTo("pending");

            api.post("/jobs/cancel", "{\"job_ids\": [\"" + second + "\"]}");

            assertThat(api.status(second)).isEqualTo("cancelled");
            assertThat(api.get("/jobs/" + second).json().path("error").asText())
                    .contains("before it started");
            assertThat(api.get("/jobs/" + second).json().has("started_at")).isFalse();
        }
    }

    @Test
    void aRestartMidJobKeepsTheHistoryAndMarksTheRunningJobInterrupted() throws Exception {
        Path slow = Fixtures.slowConverter(tmp);
        Path state = tmp.resolve("state");
        String running;
        String queued;
        String done;
        try (JobServer server = Fixtures.server(state).maxConcurrent(1).build().start()) {
            Api api = new Api(server);
            done =
                    api.post(
                                    "/jobs/submit",
                                    "{\"vm_path\": \"sample-appliance.ova\", \"output_dir\": \""
                                            + tmp.resolve("done")
                                            + "\"}")
                            .json()
                            .path("job_ids")
                            .get(0)
                            .asText();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> api.status(done).equals("completed"));
            running =
                    api.post("/jobs/submit", Fixtures.slowJob(tmp.resolve("a"), slow))
                            .json()
                            .path("job_ids")
                            .get(0)
                            .asText();
            queued =
                    api.post(
                                    "/jobs/submit",
                                    "{\"vm_path\": \"sample-appliance.ova\", \"output_dir\": \""
                                            + tmp.resolve("queued")
                                            + "\"}")
                            .json()
                            .path("job_ids")
                            .get(0)
                            .asText();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> api.status(running).equals("running"));
        }

        try (JobServer server = Fixtures.server(state).maxConcurrent(1).build().start()) {
            Api api = new Api(server);
            JsonNode j = api.get("/jobs/" + running).json();
            assertThat(j.path("status").asText()).isEqualTo("interrupted");
            assertThat(j.path("error").asText())
                    .contains("server stopped while the job was running");
            assertThat(api.status(done)).isEqualTo("completed");
            assertThat(api.get("/jobs/" + done).json().path("result").path("success").asBoolean())
                    .isTrue();
            // the job that was still queued runs after the restart
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> api.status(queued).equals("completed"));
            assertThat(api.get("/status").json().path("interrupted_jobs").asInt()).isEqualTo(1);
        }
    }

    @Test
    void anInterruptedJobIsResumedAfterARestartIntoTheSameOutputDirectory() throws Exception {
        Path go = tmp.resolve("go");
        Path converter = Fixtures.resumableConverter(tmp, go);
        Path state = tmp.resolve("state");
        Path out = tmp.resolve("resumed");
        String id;
        try (JobServer server = Fixtures.server(state).build().start()) {
            Api api = new Api(server);
            id =
                    api.post("/jobs/submit", Fixtures.slowJob(out, converter))
                            .json()
                            .path("job_ids")
                            .get(0)
                            .asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.running(converter));
            assertThat(api.post("/jobs/" + id + "/resume", "").status())
                    .as("a running job is not resumed")
                    .isEqualTo(409);
        }
        List<Path> kept;
        try (var files = java.nio.file.Files.list(out)) {
            kept = files.toList();
        }
        assertThat(kept).as("the export the interrupted job wrote is kept").isNotEmpty();

        try (JobServer server = Fixtures.server(state).build().start()) {
            Api api = new Api(server);
            assertThat(api.status(id)).isEqualTo("interrupted");
            java.nio.file.Files.createFile(go);

            Api.Response r = api.post("/jobs/" + id + "/resume", "");

            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json().path("output_dir").asText()).isEqualTo(out.toString());
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> api.status(id).matches("completed|failed"));
            JsonNode j = api.get("/jobs/" + id).json();
            assertThat(j.path("error").asText("")).isEmpty();
            assertThat(j.path("status").asText()).isEqualTo("completed");
            assertThat(j.path("result").path("output_dir").asText()).isEqualTo(out.toString());
            assertThat(j.path("result").path("converted_images")).isNotEmpty();
            assertThat(api.post("/jobs/" + id + "/resume", "").json().path("error").asText())
                    .contains("completed: submit it again");
            assertThat(api.post("/jobs/no-such-job/resume", "").status()).isEqualTo(404);
        }
    }

    @Test
    void aJobLeftRunningByACrashIsInterruptedAtTheNextStart() {
        Path state = tmp.resolve("state");
        try (JobStore store = JobStore.open(state)) {
            store.insert(
                    JobRecord.pending("crashed-1", JobDefinition.of("x"), Instant.EPOCH)
                            .running(Instant.EPOCH));
        }

        try (JobServer server = Fixtures.server(state).build().start()) {
            JsonNode j = new Api(server).get("/jobs/crashed-1").json();
            assertThat(j.path("status").asText()).isEqualTo("interrupted");
            assertThat(j.path("started_at").asText()).isEqualTo("1970-01-01T00:00:00Z");
        }
    }

    @Test
    void theSchemaIsMigratedOnceAndANewerDatabaseIsRefused() throws Exception {
        Path state = tmp.resolve("state");
        try (JobStore store = JobStore.open(state)) {
            assertThat(store.version()).isEqualTo(JobStore.schemaVersion());
        }
        try (JobStore store = JobStore.open(state)) {
            assertThat(store.version()).isEqualTo(JobStore.schemaVersion());
        }
        try (java.sql.Connection c =
                        java.sql.DriverManager.getConnection(
                                "jdbc:sqlite:" + state.resolve("jobs.db"));
                java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JobStore.open(state))
                .isInstanceOf(JobStoreException.class)
                .hasMessageContaining("schema version 99");
    }
}
