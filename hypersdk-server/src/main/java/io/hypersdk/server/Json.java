package io.hypersdk.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hypersdk.core.job.Job;
import io.hypersdk.core.json.Mappers;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.jetbrains.annotations.NotNull;

/** The project's Jackson set-up ({@link Mappers}) as Javalin's JSON mapper, and the job view. */
final class Json implements io.javalin.json.JsonMapper {
    static final ObjectMapper MAPPER = configure(Mappers.jsonMapper());

    private static ObjectMapper configure(JsonMapper m) {
        m.registerModule(new Jdk8Module());
        m.registerModule(new JavaTimeModule());
        m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return m;
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * A job as the API shows it: the web API's {@code Job} shape, with {@code status} the server's
     * state (so {@code interrupted} is shown as such) and {@code id} beside it for convenience.
     */
    static ObjectNode job(JobRecord r) {
        Job job =
                new Job(
                        r.definition(),
                        r.state().apiStatus(),
                        r.progress(),
                        r.result(),
                        r.error(),
                        r.startedAt(),
                        r.completedAt(),
                        r.updatedAt());
        ObjectNode n = MAPPER.valueToTree(job);
        n.put("status", r.state().id());
        ObjectNode out = MAPPER.createObjectNode();
        out.put("id", r.id());
        out.setAll(n);
        return out;
    }

    @NotNull
    @Override
    public String toJsonString(@NotNull Object obj, @NotNull Type type) {
        return write(obj);
    }

    @NotNull
    @Override
    public <T> T fromJsonString(@NotNull String json, @NotNull Type type) {
        try {
            return MAPPER.readValue(json, MAPPER.constructType(type));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @NotNull
    @Override
    public <T> T fromJsonStream(@NotNull InputStream json, @NotNull Type type) {
        try {
            return MAPPER.readValue(json, MAPPER.constructType(type));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }
}
