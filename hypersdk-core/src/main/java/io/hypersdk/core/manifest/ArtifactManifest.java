package io.hypersdk.core.manifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Artifact Manifest v1.0: the hand-off document from an export to hyper2kvm.
 *
 * <p>Field for field the upstream format (JSON names in the component docs). Read and write it with
 * {@link ManifestCodec}, check it with {@link ManifestValidator}. The record holds what a document
 * says; the rules are checked by the validator (so a broken document can be reported completely),
 * and {@link ManifestCodec#write} refuses to write an invalid manifest.
 *
 * @param manifestVersion {@code manifest_version}, {@code "1.0"}
 * @param source {@code source}
 * @param vm {@code vm}
 * @param disks {@code disks}, always written
 * @param nics {@code nics}, written when not empty
 * @param warnings {@code warnings}, written when not empty
 * @param notes {@code notes}, written when not empty
 * @param metadata {@code metadata}
 * @param pipeline {@code pipeline}
 * @param configuration {@code configuration}: free-form JSON values (maps, lists, strings, numbers,
 *     booleans, null); deeply copied and unmodifiable
 * @param output {@code output}
 * @param options {@code options}
 */
public record ArtifactManifest(
        String manifestVersion,
        Optional<ManifestSource> source,
        Optional<ManifestVm> vm,
        List<DiskArtifact> disks,
        List<NicArtifact> nics,
        List<ManifestWarning> warnings,
        List<String> notes,
        Optional<ManifestMetadata> metadata,
        Optional<PipelineStages> pipeline,
        Optional<Map<String, Object>> configuration,
        Optional<OutputSpec> output,
        Optional<ManifestOptions> options) {

    /** The only supported version. */
    public static final String VERSION = "1.0";

    /** Checks for nulls and copies the collections. */
    public ArtifactManifest {
        Objects.requireNonNull(manifestVersion, "manifestVersion");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(vm, "vm");
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(configuration, "configuration");
        configuration = configuration.map(FreeForm::copy);
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(options, "options");
    }

    /**
     * The boot disk: the disk with the lowest {@code boot_order_hint} (the first such disk on a
     * tie).
     *
     * @return the boot disk
     * @throws IllegalStateException if the manifest has no disks
     */
    public DiskArtifact bootDisk() {
        return disks.stream()
                .min(Comparator.comparingInt(DiskArtifact::bootOrderHint))
                .orElseThrow(() -> new IllegalStateException("manifest has no disks"));
    }

    /**
     * A builder for a version 1.0 manifest.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this manifest's values.
     *
     * @return a pre-filled builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.manifestVersion = manifestVersion;
        b.source = source;
        b.vm = vm;
        b.disks.addAll(disks);
        b.nics.addAll(nics);
        b.warnings.addAll(warnings);
        b.notes.addAll(notes);
        b.metadata = metadata;
        b.pipeline = pipeline;
        b.configuration = configuration;
        b.output = output;
        b.options = options;
        return b;
    }

    /** Builds an {@link ArtifactManifest}. Not thread-safe. */
    public static final class Builder {
        private String manifestVersion = VERSION;
        private Optional<ManifestSource> source = Optional.empty();
        private Optional<ManifestVm> vm = Optional.empty();
        private final List<DiskArtifact> disks = new ArrayList<>();
        private final List<NicArtifact> nics = new ArrayList<>();
        private final List<ManifestWarning> warnings = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private Optional<ManifestMetadata> metadata = Optional.empty();
        private Optional<PipelineStages> pipeline = Optional.empty();
        private Optional<Map<String, Object>> configuration = Optional.empty();
        private Optional<OutputSpec> output = Optional.empty();
        private Optional<ManifestOptions> options = Optional.empty();

        private Builder() {}

        /**
         * Sets version text (only "1.0" is valid).
         *
         * @param v version text (only "1.0" is valid)
         * @return this builder
         */
        public Builder manifestVersion(String v) {
            this.manifestVersion = v;
            return this;
        }

        /**
         * Sets source.
         *
         * @param v source
         * @return this builder
         */
        public Builder source(ManifestSource v) {
            this.source = Optional.of(v);
            return this;
        }

        /**
         * Sets VM description.
         *
         * @param v VM description
         * @return this builder
         */
        public Builder vm(ManifestVm v) {
            this.vm = Optional.of(v);
            return this;
        }

        /**
         * Sets a disk to append.
         *
         * @param v a disk to append
         * @return this builder
         */
        public Builder addDisk(DiskArtifact v) {
            this.disks.add(Objects.requireNonNull(v));
            return this;
        }

        /**
         * Sets the disks, replacing any added before.
         *
         * @param v the disks, replacing any added before
         * @return this builder
         */
        public Builder disks(List<DiskArtifact> v) {
            this.disks.clear();
            this.disks.addAll(v);
            return this;
        }

        /**
         * Sets a NIC to append.
         *
         * @param v a NIC to append
         * @return this builder
         */
        public Builder addNic(NicArtifact v) {
            this.nics.add(Objects.requireNonNull(v));
            return this;
        }

        /**
         * Sets the NICs, replacing any added before.
         *
         * @param v the NICs, replacing any added before
         * @return this builder
         */
        public Builder nics(List<NicArtifact> v) {
            this.nics.clear();
            this.nics.addAll(v);
            return this;
        }

        /**
         * Sets a warning to append.
         *
         * @param v a warning to append
         * @return this builder
         */
        public Builder addWarning(ManifestWarning v) {
            this.warnings.add(Objects.requireNonNull(v));
            return this;
        }

        /**
         * Sets the warnings, replacing any added before.
         *
         * @param v the warnings, replacing any added before
         * @return this builder
         */
        public Builder warnings(List<ManifestWarning> v) {
            this.warnings.clear();
            this.warnings.addAll(v);
            return this;
        }

        /**
         * Sets a note to append.
         *
         * @param v a note to append
         * @return this builder
         */
        public Builder addNote(String v) {
            this.notes.add(Objects.requireNonNull(v));
            return this;
        }

        /**
         * Sets the notes, replacing any added before.
         *
         * @param v the notes, replacing any added before
         * @return this builder
         */
        public Builder notes(List<String> v) {
            this.notes.clear();
            this.notes.addAll(v);
            return this;
        }

        /**
         * Sets metadata.
         *
         * @param v metadata
         * @return this builder
         */
        public Builder metadata(ManifestMetadata v) {
            this.metadata = Optional.of(v);
            return this;
        }

        /**
         * Sets pipeline stages.
         *
         * @param v pipeline stages
         * @return this builder
         */
        public Builder pipeline(PipelineStages v) {
            this.pipeline = Optional.of(v);
            return this;
        }

        /**
         * Sets free-form configuration.
         *
         * @param v free-form configuration
         * @return this builder
         */
        public Builder configuration(Map<String, Object> v) {
            this.configuration = Optional.of(v);
            return this;
        }

        /**
         * Sets output spec.
         *
         * @param v output spec
         * @return this builder
         */
        public Builder output(OutputSpec v) {
            this.output = Optional.of(v);
            return this;
        }

        /**
         * Sets converter options.
         *
         * @param v converter options
         * @return this builder
         */
        public Builder options(ManifestOptions v) {
            this.options = Optional.of(v);
            return this;
        }

        /**
         * Builds the manifest without validating it (see {@link ManifestValidator}).
         *
         * @return the manifest
         */
        public ArtifactManifest build() {
            return new ArtifactManifest(
                    manifestVersion,
                    source,
                    vm,
                    disks,
                    nics,
                    warnings,
                    notes,
                    metadata,
                    pipeline,
                    configuration,
                    output,
                    options);
        }
    }
}
