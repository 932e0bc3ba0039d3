package io.hypersdk.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every validation error: status 400, each field named with its value and allowed range, nothing
 * started.
 */
@Timeout(60)
class ValidationTest {
    @TempDir static Path tmp;
    static JobServer server;
    static Api api;

    @BeforeAll
    static void start() {
        server = Fixtures.server(tmp.resolve("state")).build().start();
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "hyper2kvm_poll_interval  | 0           | 1-60 seconds",
                "hyper2kvm_poll_interval  | 61          | 1-60 seconds",
                "hyper2kvm_daemon_timeout | 0           | 1-240 minutes",
                "hyper2kvm_daemon_timeout | 241         | 1-240 minutes",
                "parallel_downloads       | 17          | 1-16",
                "compress_level           | 0           | 1-9",
                "hyper2kvm_instance       | '\"bad/name\"' | letters, digits",
            })
    void anOutOfRangeOptionIsRefusedNamingFieldValueAndRange(
            String field, String value, String allowed) {
        int before = api.get("/jobs/query").json().path("total").asInt();

        Api.Response r =
                api.post(
                        "/jobs/submit",
                        "{\"vm_path\": \"x\", \"options\": {\"" + field + "\": " + value + "}}");

        assertThat(r.status()).isEqualTo(400);
        JsonNode v = r.json().path("violations").get(0);
        assertThat(v.path("field").asText()).isEqualTo("options." + field);
        assertThat(v.path("value").toString()).isEqualTo(value);
        assertThat(v.path("allowed").asText()).contains(allowed);
        assertThat(v.path("message").asText()).isNotBlank();
        assertThat(r.json().path("error").asText()).contains("nothing was started");
        assertThat(api.get("/jobs/query").json().path("total").asInt()).isEqualTo(before);
    }

    @Test
    void everyProblemOfEveryJobIsListedAndNoneStarts() {
        Api.Response r =
                api.post(
                        "/jobs/submit",
                        "{\"jobs\": [{\"vm_path\": \"ok\"},"
                                + " {\"vm_path\": \"\", \"format\": \"vhd\", \"options\": {\"hyper2kvm_poll_interval\": 61,"
                                + " \"hyper2kvm_daemon_timeout\": 241, \"hyper2kvm_watch_dir\": \"relative\"}}]}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("violations"))
                .extracting(n -> n.path("field").asText())
                .containsExactlyInAnyOrder(
                        "jobs[1].vm_path",
                        "jobs[1].format",
                        "jobs[1].options.hyper2kvm_poll_interval",
                        "jobs[1].options.hyper2kvm_daemon_timeout",
                        "jobs[1].options.hyper2kvm_watch_dir");
        assertThat(
                        api.get("/jobs/query?status=pending,running,completed,failed")
                                .json()
                                .path("jobs")
                                .findValuesAsText("vm_path"))
                .doesNotContain("ok");
    }

    @Test
    void malformedDocumentsAndWrongTypesAreNamed() {
        Api.Response broken = api.post("/jobs/submit", "{\"vm_path\": ");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("violations").get(0).path("field").asText()).isEqualTo("$");

        Api.Response wrongType =
                api.post(
                        "/jobs/submit",
                        "{\"vm_path\": \"x\", \"options\": {\"enable_pipeline\": \"yes\"}}");
        assertThat(wrongType.status()).isEqualTo(400);
        JsonNode v = wrongType.json().path("violations").get(0);
        assertThat(v.path("field").asText()).isEqualTo("options.enable_pipeline");
        assertThat(v.path("value").asText()).isEqualTo("yes");

        Api.Response unknown =
                api.post(
                        "/jobs/submit",
                        "{\"vm_path\": \"x\", \"provider_secret\": \"s3cr3t-value\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).doesNotContain("s3cr3t-value");
    }

    @Test
    void aJobNamingAPasswordIsRefusedAndThePasswordIsNotEchoed() {
        Api.Response r =
                api.post(
                        "/jobs/submit",
                        "{\"vm_path\": \"/DC1/vm/web-01\", \"vcenter\": {\"server\":"
                                + " \"vc.example\", \"username\": \"admin\", \"password\": \"hunter2-do-not-echo\"}}");

        assertThat(r.status()).isEqualTo(400);
        JsonNode v = r.json().path("violations").get(0);
        assertThat(v.path("field").asText()).isEqualTo("vcenter.password");
        assertThat(v.path("message").asText()).contains("credentials are not accepted in a job");
        assertThat(r.body()).doesNotContain("hunter2-do-not-echo");

        Api.Response meta =
                api.post(
                        "/jobs/submit",
                        "{\"vm_path\": \"x\", \"metadata\": {\"api_token\": \"tok-123456\"}}");
        assertThat(meta.status()).isEqualTo(400);
        assertThat(meta.json().path("violations").get(0).path("field").asText())
                .isEqualTo("metadata.api_token");
        assertThat(meta.body()).doesNotContain("tok-123456");
    }

    @Test
    void anUnknownProviderIsRefused() {
        Api.Response r =
                api.post(
                        "/jobs/submit",
                        "{\"vm_path\": \"x\", \"metadata\": {\"provider\": \"azure\"}}");

        assertThat(r.status()).isEqualTo(400);
        JsonNode v = r.json().path("violations").get(0);
        assertThat(v.path("field").asText()).isEqualTo("metadata.provider");
        assertThat(v.path("value").asText()).isEqualTo("azure");
        assertThat(v.path("message").asText()).contains("use one of local");
    }
}
