package io.hypersdk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The original tool's routes and shapes, over real HTTP against a started server. */
@Timeout(120)
class JobApiTest {
    @TempDir Path tmp;
    JobServer server;
    Api api;

    @BeforeEach
    void start() {
        server = Fixtures.server(tmp.resolve("state")).build().start();
        api = new Api(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theDocumentedExampleIsAcceptedAsWritten() {
        Api.Response r = api.post("/jobs/submit", Fixtures.EXAMPLE);

        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("accepted").asInt()).isEqualTo(1);
        assertThat(body.path("rejected").asInt()).isZero();
        assertThat(body.has("timestamp")).isTrue();
        String id = body.path("job_ids").get(0).asText();
        JsonNode job = api.get("/jobs/" + id).json();
        JsonNode options = job.path("definition").path("options");
        assertThat(options.path("hyper2kvm_daemon").asBoolean()).isTrue();
        assertThat(options.path("hyper2kvm_instance").asText()).isEqualTo("vsphere-prod");
        assertThat(options.path("hyper2kvm_watch_dir").asText())
                .isEqualTo("/var/lib/hyper2kvm/vsphere-prod/queue");
        assertThat(job.path("definition").path("id").asText()).isEqualTo(id);
    }

    @Test
    void oneJobTheJobsObjectAnArrayAndYamlAreAllAccepted() {
        String one = "{\"vm_path\": \"a\", \"output_dir\": \"" + tmp.resolve("a") + "\"}";
        assertThat(
                        api.post("/jobs/submit", "{\"jobs\": [" + one + ", " + one + "]}")
                                .json()
                                .path("accepted")
                                .asInt())
                .isEqualTo(2);
        assertThat(api.post("/jobs/submit", "[" + one + "]").json().path("accepted").asInt())
                .isEqualTo(1);
        Api.Response yaml =
                api.post(
                        "/jobs/submit",
                        "vm_path: b\noptions:\n  enable_pipeline: false\n",
                        Map.of("Content-Type", "application/yaml"));
        assertThat(yaml.json().path("accepted").asInt()).isEqualTo(1);
        assertThat(api.get("/jobs/query").json().path("total").asInt()).isEqualTo(4);
    }

    @Test
    void anExplicitFalseIsKept() {
        String id =
                api.post(
                                "/jobs/submit",
                                "{\"vm_path\": \"x\", \"options\": {\"enable_pipeline\": false,"
                                        + " \"libvirt_integration\": false}}")
                        .json()
                        .path("job_ids")
                        .get(0)
                        .asText();

        JsonNode options = api.get("/jobs/" + id).json().path("definition").path("options");
        assertThat(options.has("enable_pipeline")).isTrue();
        assertThat(options.path("enable_pipeline").isBoolean()).isTrue();
        assertThat(options.path("enable_pipeline").asBoolean()).isFalse();
        assertThat(options.path("libvirt_integration").asBoolean(true)).isFalse();
    }

    @Test
    void aDuplicateIdIsRejectedInTheAnswer() {
        String job = "{\"id\": \"job-1\", \"vm_path\": \"x\"}";
        api.post("/jobs/submit", job);

        JsonNode again = api.post("/jobs/submit", job).json();
        assertThat(again.path("accepted").asInt()).isZero();
        assertThat(again.path("rejected").asInt()).isEqualTo(1);
        assertThat(again.path("errors").get(0).asText())
                .isEqualTo("job with ID job-1 already exists");
    }

    @Test
    void queryFiltersByStatusAndIdAndUnknownJobsAre404() {
        String id =
                api.post("/jobs/submit", "{\"vm_path\": \"no-such-vm.ova\"}")
                        .json()
                        .path("job_ids")
                        .get(0)
                        .asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> api.status(id).equals("failed"));

        assertThat(api.get("/jobs/query?status=failed").json().path("total").asInt()).isEqualTo(1);
        assertThat(api.get("/jobs/query?status=completed").json().path("total").asInt()).isZero();
        assertThat(
                        api.post("/jobs/query", "{\"job_ids\": [\"" + id + "\"]}")
                                .json()
                                .path("jobs")
                                .get(0)
                                .path("id")
                                .asText())
                .isEqualTo(id);
        assertThat(api.get("/jobs/" + id).json().path("error").asText()).contains("no-such-vm.ova");
        assertThat(api.get("/jobs/nope").status()).isEqualTo(404);
        assertThat(api.get("/jobs/progress/nope").status()).isEqualTo(404);
        assertThat(api.get("/jobs/query?status=bogus").status()).isEqualTo(400);
    }

    @Test
    void healthStatusAndDaemonsAnswer() {
        assertThat(api.get("/health").json().path("status").asText()).isEqualTo("healthy");
        JsonNode status = api.get("/status").json();
        assertThat(status.path("total_jobs").asInt()).isZero();
        assertThat(status.path("max_concurrent").asInt()).isEqualTo(2);
        assertThat(status.has("interrupted_jobs")).isTrue();
        Api.Response daemons = api.get("/daemons");
        assertThat(daemons.status()).isEqualTo(200);
        assertThat(daemons.json().path("daemons").isArray()).isTrue();
    }
}
