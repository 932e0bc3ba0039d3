package io.hypersdk.provider.spi;

import io.hypersdk.core.manifest.ManifestOptions;
import io.hypersdk.core.manifest.OutputSpec;
import io.hypersdk.core.manifest.PipelineStages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of the Artifact Manifest that the caller decides, not the provider: pipeline stages,
 * output spec, converter options, guest configuration, extra tags and notes. A provider copies them
 * into the manifest it writes, next to what it found (source, vm, disks, nics).
 *
 * @param pipeline the {@code pipeline} object, when the pipeline is to run
 * @param output the {@code output} object
 * @param options the {@code options} object
 * @param configuration the free-form {@code configuration} object
 * @param tags extra {@code metadata.tags} (the provider adds its own)
 * @param notes extra {@code notes}
 */
public record ManifestTemplate(
        Optional<PipelineStages> pipeline,
        Optional<OutputSpec> output,
        Optional<ManifestOptions> options,
        Optional<Map<String, Object>> configuration,
        Map<String, String> tags,
        List<String> notes) {

    public ManifestTemplate {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(options, "options");
        configuration =
                configuration.map(
                        c -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(c)));
        tags = Map.copyOf(tags);
        notes = List.copyOf(notes);
    }

    /** Nothing beyond what the provider writes. */
    public static ManifestTemplate empty() {
        return new ManifestTemplate(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ManifestTemplate}. */
    public static final class Builder {
        private Optional<PipelineStages> pipeline = Optional.empty();
        private Optional<OutputSpec> output = Optional.empty();
        private Optional<ManifestOptions> options = Optional.empty();
        private Optional<Map<String, Object>> configuration = Optional.empty();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        private Builder() {}

        public Builder pipeline(PipelineStages v) {
            this.pipeline = Optional.of(v);
            return this;
        }

        public Builder output(OutputSpec v) {
            this.output = Optional.of(v);
            return this;
        }

        public Builder options(ManifestOptions v) {
            this.options = Optional.of(v);
            return this;
        }

        public Builder configuration(Map<String, Object> v) {
            this.configuration = Optional.of(v);
            return this;
        }

        public Builder tag(String key, String value) {
            this.tags.put(key, value);
            return this;
        }

        public Builder note(String v) {
            this.notes.add(v);
            return this;
        }

        public ManifestTemplate build() {
            return new ManifestTemplate(pipeline, output, options, configuration, tags, notes);
        }
    }
}
