package io.hypersdk.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MappersTest {
    @Test
    void jsonIsWrittenInGoMarshalIndentLayout() throws JsonProcessingException {
        Map<String, Object> value =
                ordered(
                        "name",
                        "web-01",
                        "disks",
                        List.of(1, 2),
                        "tags",
                        Map.of(),
                        "notes",
                        List.of());

        String json =
                Mappers.jsonMapper().writer(Mappers.prettyPrinter()).writeValueAsString(value);

        assertThat(json)
                .isEqualTo(
                        "{\n"
                                + "  \"name\": \"web-01\",\n"
                                + "  \"disks\": [\n"
                                + "    1,\n"
                                + "    2\n"
                                + "  ],\n"
                                + "  \"tags\": {},\n"
                                + "  \"notes\": []\n"
                                + "}");
    }

    @Test
    void duplicateKeysAreRejectedInJsonAndYaml() {
        assertThatThrownBy(() -> Mappers.jsonMapper().readTree("{\"a\": 1, \"a\": 2}"))
                .hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> Mappers.yamlMapper().readTree("a: 1\na: 2\n"))
                .hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void yamlQuotesStringsYamlWouldMangleAndNothingElse() throws JsonProcessingException {
        Map<String, Object> value =
                ordered(
                        "plain",
                        "web-01",
                        "number",
                        "0123",
                        "nel",
                        "a\u0085b",
                        "blank",
                        " x",
                        "empty",
                        "",
                        "list",
                        List.of("a", "tab\there"));

        String yaml = Mappers.yamlMapper().writeValueAsString(value);

        assertThat(yaml)
                .isEqualTo(
                        "plain: web-01\n"
                                + "number: \"0123\"\n"
                                + "nel: \"a\\Nb\"\n"
                                + "blank: \" x\"\n"
                                + "empty: \"\"\n"
                                + "list:\n"
                                + "  - a\n"
                                + "  - \"tab\\there\"\n");
        JsonNode back = Mappers.yamlMapper().readTree(yaml);
        assertThat(back.get("nel").asText()).isEqualTo("a\u0085b");
        assertThat(back.get("blank").asText()).isEqualTo(" x");
        assertThat(back.get("list").get(1).asText()).isEqualTo("tab\there");
    }

    @Test
    void needsQuotesFlagsControlSeparatorsAndEdgeBlanksOnly() {
        List<String> quoted = List.of("", "x ", "a\u2028b", "\ufeffa", "a\u009fb", "a\ud800");
        List<String> plain = List.of("web 01", "caf\u00e9");

        assertThat(quoted).filteredOn(s -> !Mappers.needsQuotes(s)).isEmpty();
        assertThat(plain).filteredOn(Mappers::needsQuotes).isEmpty();
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
