package io.hypersdk.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hypersdk.core.json.Mappers;

/**
 * The JSON and YAML mappers of the manifest codec and their output layout (the set-up shared with
 * the job codec, {@link Mappers}).
 */
final class Serialization {
    static final ObjectMapper JSON = Mappers.jsonMapper();

    static final YAMLMapper YAML = Mappers.yamlMapper();

    /** Go's json.MarshalIndent(v, "", " ") layout: {@code "key": value}, one element a line. */
    private static final DefaultPrettyPrinter PRINTER = Mappers.prettyPrinter();

    private Serialization() {}

    static String json(JsonNode tree) {
        try {
            return JSON.writer(PRINTER).writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree: " + e.getMessage(), e);
        }
    }

    static String yaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a YAML tree: " + e.getMessage(), e);
        }
    }
}
