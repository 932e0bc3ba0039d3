package io.hypersdk.provider.spi;

import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.ManifestMetadata;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to export and how. Build with {@link #builder(String, Path)}.
 *
 * @param vm a name, inventory path or id (for the local provider: the path of the {@code .ova},
 *     {@code .ovf} or {@code .vmx} file, or of a VMX directory)
 * @param outputDirectory where the disks and {@code artifact-manifest.json} go (created if missing)
 * @param format OVF (default) or OVA
 * @param parallel disks transferred at once, 1-16 (default 3)
 * @param checksums compute SHA-256 of every disk and write it to the manifest
 * @param removeCdrom leave CD-ROM devices out of the export; never modifies the source VM (default
 *     false)
 * @param powerOff power the VM off before exporting (default false)
 * @param jobId written to the manifest's {@code metadata.job_id}
 * @param manifest caller-decided manifest parts (pipeline stages, output, options ...)
 * @param previousFiles files a previous export of the same VM left in {@link #outputDirectory}, by
 *     file name, that the provider may keep instead of fetching them again (see {@link
 *     PreviousFile#keep}); empty for a fresh export
 * @param connectionsPerFile connections each remote disk is fetched over, 1-16; empty (the default)
 *     lets the download engine choose (one, more when one connection is slow: the transfer module's
 *     adaptive default)
 * @param leaveDisksInArchive the caller reads disks in place ({@link ExportResult#inArchive()}): a
 *     provider may leave an uncompressed disk inside its source archive instead of copying it, and
 *     lists each such disk in the result, whose manifest then names the archive as the disk's
 *     {@code local_path}; providers that cannot ignore it (default false: every disk is copied)
 */
public record ExportRequest(
        String vm,
        Path outputDirectory,
        ExportFormat format,
        int parallel,
        boolean checksums,
        boolean removeCdrom,
        boolean powerOff,
        Optional<JobId> jobId,
        ManifestTemplate manifest,
        Map<String, PreviousFile> previousFiles,
        OptionalInt connectionsPerFile,
        boolean leaveDisksInArchive) {

    /** Default number of disks transferred at once. */
    public static final int DEFAULT_PARALLEL = 3;

    /** Largest allowed {@link #parallel()}. */
    public static final int MAX_PARALLEL = 16;

    public ExportRequest {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(outputDirectory, "outputDirectory");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(manifest, "manifest");
        previousFiles = Map.copyOf(Objects.requireNonNull(previousFiles, "previousFiles"));
        if (vm.isBlank()) {
            throw new IllegalArgumentException(
                    "the VM to export is empty: give a VM name, path or id");
        }
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw new IllegalArgumentException(
                    "parallel must be between 1 and " + MAX_PARALLEL + " (got " + parallel + ")");
        }
        Objects.requireNonNull(connectionsPerFile, "connectionsPerFile");
        if (connectionsPerFile.isPresent()
                && (connectionsPerFile.getAsInt() < 1 || connectionsPerFile.getAsInt() > 16)) {
            throw new IllegalArgumentException(
                    "connectionsPerFile must be between 1 and 16 (got "
                            + connectionsPerFile.getAsInt()
                            + "); leave it unset for the engine's own choice");
        }
    }

    /**
     * Completes a provider's manifest with what the caller asked for: the job id and the caller's
     * tags go onto {@code metadata} (a caller's tag replaces a provider's tag of the same key),
     * then the template's notes, pipeline stages, output, options and configuration are copied.
     * Every provider calls this, so the caller's template reaches each manifest the same way.
     *
     * @param manifest the provider's manifest so far, never null
     * @param metadata the provider's metadata with its own tags, never null
     * @return {@code manifest}, for chaining
     */
    public ArtifactManifest.Builder completeManifest(
            ArtifactManifest.Builder manifest, ManifestMetadata metadata) {
        Objects.requireNonNull(manifest, "manifest");
        ManifestMetadata meta = Objects.requireNonNull(metadata, "metadata");
        if (jobId.isPresent()) {
            meta = meta.withJobId(jobId.get().toString());
        }
        for (Map.Entry<String, String> t : this.manifest.tags().entrySet()) {
            meta = meta.withTag(t.getKey(), t.getValue());
        }
        manifest.metadata(meta);
        this.manifest.notes().forEach(manifest::addNote);
        this.manifest.pipeline().ifPresent(manifest::pipeline);
        this.manifest.output().ifPresent(manifest::output);
        this.manifest.options().ifPresent(manifest::options);
        this.manifest.configuration().ifPresent(manifest::configuration);
        return manifest;
    }

    /** A builder with the defaults above. */
    public static Builder builder(String vm, Path outputDirectory) {
        return new Builder(vm, outputDirectory);
    }

    /** A builder starting from this request. */
    public Builder toBuilder() {
        return new Builder(vm, outputDirectory)
                .format(format)
                .parallel(parallel)
                .checksums(checksums)
                .removeCdrom(removeCdrom)
                .powerOff(powerOff)
                .manifest(manifest)
                .jobId(jobId.orElse(null))
                .previousFiles(previousFiles)
                .connectionsPerFile(connectionsPerFile)
                .leaveDisksInArchive(leaveDisksInArchive);
    }

    /** Builds an {@link ExportRequest}. */
    public static final class Builder {
        private final String vm;
        private final Path outputDirectory;
        private ExportFormat format = ExportFormat.OVF;
        private int parallel = DEFAULT_PARALLEL;
        private boolean checksums;
        private boolean removeCdrom;
        private boolean powerOff;
        private Optional<JobId> jobId = Optional.empty();
        private ManifestTemplate manifest = ManifestTemplate.empty();
        private Map<String, PreviousFile> previousFiles = Map.of();
        private OptionalInt connectionsPerFile = OptionalInt.empty();
        private boolean leaveDisksInArchive;

        private Builder(String vm, Path outputDirectory) {
            this.vm = vm;
            this.outputDirectory = outputDirectory;
        }

        public Builder format(ExportFormat v) {
            this.format = v;
            return this;
        }

        public Builder parallel(int v) {
            this.parallel = v;
            return this;
        }

        public Builder checksums(boolean v) {
            this.checksums = v;
            return this;
        }

        public Builder removeCdrom(boolean v) {
            this.removeCdrom = v;
            return this;
        }

        public Builder powerOff(boolean v) {
            this.powerOff = v;
            return this;
        }

        /** Sets the job id; null clears it. */
        public Builder jobId(JobId v) {
            this.jobId = Optional.ofNullable(v);
            return this;
        }

        public Builder manifest(ManifestTemplate v) {
            this.manifest = v;
            return this;
        }

        /** Files of a previous export the provider may keep; see {@link PreviousFile#of}. */
        public Builder previousFiles(Map<String, PreviousFile> v) {
            this.previousFiles = Objects.requireNonNull(v, "previousFiles");
            return this;
        }

        /** Connections per remote disk, 1-16; empty: the download engine chooses. */
        public Builder connectionsPerFile(OptionalInt v) {
            this.connectionsPerFile = Objects.requireNonNull(v, "connectionsPerFile");
            return this;
        }

        /** See {@link ExportRequest#leaveDisksInArchive()}. */
        public Builder leaveDisksInArchive(boolean v) {
            this.leaveDisksInArchive = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming a bad value
         */
        public ExportRequest build() {
            return new ExportRequest(
                    vm,
                    outputDirectory,
                    format,
                    parallel,
                    checksums,
                    removeCdrom,
                    powerOff,
                    jobId,
                    manifest,
                    previousFiles,
                    connectionsPerFile,
                    leaveDisksInArchive);
        }
    }
}
