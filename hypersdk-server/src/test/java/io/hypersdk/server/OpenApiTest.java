package io.hypersdk.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document lists exactly the routes the server serves, with the ranges it enforces. */
@Timeout(60)
class OpenApiTest {
    @TempDir Path tmp;

    @Test
    void theDocumentListsExactlyTheServedRoutesAndTheSameRanges() {
        try (JobServer server = Fixtures.server(tmp).build().start()) {
            Api.Response r = new Api(server).get("/openapi.json");
            assertThat(r.status()).isEqualTo(200);
            JsonNode doc = r.json();
            assertThat(doc.path("openapi").asText()).startsWith("3.");
            List<String> documented = new ArrayList<>();
            doc.path("paths")
                    .fields()
                    .forEachRemaining(
                            p ->
                                    p.getValue()
                                            .fieldNames()
                                            .forEachRemaining(
                                                    m ->
                                                            documented.add(
                                                                    m.toUpperCase(Locale.ROOT)
                                                                            + " "
                                                                            + p.getKey())));

            assertThat(documented).containsExactlyInAnyOrderElementsOf(server.routes());

            JsonNode options =
                    doc.path("components").path("schemas").path("JobOptions").path("properties");
            FieldRules.RANGES.forEach(
                    (field, range) -> {
                        assertThat(options.path(field).path("minimum").asInt())
                                .as(field)
                                .isEqualTo(range.min());
                        assertThat(options.path(field).path("maximum").asInt())
                                .as(field)
                                .isEqualTo(range.max());
                    });
        }
    }
}
