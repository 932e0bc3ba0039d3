package io.hypersdk.provider.spi;

import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A credential (password, token, key). Its value comes from a file, the environment or a program,
 * never from a command line; it is shown as {@code ****} by {@link #toString()}, in JSON (Jackson)
 * and therefore in logs. Only {@link #reveal()} returns the value; call it at the last moment,
 * where the value goes on the wire.
 */
public final class Secret {

    /** What every rendering of a secret shows. */
    public static final String REDACTED = "****";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** A secret holding {@code value}. */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value);
    }

    /** The environment variable's value as a secret, when it is set and not empty. */
    public static Optional<Secret> fromEnvironment(String variable) {
        return fromEnvironment(variable, System.getenv());
    }

    /** The variable's value in {@code environment} as a secret, when it is set and not empty. */
    public static Optional<Secret> fromEnvironment(
            String variable, Map<String, String> environment) {
        String v = environment.get(variable);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(new Secret(v));
    }

    /**
     * The first line of a file (without its line terminator) as a secret, as in a {@code
     * --password-file} option or a systemd credential.
     *
     * @throws ProviderConfigException when the file cannot be read or its first line is empty
     */
    public static Secret fromFile(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ProviderConfigException(
                    "secret file "
                            + file
                            + " does not exist; create it (mode 0600) or pass the secret through the environment");
        } catch (IOException e) {
            throw new ProviderConfigException(
                    "cannot read secret file "
                            + file
                            + ": "
                            + e.getMessage()
                            + "; check its permissions");
        }
        int eol = content.indexOf('\n');
        String line = eol >= 0 ? content.substring(0, eol) : content;
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new ProviderConfigException(
                    "secret file " + file + " is empty; write the secret on its first line");
        }
        return new Secret(line);
    }

    /** The value itself. Never log, print or serialise it. */
    public String reveal() {
        return value;
    }

    /** True when the value is empty. */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Always {@value #REDACTED}; also what Jackson writes. */
    @JsonValue
    @Override
    public String toString() {
        return REDACTED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
