package io.hypersdk.server;

import io.hypersdk.core.job.JobDefinition;
import io.hypersdk.core.manifest.Violation;
import io.hypersdk.provider.spi.ProviderConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The providers this server may run jobs with, each with the configuration the operator gave the
 * server (credentials live here, never in a job). A job picks one with {@code metadata.provider};
 * without it, the first one configured.
 */
final class ProviderRegistry {
    static final String METADATA_KEY = "provider";

    private final Map<String, ProviderConfig> configs;

    ProviderRegistry(Map<String, ProviderConfig> configs) {
        this.configs = new LinkedHashMap<>(configs);
    }

    List<String> ids() {
        return List.copyOf(configs.keySet());
    }

    Optional<Violation> check(JobDefinition d, String prefix) {
        if (configs.isEmpty()) {
            return Optional.of(
                    new Violation(
                            prefix + "metadata.provider",
                            "this server has no provider configured: start it with at least one provider"));
        }
        Optional<Object> asked = d.metadata().map(m -> m.get(METADATA_KEY));
        if (asked.isPresent() && !(asked.get() instanceof String s && configs.containsKey(s))) {
            return Optional.of(
                    new Violation(
                            prefix + "metadata.provider",
                            "\""
                                    + asked.get()
                                    + "\" is not a provider of this server: use one of "
                                    + String.join(", ", configs.keySet())));
        }
        return Optional.empty();
    }

    ProviderChoice choose(JobDefinition d) {
        String id =
                d.metadata()
                        .map(m -> m.get(METADATA_KEY))
                        .filter(String.class::isInstance)
                        .map(String.class::cast)
                        .orElse(configs.keySet().iterator().next());
        return new ProviderChoice(id, configs.get(id));
    }
}
