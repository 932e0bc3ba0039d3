package io.hypersdk.provider.spi;

import com.fasterxml.jackson.annotation.JsonValue;
import io.hypersdk.core.settings.SettingText;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a provider needs to connect: plain settings ({@code url}, {@code insecure}, {@code
 * datacenter}, {@code source} ...) and credentials as {@link Secret}s. Immutable.
 *
 * <p>Credentials never come from argv: the builder takes them as {@link Secret}s (from a file, from
 * the environment through {@link Builder#secretFromEnvironment}, or from a program), and refuses a
 * plain setting whose key looks like a credential ({@code password}, {@code token}, {@code secret},
 * ...). {@link #toString()} and the JSON form show secrets as {@code ****}.
 *
 * <p>Keys are lower case {@code [a-z0-9._-]}. Each provider documents the keys it reads.
 */
public final class ProviderConfig {

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final Pattern CREDENTIAL_KEY =
            Pattern.compile(
                    ".*(password|passwd|passphrase|secret|token|credential|api[._-]?key|private[._-]?key).*");

    private final Map<String, String> settings;

    /** {@code scheme://user[:password]@host}: credentials inside a URL. */
    private static final Pattern USER_INFO =
            Pattern.compile("^\\s*[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\s]*@");

    /** {@code user:password@host} without a scheme, in a setting whose key names a URL or host. */
    private static final Pattern BARE_USER_INFO = Pattern.compile("^\\s*[^/?#@\\s]+@[^@\\s]+$");

    private static final Pattern URL_KEY =
            Pattern.compile("(?i).*(url|uri|host|server|endpoint).*");
    private final Map<String, Secret> secrets;

    private ProviderConfig(Map<String, String> settings, Map<String, Secret> secrets) {
        this.settings = Map.copyOf(settings);
        this.secrets = Map.copyOf(secrets);
    }

    /** A configuration with nothing in it. */
    public static ProviderConfig empty() {
        return new ProviderConfig(Map.of(), Map.of());
    }

    /** A builder reading the process environment for {@link Builder#secretFromEnvironment}. */
    public static Builder builder() {
        return new Builder(System.getenv());
    }

    /** A builder reading {@code environment} (tests, or a filtered environment). */
    public static Builder builder(Map<String, String> environment) {
        return new Builder(environment);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(System.getenv());
        b.settings.putAll(settings);
        b.secrets.putAll(secrets);
        return b;
    }

    /** The plain settings (no secrets). */
    public Map<String, String> settings() {
        return settings;
    }

    /** The names of the secrets present. */
    public Set<String> secretNames() {
        return secrets.keySet();
    }

    /**
     * Refuses a setting the provider does not know, naming every setting it does know.
     *
     * @param provider the provider's id, for the message
     * @param known the settings the provider reads
     * @throws ProviderConfigException for the first unknown setting
     */
    public void requireKnownKeys(String provider, Set<String> known) {
        for (String key : settings().keySet()) {
            if (!known.contains(key)) {
                throw new ProviderConfigException(
                        provider
                                + " provider setting '"
                                + key
                                + "' is unknown; known settings: "
                                + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    /** A plain setting. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /**
     * A plain setting that must be present.
     *
     * @throws ProviderConfigException naming the key
     */
    public String require(String key) {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            throw new ProviderConfigException(
                    SettingText.of("setting '" + key + "' is required; set it ")
                            .whereProviderSetting(key));
        }
        return v;
    }

    /**
     * A boolean setting ({@code true/false/yes/no/1/0}, any case).
     *
     * @throws ProviderConfigException when present but not a boolean
     */
    public boolean getBoolean(String key, boolean defaultValue) {
        String v = settings.get(key);
        if (v == null) {
            return defaultValue;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "1":
            case "on":
                return true;
            case "false":
            case "no":
            case "0":
            case "off":
                return false;
            default:
                throw new ProviderConfigException(
                        "setting '" + key + "' must be true or false (got '" + v + "')");
        }
    }

    /**
     * An integer setting within {@code [min, max]}.
     *
     * @throws ProviderConfigException when present but not an integer in range
     */
    public int getInt(String key, int defaultValue, int min, int max) {
        String v = settings.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new ProviderConfigException(
                "setting '"
                        + key
                        + "' must be an integer from "
                        + min
                        + " to "
                        + max
                        + " (got '"
                        + v
                        + "')");
    }

    /**
     * A duration setting: ISO-8601 ({@code PT30S}) or a number of seconds.
     *
     * @throws ProviderConfigException when present but not a non-negative duration
     */
    public Duration getDuration(String key, Duration defaultValue) {
        String v = settings.get(key);
        if (v == null) {
            return defaultValue;
        }
        String t = v.trim();
        try {
            Duration d =
                    t.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(t)) : Duration.parse(t);
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // fall through to the message
        }
        throw new ProviderConfigException(
                "setting '"
                        + key
                        + "' must be a number of seconds or an ISO-8601 duration such as PT30S (got '"
                        + v
                        + "')");
    }

    /** A secret. */
    public Optional<Secret> secret(String key) {
        return Optional.ofNullable(secrets.get(key));
    }

    /**
     * A secret that must be present.
     *
     * @throws ProviderConfigException naming the key and how to pass it
     */
    public Secret requireSecret(String key) {
        Secret s = secrets.get(key);
        if (s == null || s.isEmpty()) {
            throw new ProviderConfigException(
                    "credential '"
                            + key
                            + "' is required; pass it from a file or the environment, never on the command line");
        }
        return s;
    }

    /** Settings and secrets with every secret shown as {@code ****}; also the JSON form. */
    @JsonValue
    public Map<String, Object> redacted() {
        Map<String, Object> m = new TreeMap<>(settings);
        secrets.keySet().forEach(k -> m.put(k, Secret.REDACTED));
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "ProviderConfig" + redacted();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderConfig c
                && c.settings.equals(settings)
                && c.secrets.equals(secrets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(settings, secrets);
    }

    /** Builds a {@link ProviderConfig}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> environment;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, Secret> secrets = new LinkedHashMap<>();

        private Builder(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
        }

        /**
         * Sets a plain setting.
         *
         * @throws CredentialSettingException for a key that names a credential
         * @throws IllegalArgumentException for a bad key, or a URL value with user info ({@code
         *     https://user:password@host}); the message never shows the value
         */
        public Builder set(String key, String value) {
            checkKey(key);
            Objects.requireNonNull(value, "value");
            if (CREDENTIAL_KEY.matcher(key).matches()) {
                throw new CredentialSettingException(key);
            }
            if (USER_INFO.matcher(value).find()
                    || (URL_KEY.matcher(key).matches() && BARE_USER_INFO.matcher(value).find())) {
                throw new IllegalArgumentException(
                        "setting '"
                                + key
                                + "' is a URL with a user name or password in it"
                                + " (before '@'), which would end up in the process list and logs: give the URL without them and set the"
                                + " credentials in the environment (vSphere: GOVC_USERNAME and GOVC_PASSWORD)");
            }
            settings.put(key, value);
            return this;
        }

        /** Sets every entry of {@code values} with {@link #set(String, String)}. */
        public Builder setAll(Map<String, String> values) {
            values.forEach(this::set);
            return this;
        }

        /** Sets a plain setting from the first of {@code variables} that is set and not empty. */
        public Builder setFromEnvironment(String key, String... variables) {
            for (String var : variables) {
                String v = environment.get(var);
                if (v != null && !v.isEmpty()) {
                    return set(key, v);
                }
            }
            return this;
        }

        /** Sets a credential. */
        public Builder secret(String key, Secret value) {
            checkKey(key);
            secrets.put(key, Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets a credential from the first of {@code variables} that is set and not empty (for
         * example {@code HYPERSDK_VSPHERE_PASSWORD}, then {@code GOVC_PASSWORD}); leaves it unset
         * when none is.
         */
        public Builder secretFromEnvironment(String key, String... variables) {
            for (String var : variables) {
                Optional<Secret> s = Secret.fromEnvironment(var, environment);
                if (s.isPresent()) {
                    return secret(key, s.get());
                }
            }
            return this;
        }

        /** Removes a setting or secret. */
        public Builder remove(String key) {
            settings.remove(key);
            secrets.remove(key);
            return this;
        }

        public ProviderConfig build() {
            return new ProviderConfig(settings, secrets);
        }

        private static void checkKey(String key) {
            Objects.requireNonNull(key, "key");
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException(
                        "configuration key '"
                                + key
                                + "' is invalid: use lower case letters, digits, '.', '_' or '-'");
            }
        }
    }
}
