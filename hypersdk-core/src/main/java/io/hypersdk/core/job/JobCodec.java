package io.hypersdk.core.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hypersdk.core.json.Mappers;
import io.hypersdk.core.manifest.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes the web-API job model as JSON (2-space indented) or YAML.
 *
 * <p>Absent optional fields are not written, present ones always are (so {@code false} and {@code
 * 0} survive a round trip); the vCenter password is read but never written. Reading is strict:
 * unknown fields, wrong types, duplicate keys and out-of-range values are reported with their field
 * path as a {@link JobValidationException}, never as a parser exception.
 */
public final class JobCodec {
    /** The text format of a job document. */
    public enum Format {
        /** JSON. */
        JSON,
        /** YAML. */
        YAML
    }

    private static final ObjectMapper JSON = configure(Mappers.jsonMapper());
    private static final ObjectMapper YAML = configure(Mappers.yamlMapper());
    private static final DefaultPrettyPrinter PRINTER = Mappers.prettyPrinter();

    private JobCodec() {}

    @SuppressWarnings("deprecation")
    private static <M extends ObjectMapper> M configure(M mapper) {
        mapper.registerModule(new Jdk8Module());
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        return mapper;
    }

    /**
     * Reads and validates one job definition.
     *
     * @param text the document
     * @param format its format
     * @return the definition, valid
     * @throws JobValidationException listing every problem with its field path
     */
    public static JobDefinition readDefinition(String text, Format format) {
        JobDefinition d = read(text, format, JobDefinition.class, "job definition");
        List<Violation> violations = d.validate();
        if (!violations.isEmpty()) {
            throw new JobValidationException("job definition", violations);
        }
        return d;
    }

    /**
     * Reads a submission: one definition, {@code {"jobs": [...]}}, or an array of definitions. Each
     * definition is validated; every problem of every job is reported (paths are prefixed with
     * {@code jobs[i].} when there is more than one form).
     *
     * @param text the document
     * @param format its format
     * @return the definitions, valid
     * @throws JobValidationException listing every problem
     */
    public static List<JobDefinition> readSubmission(String text, Format format) {
        JsonNode root = read(text, format, JsonNode.class, "job submission");
        List<JsonNode> items = new ArrayList<>();
        String prefix;
        if (root.isArray()) {
            root.forEach(items::add);
            prefix = "";
        } else if (root.isObject()
                && root.size() == 1
                && root.has("jobs")
                && root.get("jobs").isArray()) {
            root.get("jobs").forEach(items::add);
            prefix = "jobs";
        } else if (root.isObject()) {
            return List.of(convertDefinition(root, ""));
        } else {
            throw new JobValidationException(
                    "job submission",
                    List.of(
                            new Violation(
                                    "$",
                                    "must be a job object, {\"jobs\": [...]} or an array of jobs")));
        }
        List<Violation> violations = new ArrayList<>();
        List<JobDefinition> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String p = prefix + "[" + i + "].";
            try {
                out.add(convertDefinition(items.get(i), p));
            } catch (JobValidationException e) {
                violations.addAll(e.violations());
            }
        }
        if (!violations.isEmpty()) {
            throw new JobValidationException("job submission", violations);
        }
        return List.copyOf(out);
    }

    private static JobDefinition convertDefinition(JsonNode node, String prefix) {
        JobDefinition d;
        try {
            d = JSON.treeToValue(node, JobDefinition.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new JobValidationException(
                    "job definition", List.of(prefixed(violation(e), prefix)));
        }
        List<Violation> violations = new ArrayList<>();
        for (Violation v : d.validate()) {
            violations.add(prefixed(v, prefix));
        }
        if (!violations.isEmpty()) {
            throw new JobValidationException("job definition", violations);
        }
        return d;
    }

    private static Violation prefixed(Violation v, String prefix) {
        if (prefix.isEmpty()) {
            return v;
        }
        return new Violation(
                v.path().equals("$") ? prefix.substring(0, prefix.length() - 1) : prefix + v.path(),
                v.message());
    }

    /**
     * Reads a job as reported by the web API.
     *
     * @param text the document
     * @param format its format
     * @return the job
     * @throws JobValidationException naming the field that could not be read
     */
    public static Job readJob(String text, Format format) {
        return read(text, format, Job.class, "job");
    }

    /**
     * Reads any record of the job model ({@link JobDefinition} without validation, {@link Job},
     * {@link JobResult}, {@link JobProgress}, {@link SubmitResponse}, {@link JobOptions}).
     *
     * @param text the document
     * @param format its format
     * @param type the record type
     * @param <T> the record type
     * @return the value
     * @throws JobValidationException naming the field that could not be read
     */
    public static <T> T read(String text, Format format, Class<T> type) {
        return read(text, format, type, type.getSimpleName());
    }

    private static <T> T read(String text, Format format, Class<T> type, String what) {
        ObjectMapper mapper = format == Format.YAML ? YAML : JSON;
        try {
            T value = mapper.readValue(text, type);
            if (value == null) {
                throw new JobValidationException(
                        what, List.of(new Violation("$", "the document is empty")));
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new JobValidationException(what, List.of(violation(e)));
        }
    }

    /**
     * The value as 2-space indented JSON ending in a newline.
     *
     * @param value a record of the job model
     * @return the JSON text
     */
    public static String toJson(Object value) {
        try {
            return JSON.writer(PRINTER).writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write "
                            + value.getClass().getSimpleName()
                            + " as JSON: "
                            + e.getOriginalMessage(),
                    e);
        }
    }

    /**
     * The value as YAML.
     *
     * @param value a record of the job model
     * @return the YAML text
     */
    public static String toYaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write "
                            + value.getClass().getSimpleName()
                            + " as YAML: "
                            + e.getOriginalMessage(),
                    e);
        }
    }

    /**
     * The value in the given format.
     *
     * @param value a record of the job model
     * @param format JSON or YAML
     * @return the text
     */
    public static String write(Object value, Format format) {
        return format == Format.YAML ? toYaml(value) : toJson(value);
    }

    private static Violation violation(Exception ex) {
        if (ex instanceof UnrecognizedPropertyException e) {
            String parent = path(e, 1);
            String field = e.getPropertyName();
            return new Violation(
                    parent.isEmpty() ? field : parent + "." + field,
                    "unknown field (check the spelling; known fields: "
                            + e.getKnownPropertyIds()
                            + ")");
        }
        if (ex instanceof ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Violation(orRoot(path(e, 0)), String.valueOf(cause.getMessage()));
        }
        if (ex instanceof InvalidFormatException e) {
            return new Violation(
                    orRoot(path(e, 0)),
                    "must be " + typeName(e.getTargetType()) + " (got: " + e.getValue() + ")");
        }
        if (ex instanceof MismatchedInputException e) {
            String p = path(e, 0);
            if (!p.isEmpty()) {
                return new Violation(p, "must be " + typeName(e.getTargetType()));
            }
            return new Violation("$", firstLine(e.getOriginalMessage()));
        }
        if (ex instanceof JsonMappingException e) {
            return new Violation(orRoot(path(e, 0)), firstLine(e.getOriginalMessage()));
        }
        if (ex instanceof JsonProcessingException e) {
            String where =
                    e.getLocation() == null
                            ? ""
                            : " at line "
                                    + e.getLocation().getLineNr()
                                    + ", column "
                                    + e.getLocation().getColumnNr();
            return new Violation(
                    "$", "not valid JSON/YAML" + where + ": " + firstLine(e.getOriginalMessage()));
        }
        return new Violation("$", String.valueOf(ex.getMessage()));
    }

    private static String orRoot(String p) {
        return p.isEmpty() ? "$" : p;
    }

    private static String path(JsonMappingException e, int dropLast) {
        List<JsonMappingException.Reference> refs = e.getPath();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < refs.size() - dropLast; i++) {
            JsonMappingException.Reference r = refs.get(i);
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "a value of the right type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == java.time.Instant.class) {
            return "an RFC 3339 timestamp";
        }
        if (type == Optional.class) {
            return "a value of the right type";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of the allowed values";
        }
        return "an object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }
}
