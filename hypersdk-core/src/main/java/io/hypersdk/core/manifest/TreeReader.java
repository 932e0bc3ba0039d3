package io.hypersdk.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Reads typed fields out of a JSON tree, recording a {@link Violation} (with the field path) for
 * every missing or mistyped value instead of failing on the first.
 */
final class TreeReader {
    private final List<Violation> violations;

    TreeReader(List<Violation> violations) {
        this.violations = violations;
    }

    List<Violation> violations() {
        return violations;
    }

    void add(String path, String message) {
        violations.add(new Violation(path, message));
    }

    static String join(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    /** The field's node, or empty when it is missing or JSON null. */
    static Optional<JsonNode> field(JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        return n == null || n.isNull() || n.isMissingNode() ? Optional.empty() : Optional.of(n);
    }

    Optional<JsonNode> object(JsonNode obj, String name, String path) {
        Optional<JsonNode> n = field(obj, name);
        if (n.isPresent() && !n.get().isObject()) {
            add(path, "must be an object (got: " + kind(n.get()) + ")");
            return Optional.empty();
        }
        return n;
    }

    Optional<JsonNode> array(JsonNode obj, String name, String path, boolean required) {
        Optional<JsonNode> n = field(obj, name);
        if (n.isEmpty()) {
            if (required) {
                add(path, "is required");
            }
            return Optional.empty();
        }
        if (!n.get().isArray()) {
            add(path, "must be an array (got: " + kind(n.get()) + ")");
            return Optional.empty();
        }
        return n;
    }

    Optional<String> string(JsonNode obj, String name, String path, boolean required) {
        Optional<JsonNode> n = field(obj, name);
        if (n.isEmpty()) {
            if (required) {
                add(path, "is required");
            }
            return Optional.empty();
        }
        if (!n.get().isTextual()) {
            add(path, "must be a string (got: " + kind(n.get()) + ")");
            return Optional.empty();
        }
        return Optional.of(n.get().textValue());
    }

    OptionalLong integer(
            JsonNode obj, String name, String path, boolean required, long min, long max) {
        Optional<JsonNode> n = field(obj, name);
        if (n.isEmpty()) {
            if (required) {
                add(path, "is required");
            }
            return OptionalLong.empty();
        }
        JsonNode v = n.get();
        if (!v.isIntegralNumber()
                || !v.canConvertToLong()
                || v.longValue() < min
                || v.longValue() > max) {
            add(
                    path,
                    "must be an integer"
                            + (v.isIntegralNumber() ? " between " + min + " and " + max : "")
                            + " (got: "
                            + describe(v)
                            + ")");
            return OptionalLong.empty();
        }
        return OptionalLong.of(v.longValue());
    }

    OptionalInt intValue(JsonNode obj, String name, String path, boolean required) {
        OptionalLong v = integer(obj, name, path, required, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return v.isPresent() ? OptionalInt.of((int) v.getAsLong()) : OptionalInt.empty();
    }

    Optional<Boolean> bool(JsonNode obj, String name, String path, boolean required) {
        Optional<JsonNode> n = field(obj, name);
        if (n.isEmpty()) {
            if (required) {
                add(path, "is required");
            }
            return Optional.empty();
        }
        if (!n.get().isBoolean()) {
            add(path, "must be true or false (got: " + describe(n.get()) + ")");
            return Optional.empty();
        }
        return Optional.of(n.get().booleanValue());
    }

    Optional<Instant> instant(JsonNode obj, String name, String path) {
        return string(obj, name, path, false)
                .flatMap(
                        s -> {
                            try {
                                return Optional.of(OffsetDateTime.parse(s).toInstant());
                            } catch (DateTimeParseException e) {
                                add(
                                        path,
                                        "\""
                                                + s
                                                + "\" is not an RFC 3339 timestamp (e.g. 2026-01-31T12:00:00Z)");
                                return Optional.empty();
                            }
                        });
    }

    Optional<Path> path(JsonNode obj, String name, String path, boolean required) {
        return string(obj, name, path, required)
                .flatMap(
                        s -> {
                            try {
                                return Optional.of(Path.of(s));
                            } catch (InvalidPathException e) {
                                add(
                                        path,
                                        "\""
                                                + s.replace("\0", "\\u0000")
                                                + "\" is not a valid path: "
                                                + e.getReason());
                                return Optional.empty();
                            }
                        });
    }

    <E> Optional<E> enumValue(
            JsonNode obj,
            String name,
            String path,
            boolean required,
            Function<String, E> parser,
            String allowed) {
        return string(obj, name, path, required)
                .flatMap(
                        s -> {
                            try {
                                return Optional.of(parser.apply(s));
                            } catch (IllegalArgumentException e) {
                                add(path, "\"" + s + "\" must be one of: " + allowed);
                                return Optional.empty();
                            }
                        });
    }

    static String kind(JsonNode n) {
        JsonNodeType t = n.getNodeType();
        switch (t) {
            case ARRAY:
                return "an array";
            case OBJECT:
                return "an object";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            default:
                return t.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "\"" + n.textValue() + "\"";
        }
        if (n.isValueNode()) {
            return n.asText();
        }
        return kind(n);
    }
}
