package io.hypersdk.core.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything that controls the conversion after an export.
 *
 * @param enabled run the conversion at all (default false)
 * @param converter hyper2kvm (default) or qemu-img
 * @param hyper2kvmPath explicit hyper2kvm executable (empty: search {@code PATH})
 * @param timeout limit for a direct-mode run (default 30 min; the daemon wait has its own {@link
 *     Hyper2KvmSettings#daemonTimeout()})
 * @param dryRun plan only ({@code --dry-run}, manifest {@code options.dry_run})
 * @param inspect run the inspect stage (default true)
 * @param fix run the fix stage (default true)
 * @param convert run the convert stage (default true)
 * @param validate run the validate stage (default true)
 * @param compress compress qcow2 output (default true)
 * @param compressLevel compression level 1-9 (empty: the converter's default)
 * @param targetFormat output image format (default qcow2)
 * @param hyper2kvm daemon hand-off settings
 * @param libvirt libvirt definition settings
 */
public record PipelineSettings(
        boolean enabled,
        Converter converter,
        Optional<Path> hyper2kvmPath,
        Duration timeout,
        boolean dryRun,
        boolean inspect,
        boolean fix,
        boolean convert,
        boolean validate,
        boolean compress,
        OptionalInt compressLevel,
        TargetFormat targetFormat,
        Hyper2KvmSettings hyper2kvm,
        LibvirtSettings libvirt) {

    /** Default direct-mode timeout: 30 min. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    /**
     * Validates.
     *
     * @throws InvalidSettingException naming the option and the allowed range
     */
    public PipelineSettings {
        Objects.requireNonNull(converter, "converter");
        Objects.requireNonNull(hyper2kvmPath, "hyper2kvmPath");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(compressLevel, "compressLevel");
        Objects.requireNonNull(targetFormat, "targetFormat");
        Objects.requireNonNull(hyper2kvm, "hyper2kvm");
        Objects.requireNonNull(libvirt, "libvirt");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidSettingException(
                    Setting.PIPELINE_TIMEOUT,
                    timeout.toString(),
                    "a positive duration",
                    SettingText.of(Setting.PIPELINE_TIMEOUT)
                            .text(" must be positive (got: " + timeout + ")"));
        }
        if (compressLevel.isPresent()
                && (compressLevel.getAsInt() < 1 || compressLevel.getAsInt() > 9)) {
            throw new InvalidSettingException(
                    Setting.COMPRESS_LEVEL,
                    String.valueOf(compressLevel.getAsInt()),
                    "1-9",
                    SettingText.of(Setting.COMPRESS_LEVEL)
                            .text(
                                    " must be between 1 and 9 (got: "
                                            + compressLevel.getAsInt()
                                            + ")"));
        }
    }

    /**
     * Defaults: disabled, hyper2kvm, 30 min, all four stages, compressed qcow2, daemon and libvirt
     * defaults.
     *
     * @return the defaults
     */
    public static PipelineSettings defaults() {
        return new PipelineSettings(
                false,
                Converter.HYPER2KVM,
                Optional.empty(),
                DEFAULT_TIMEOUT,
                false,
                true,
                true,
                true,
                true,
                true,
                OptionalInt.empty(),
                TargetFormat.QCOW2,
                Hyper2KvmSettings.defaults(),
                LibvirtSettings.defaults());
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /**
     * A builder holding these settings.
     *
     * @return a pre-filled builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.converter = converter;
        b.hyper2kvmPath = hyper2kvmPath;
        b.timeout = timeout;
        b.dryRun = dryRun;
        b.inspect = inspect;
        b.fix = fix;
        b.convert = convert;
        b.validate = validate;
        b.compress = compress;
        b.compressLevel = compressLevel;
        b.targetFormat = targetFormat;
        b.hyper2kvm = hyper2kvm;
        b.libvirt = libvirt;
        return b;
    }

    /** Builds {@link PipelineSettings}. */
    public static final class Builder {
        private boolean enabled;
        private Converter converter;
        private Optional<Path> hyper2kvmPath;
        private Duration timeout;
        private boolean dryRun;
        private boolean inspect;
        private boolean fix;
        private boolean convert;
        private boolean validate;
        private boolean compress;
        private OptionalInt compressLevel;
        private TargetFormat targetFormat;
        private Hyper2KvmSettings hyper2kvm;
        private LibvirtSettings libvirt;

        private Builder() {}

        /**
         * Sets run the conversion.
         *
         * @param v run the conversion
         * @return this builder
         */
        public Builder enabled(boolean v) {
            this.enabled = v;
            return this;
        }

        /**
         * Sets converter.
         *
         * @param v converter
         * @return this builder
         */
        public Builder converter(Converter v) {
            this.converter = v;
            return this;
        }

        /**
         * Sets hyper2kvm executable.
         *
         * @param v hyper2kvm executable
         * @return this builder
         */
        public Builder hyper2kvmPath(Path v) {
            this.hyper2kvmPath = Optional.of(v);
            return this;
        }

        /**
         * Sets hyper2kvm executable or empty.
         *
         * @param v hyper2kvm executable or empty
         * @return this builder
         */
        public Builder hyper2kvmPath(Optional<Path> v) {
            this.hyper2kvmPath = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Sets direct-mode timeout.
         *
         * @param v direct-mode timeout
         * @return this builder
         */
        public Builder timeout(Duration v) {
            this.timeout = v;
            return this;
        }

        /**
         * Sets dry run.
         *
         * @param v dry run
         * @return this builder
         */
        public Builder dryRun(boolean v) {
            this.dryRun = v;
            return this;
        }

        /**
         * Sets inspect stage.
         *
         * @param v inspect stage
         * @return this builder
         */
        public Builder inspect(boolean v) {
            this.inspect = v;
            return this;
        }

        /**
         * Sets fix stage.
         *
         * @param v fix stage
         * @return this builder
         */
        public Builder fix(boolean v) {
            this.fix = v;
            return this;
        }

        /**
         * Sets convert stage.
         *
         * @param v convert stage
         * @return this builder
         */
        public Builder convert(boolean v) {
            this.convert = v;
            return this;
        }

        /**
         * Sets validate stage.
         *
         * @param v validate stage
         * @return this builder
         */
        public Builder validate(boolean v) {
            this.validate = v;
            return this;
        }

        /**
         * Sets compress output.
         *
         * @param v compress output
         * @return this builder
         */
        public Builder compress(boolean v) {
            this.compress = v;
            return this;
        }

        /**
         * Sets compression level 1-9.
         *
         * @param v compression level 1-9
         * @return this builder
         */
        public Builder compressLevel(int v) {
            this.compressLevel = OptionalInt.of(v);
            return this;
        }

        /**
         * Sets compression level or empty.
         *
         * @param v compression level or empty
         * @return this builder
         */
        public Builder compressLevel(OptionalInt v) {
            this.compressLevel = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Sets output format.
         *
         * @param v output format
         * @return this builder
         */
        public Builder targetFormat(TargetFormat v) {
            this.targetFormat = v;
            return this;
        }

        /**
         * Sets daemon settings.
         *
         * @param v daemon settings
         * @return this builder
         */
        public Builder hyper2kvm(Hyper2KvmSettings v) {
            this.hyper2kvm = v;
            return this;
        }

        /**
         * Sets libvirt settings.
         *
         * @param v libvirt settings
         * @return this builder
         */
        public Builder libvirt(LibvirtSettings v) {
            this.libvirt = v;
            return this;
        }

        /**
         * Builds and validates.
         *
         * @return the settings
         * @throws InvalidSettingException naming the option and the allowed range
         */
        public PipelineSettings build() {
            return new PipelineSettings(
                    enabled,
                    converter,
                    hyper2kvmPath,
                    timeout,
                    dryRun,
                    inspect,
                    fix,
                    convert,
                    validate,
                    compress,
                    compressLevel,
                    targetFormat,
                    hyper2kvm,
                    libvirt);
        }
    }
}
