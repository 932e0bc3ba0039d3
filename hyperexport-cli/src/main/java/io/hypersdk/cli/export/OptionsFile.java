package io.hypersdk.cli.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A YAML options file ({@code --options-file FILE}): a mapping from flag names (without the leading
 * dashes; {@code _} may stand for {@code -}) to scalar values, e.g. {@code pipeline: true}, {@code
 * hyper2kvm-poll-interval: 10}. Its values become the flags' defaults, so a flag given on the
 * command line always wins. Unknown keys are an error, not silently ignored.
 */
final class OptionsFile implements IDefaultValueProvider {
    static final String FLAG = "--options-file";

    private final Path path;
    private final Map<String, String> values;

    private OptionsFile(Path path, Map<String, String> values) {
        this.path = path;
        this.values = values;
    }

    /** Thrown for an unreadable or malformed file; the message is one line naming the file. */
    static final class OptionsFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OptionsFileException(String message) {
            super(message);
        }
    }

    /** Finds {@code --options-file FILE} or {@code --options-file=FILE} among the raw arguments. */
    static Optional<Path> find(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                break;
            }
            if (a.equals(FLAG) && i + 1 < args.length) {
                return Optional.of(Path.of(args[i + 1]));
            }
            if (a.startsWith(FLAG + "=")) {
                return Optional.of(Path.of(a.substring(FLAG.length() + 1)));
            }
        }
        return Optional.empty();
    }

    static OptionsFile load(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new OptionsFileException(
                    FLAG + " " + path + ": no such file: give the path of a YAML file");
        } catch (IOException e) {
            throw new OptionsFileException(
                    FLAG
                            + " "
                            + path
                            + ": cannot read it ("
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + ")");
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            String msg =
                    e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new OptionsFileException(FLAG + " " + path + ": not valid YAML: " + msg);
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new OptionsFile(path, values);
        }
        if (!root.isObject()) {
            throw new OptionsFileException(
                    FLAG
                            + " "
                            + path
                            + ": the top level must be a mapping of flag names to values, e.g. 'pipeline: true'");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            String value;
            if (v.isObject()) {
                // a repeatable KEY=VALUE flag, e.g. provider-option: {directory: /srv/ovas}
                List<String> pairs = new java.util.ArrayList<>();
                for (Map.Entry<String, JsonNode> kv : v.properties()) {
                    if (!kv.getValue().isValueNode() || kv.getValue().isNull()) {
                        throw new OptionsFileException(
                                FLAG
                                        + " "
                                        + path
                                        + ": '"
                                        + e.getKey()
                                        + "."
                                        + kv.getKey()
                                        + "' must be a single value");
                    }
                    pairs.add(kv.getKey() + "=" + kv.getValue().asText());
                }
                value = String.join(",", pairs);
            } else if (v.isValueNode() && !v.isNull()) {
                value = v.asText();
            } else {
                throw new OptionsFileException(
                        FLAG
                                + " "
                                + path
                                + ": '"
                                + e.getKey()
                                + "' must have a single value (a string, number or true/false), or a mapping for provider-option");
            }
            values.put(normalise(e.getKey()), value);
        }
        return new OptionsFile(path, values);
    }

    Path path() {
        return path;
    }

    /** Keys that name no flag of {@code spec}: a typo would otherwise be ignored. */
    List<String> unknownKeys(CommandSpec spec) {
        java.util.Set<String> known =
                spec.options().stream()
                        .flatMap(o -> java.util.Arrays.stream(o.names()))
                        .map(OptionsFile::normalise)
                        .collect(Collectors.toSet());
        return values.keySet().stream()
                .filter(k -> !known.contains(k) || k.equals(normalise(FLAG)))
                .collect(Collectors.toList());
    }

    boolean supplies(OptionSpec option) {
        return value(option).isPresent();
    }

    private Optional<String> value(OptionSpec option) {
        for (String name : option.names()) {
            String v = values.get(normalise(name));
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            return value(option).orElse(null);
        }
        return null;
    }

    private static String normalise(String key) {
        String k = key.trim();
        while (k.startsWith("-")) {
            k = k.substring(1);
        }
        return k.replace('_', '-').toLowerCase(Locale.ROOT);
    }
}
