package io.hypersdk.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void readsTheValuesSystemctlPrints() {
        Object v = Json.parse(" [ {\"unit\" : \"a\\u00e9\\\"b\\\\c\\/d\\n\", \"n\": -1.5e2, \"t\": true, \"f\": false, \"z\": null,"
                + " \"l\": [], \"o\": {}} ] ");

        assertThat(v).isInstanceOf(List.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) ((List<Object>) v).get(0);
        assertThat(o).containsEntry("unit", "aé\"b\\c/d\n").containsEntry("n", -150.0).containsEntry("t", true)
                .containsEntry("f", false).containsEntry("z", Json.NULL).containsEntry("l", List.of()).containsEntry("o", Map.of());
    }

    @Test
    void malformedJsonIsTheDocumentedExceptionWithItsOffset() {
        for (String bad : List.of("[", "[{\"a\":1,}]", "{\"a\" 1}", "[1 2]", "\"\\q\"", "tru", "[1]x", "\"abc", "{1:2}",
                "[".repeat(100) + "]".repeat(100))) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(SystemctlOutputException.class)
                    .hasMessageContaining("offset");
        }
        assertThatThrownBy(() -> Json.parseObjectArray("{}", "list-units")).hasMessageContaining("not an array");
        assertThatThrownBy(() -> Json.parseObjectArray("[1]", "list-units")).hasMessageContaining("not an object");
    }
}
