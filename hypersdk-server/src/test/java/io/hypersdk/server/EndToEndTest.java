package io.hypersdk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * A job of the documented shape run end to end: the local provider exports the sample appliance,
 * qemu-img converts it, libvirt's test driver defines the domain; the SSE stream shows it happen.
 */
@Timeout(180)
class EndToEndTest {
    @TempDir Path tmp;

    @Test
    void aJobOfTheDocumentedShapeReachesAConvertedResultAndItsEventsStreamIt() throws Exception {
        Path out = tmp.resolve("export");
        String job =
                "{\"name\": \"sample\", \"vm_path\": \"sample-appliance.ova\", \"output_dir\": \""
                        + out
                        + "\","
                        + " \"format\": \"ovf\", \"options\": {\"enable_pipeline\": true, \"converter\": \"qemu-img\","
                        + " \"hyper2kvm_daemon\": false, \"libvirt_integration\": true, \"libvirt_uri\": \"test:///default\"}}";
        // the test driver keeps its state per process while a connection is open
        Connect keepAlive = new Connect("test:///default");
        try (JobServer server =
                Fixtures.server(tmp.resolve("state")).maxConcurrent(1).build().start()) {
            Api api = new Api(server);
            // hold the only worker so the stream can subscribe before the job starts
            Path slow = Fixtures.slowConverter(tmp);
            String blocker =
                    api.post("/jobs/submit", Fixtures.slowJob(tmp.resolve("blocker"), slow))
                            .json()
                            .path("job_ids")
                            .get(0)
                            .asText();
            String id = api.post("/jobs/submit", job).json().path("job_ids").get(0).asText();
            assertThat(api.status(id)).isEqualTo("pending");
            CompletableFuture<List<String>> stream =
                    CompletableFuture.supplyAsync(() -> events(api, id));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.status(blocker).equals("running"));
            api.post("/jobs/cancel", "{\"job_ids\": [\"" + blocker + "\"]}");

            await().atMost(Duration.ofSeconds(120))
                    .until(() -> api.status(id).matches("completed|failed"));
            JsonNode j = api.get("/jobs/" + id).json();
            assertThat(j.path("error").asText("")).isEmpty();
            assertThat(j.path("status").asText()).isEqualTo("completed");
            JsonNode result = j.path("result");
            assertThat(result.path("success").asBoolean()).isTrue();
            assertThat(result.path("conversion_mode").asText()).isEqualTo("qemu-img");
            assertThat(result.path("conversion_mode_reason").asText()).isNotBlank();
            assertThat(result.path("duration").isIntegralNumber()).isTrue();
            assertThat(result.path("converted_images")).isNotEmpty();
            for (JsonNode image : result.path("converted_images")) {
                Path p = Path.of(image.asText());
                assertThat(p).exists();
                assertThat(new String(Files.readAllBytes(p), 0, 4, StandardCharsets.ISO_8859_1))
                        .isEqualTo("QFI\u00fb");
            }
            String domain = result.path("libvirt_domain").asText();
            assertThat(keepAlive.domainLookupByName(domain).getXMLDesc(0))
                    .contains(result.path("converted_images").get(0).asText());
            keepAlive.domainLookupByName(domain).undefine();

            List<String> lines = stream.get(60, TimeUnit.SECONDS);
            String all = String.join("\n", lines);
            assertThat(all).contains("event: status").contains("\"status\":\"running\"");
            assertThat(all).contains("event: stage");
            assertThat(all).contains("event: mode").contains("\"mode\":\"qemu-img\"");
            assertThat(all).contains("event: result");
            assertThat(lines.get(lines.size() - 1)).contains("\"status\":\"completed\"");
        } finally {
            keepAlive.close();
        }
    }

    /**
     * The SSE stream's event and data lines until the server closes it (asking as EventSource
     * does).
     */
    static List<String> events(Api api, String id) {
        List<String> lines = new ArrayList<>();
        try {
            HttpResponse<java.io.InputStream> r =
                    api.http.send(
                            HttpRequest.newBuilder(URI.create(api.base + "/jobs/" + id + "/events"))
                                    .header("Accept", "text/event-stream")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("event:") || line.startsWith("data:")) {
                        lines.add(line);
                    }
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return lines;
    }
}
