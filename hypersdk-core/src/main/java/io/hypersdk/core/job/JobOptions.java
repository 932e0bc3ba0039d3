package io.hypersdk.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Optional;

/**
 * The {@code options} of a job definition. Every field is optional; an absent field means "use the
 * default", and an explicit {@code false} or {@code 0} is kept as such (and written back). Ranges
 * are checked by {@link JobDefinition#validate()}, which also maps these options onto {@link
 * io.hypersdk.core.settings.PipelineSettings} ({@link
 * #applyTo(io.hypersdk.core.settings.PipelineSettings)}).
 *
 * @param parallelDownloads {@code parallel_downloads}: parallel disk downloads, 1-16
 * @param removeCdrom {@code remove_cdrom}: remove CD-ROM devices from the export (never from the
 *     source VM)
 * @param showIndividualProgress {@code show_individual_progress}: report progress per file
 * @param enablePipeline {@code enable_pipeline}: convert with hyper2kvm after the export
 * @param hyper2kvmPath {@code hyper2kvm_path}: hyper2kvm executable
 * @param pipelineInspect {@code pipeline_inspect}: run the inspect stage
 * @param pipelineFix {@code pipeline_fix}: run the fix stage
 * @param pipelineConvert {@code pipeline_convert}: run the convert stage
 * @param pipelineValidate {@code pipeline_validate}: run the validate stage
 * @param pipelineCompress {@code pipeline_compress}: compress the qcow2 output
 * @param compressLevel {@code compress_level}: compression level, 1-9
 * @param libvirtIntegration {@code libvirt_integration}: define a libvirt domain after conversion
 * @param libvirtUri {@code libvirt_uri}: libvirt connection URI
 * @param libvirtAutostart {@code libvirt_autostart}: mark the domain autostart
 * @param libvirtBridge {@code libvirt_bridge}: host bridge for the NIC
 * @param libvirtPool {@code libvirt_pool}: storage pool
 * @param hyper2kvmDaemon {@code hyper2kvm_daemon}: hand off to the systemd-managed daemon
 * @param hyper2kvmInstance {@code hyper2kvm_instance}: daemon instance name
 * @param hyper2kvmWatchDir {@code hyper2kvm_watch_dir}: daemon spool directory
 * @param hyper2kvmOutputDir {@code hyper2kvm_output_dir}: daemon output directory
 * @param hyper2kvmPollInterval {@code hyper2kvm_poll_interval}: poll interval in seconds, 1-60
 * @param hyper2kvmDaemonTimeout {@code hyper2kvm_daemon_timeout}: daemon timeout in minutes, 1-240
 * @param hyper2kvmQueueLayout {@code hyper2kvm_queue_layout}: spool layout: workflow, flat or
 *     disk-watch (hypersdk-java addition)
 * @param hyper2kvmRequireDaemon {@code hyper2kvm_require_daemon}: fail instead of falling back to
 *     direct mode (hypersdk-java addition)
 * @param converter {@code converter}: hyper2kvm or qemu-img (hypersdk-java addition)
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({
    "parallel_downloads",
    "remove_cdrom",
    "show_individual_progress",
    "enable_pipeline",
    "hyper2kvm_path",
    "pipeline_inspect",
    "pipeline_fix",
    "pipeline_convert",
    "pipeline_validate",
    "pipeline_compress",
    "compress_level",
    "libvirt_integration",
    "libvirt_uri",
    "libvirt_autostart",
    "libvirt_bridge",
    "libvirt_pool",
    "hyper2kvm_daemon",
    "hyper2kvm_instance",
    "hyper2kvm_watch_dir",
    "hyper2kvm_output_dir",
    "hyper2kvm_poll_interval",
    "hyper2kvm_daemon_timeout",
    "hyper2kvm_queue_layout",
    "hyper2kvm_require_daemon",
    "converter"
})
public record JobOptions(
        @JsonProperty("parallel_downloads") Optional<Integer> parallelDownloads,
        @JsonProperty("remove_cdrom") Optional<Boolean> removeCdrom,
        @JsonProperty("show_individual_progress") Optional<Boolean> showIndividualProgress,
        @JsonProperty("enable_pipeline") Optional<Boolean> enablePipeline,
        @JsonProperty("hyper2kvm_path") Optional<String> hyper2kvmPath,
        @JsonProperty("pipeline_inspect") Optional<Boolean> pipelineInspect,
        @JsonProperty("pipeline_fix") Optional<Boolean> pipelineFix,
        @JsonProperty("pipeline_convert") Optional<Boolean> pipelineConvert,
        @JsonProperty("pipeline_validate") Optional<Boolean> pipelineValidate,
        @JsonProperty("pipeline_compress") Optional<Boolean> pipelineCompress,
        @JsonProperty("compress_level") Optional<Integer> compressLevel,
        @JsonProperty("libvirt_integration") Optional<Boolean> libvirtIntegration,
        @JsonProperty("libvirt_uri") Optional<String> libvirtUri,
        @JsonProperty("libvirt_autostart") Optional<Boolean> libvirtAutostart,
        @JsonProperty("libvirt_bridge") Optional<String> libvirtBridge,
        @JsonProperty("libvirt_pool") Optional<String> libvirtPool,
        @JsonProperty("hyper2kvm_daemon") Optional<Boolean> hyper2kvmDaemon,
        @JsonProperty("hyper2kvm_instance") Optional<String> hyper2kvmInstance,
        @JsonProperty("hyper2kvm_watch_dir") Optional<String> hyper2kvmWatchDir,
        @JsonProperty("hyper2kvm_output_dir") Optional<String> hyper2kvmOutputDir,
        @JsonProperty("hyper2kvm_poll_interval") Optional<Integer> hyper2kvmPollInterval,
        @JsonProperty("hyper2kvm_daemon_timeout") Optional<Integer> hyper2kvmDaemonTimeout,
        @JsonProperty("hyper2kvm_queue_layout") Optional<String> hyper2kvmQueueLayout,
        @JsonProperty("hyper2kvm_require_daemon") Optional<Boolean> hyper2kvmRequireDaemon,
        @JsonProperty("converter") Optional<String> converter) {

    /** Replaces nulls by empty. */
    public JobOptions {
        parallelDownloads = Jobs.opt(parallelDownloads);
        removeCdrom = Jobs.opt(removeCdrom);
        showIndividualProgress = Jobs.opt(showIndividualProgress);
        enablePipeline = Jobs.opt(enablePipeline);
        hyper2kvmPath = Jobs.opt(hyper2kvmPath);
        pipelineInspect = Jobs.opt(pipelineInspect);
        pipelineFix = Jobs.opt(pipelineFix);
        pipelineConvert = Jobs.opt(pipelineConvert);
        pipelineValidate = Jobs.opt(pipelineValidate);
        pipelineCompress = Jobs.opt(pipelineCompress);
        compressLevel = Jobs.opt(compressLevel);
        libvirtIntegration = Jobs.opt(libvirtIntegration);
        libvirtUri = Jobs.opt(libvirtUri);
        libvirtAutostart = Jobs.opt(libvirtAutostart);
        libvirtBridge = Jobs.opt(libvirtBridge);
        libvirtPool = Jobs.opt(libvirtPool);
        hyper2kvmDaemon = Jobs.opt(hyper2kvmDaemon);
        hyper2kvmInstance = Jobs.opt(hyper2kvmInstance);
        hyper2kvmWatchDir = Jobs.opt(hyper2kvmWatchDir);
        hyper2kvmOutputDir = Jobs.opt(hyper2kvmOutputDir);
        hyper2kvmPollInterval = Jobs.opt(hyper2kvmPollInterval);
        hyper2kvmDaemonTimeout = Jobs.opt(hyper2kvmDaemonTimeout);
        hyper2kvmQueueLayout = Jobs.opt(hyper2kvmQueueLayout);
        hyper2kvmRequireDaemon = Jobs.opt(hyper2kvmRequireDaemon);
        converter = Jobs.opt(converter);
    }

    /**
     * Options with nothing set.
     *
     * @return empty options
     */
    public static JobOptions empty() {
        return builder().build();
    }

    /**
     * A builder with nothing set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options.
     *
     * @return a pre-filled builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.parallelDownloads = parallelDownloads;
        b.removeCdrom = removeCdrom;
        b.showIndividualProgress = showIndividualProgress;
        b.enablePipeline = enablePipeline;
        b.hyper2kvmPath = hyper2kvmPath;
        b.pipelineInspect = pipelineInspect;
        b.pipelineFix = pipelineFix;
        b.pipelineConvert = pipelineConvert;
        b.pipelineValidate = pipelineValidate;
        b.pipelineCompress = pipelineCompress;
        b.compressLevel = compressLevel;
        b.libvirtIntegration = libvirtIntegration;
        b.libvirtUri = libvirtUri;
        b.libvirtAutostart = libvirtAutostart;
        b.libvirtBridge = libvirtBridge;
        b.libvirtPool = libvirtPool;
        b.hyper2kvmDaemon = hyper2kvmDaemon;
        b.hyper2kvmInstance = hyper2kvmInstance;
        b.hyper2kvmWatchDir = hyper2kvmWatchDir;
        b.hyper2kvmOutputDir = hyper2kvmOutputDir;
        b.hyper2kvmPollInterval = hyper2kvmPollInterval;
        b.hyper2kvmDaemonTimeout = hyper2kvmDaemonTimeout;
        b.hyper2kvmQueueLayout = hyper2kvmQueueLayout;
        b.hyper2kvmRequireDaemon = hyper2kvmRequireDaemon;
        b.converter = converter;
        return b;
    }

    /**
     * Applies the options that are set to the given settings.
     *
     * @param base the settings to start from (for example {@code PipelineSettings.defaults()})
     * @return the settings with every present option applied
     * @throws IllegalArgumentException naming the option and the allowed range when a value is out
     *     of range
     */
    public io.hypersdk.core.settings.PipelineSettings applyTo(
            io.hypersdk.core.settings.PipelineSettings base) {
        return JobSettingsMapping.apply(this, base);
    }

    /** Builds {@link JobOptions}. */
    public static final class Builder {
        private Optional<Integer> parallelDownloads = Optional.empty();
        private Optional<Boolean> removeCdrom = Optional.empty();
        private Optional<Boolean> showIndividualProgress = Optional.empty();
        private Optional<Boolean> enablePipeline = Optional.empty();
        private Optional<String> hyper2kvmPath = Optional.empty();
        private Optional<Boolean> pipelineInspect = Optional.empty();
        private Optional<Boolean> pipelineFix = Optional.empty();
        private Optional<Boolean> pipelineConvert = Optional.empty();
        private Optional<Boolean> pipelineValidate = Optional.empty();
        private Optional<Boolean> pipelineCompress = Optional.empty();
        private Optional<Integer> compressLevel = Optional.empty();
        private Optional<Boolean> libvirtIntegration = Optional.empty();
        private Optional<String> libvirtUri = Optional.empty();
        private Optional<Boolean> libvirtAutostart = Optional.empty();
        private Optional<String> libvirtBridge = Optional.empty();
        private Optional<String> libvirtPool = Optional.empty();
        private Optional<Boolean> hyper2kvmDaemon = Optional.empty();
        private Optional<String> hyper2kvmInstance = Optional.empty();
        private Optional<String> hyper2kvmWatchDir = Optional.empty();
        private Optional<String> hyper2kvmOutputDir = Optional.empty();
        private Optional<Integer> hyper2kvmPollInterval = Optional.empty();
        private Optional<Integer> hyper2kvmDaemonTimeout = Optional.empty();
        private Optional<String> hyper2kvmQueueLayout = Optional.empty();
        private Optional<Boolean> hyper2kvmRequireDaemon = Optional.empty();
        private Optional<String> converter = Optional.empty();

        private Builder() {}

        /**
         * Sets {@code parallel_downloads}.
         *
         * @param v {@code parallel_downloads}
         * @return this builder
         */
        public Builder parallelDownloads(int v) {
            this.parallelDownloads = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code remove_cdrom}.
         *
         * @param v {@code remove_cdrom}
         * @return this builder
         */
        public Builder removeCdrom(boolean v) {
            this.removeCdrom = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code show_individual_progress}.
         *
         * @param v {@code show_individual_progress}
         * @return this builder
         */
        public Builder showIndividualProgress(boolean v) {
            this.showIndividualProgress = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code enable_pipeline}.
         *
         * @param v {@code enable_pipeline}
         * @return this builder
         */
        public Builder enablePipeline(boolean v) {
            this.enablePipeline = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code hyper2kvm_path}.
         *
         * @param v {@code hyper2kvm_path}
         * @return this builder
         */
        public Builder hyper2kvmPath(String v) {
            this.hyper2kvmPath = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code pipeline_inspect}.
         *
         * @param v {@code pipeline_inspect}
         * @return this builder
         */
        public Builder pipelineInspect(boolean v) {
            this.pipelineInspect = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code pipeline_fix}.
         *
         * @param v {@code pipeline_fix}
         * @return this builder
         */
        public Builder pipelineFix(boolean v) {
            this.pipelineFix = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code pipeline_convert}.
         *
         * @param v {@code pipeline_convert}
         * @return this builder
         */
        public Builder pipelineConvert(boolean v) {
            this.pipelineConvert = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code pipeline_validate}.
         *
         * @param v {@code pipeline_validate}
         * @return this builder
         */
        public Builder pipelineValidate(boolean v) {
            this.pipelineValidate = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code pipeline_compress}.
         *
         * @param v {@code pipeline_compress}
         * @return this builder
         */
        public Builder pipelineCompress(boolean v) {
            this.pipelineCompress = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code compress_level}.
         *
         * @param v {@code compress_level}
         * @return this builder
         */
        public Builder compressLevel(int v) {
            this.compressLevel = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code libvirt_integration}.
         *
         * @param v {@code libvirt_integration}
         * @return this builder
         */
        public Builder libvirtIntegration(boolean v) {
            this.libvirtIntegration = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code libvirt_uri}.
         *
         * @param v {@code libvirt_uri}
         * @return this builder
         */
        public Builder libvirtUri(String v) {
            this.libvirtUri = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code libvirt_autostart}.
         *
         * @param v {@code libvirt_autostart}
         * @return this builder
         */
        public Builder libvirtAutostart(boolean v) {
            this.libvirtAutostart = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code libvirt_bridge}.
         *
         * @param v {@code libvirt_bridge}
         * @return this builder
         */
        public Builder libvirtBridge(String v) {
            this.libvirtBridge = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code libvirt_pool}.
         *
         * @param v {@code libvirt_pool}
         * @return this builder
         */
        public Builder libvirtPool(String v) {
            this.libvirtPool = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code hyper2kvm_daemon}.
         *
         * @param v {@code hyper2kvm_daemon}
         * @return this builder
         */
        public Builder hyper2kvmDaemon(boolean v) {
            this.hyper2kvmDaemon = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code hyper2kvm_instance}.
         *
         * @param v {@code hyper2kvm_instance}
         * @return this builder
         */
        public Builder hyper2kvmInstance(String v) {
            this.hyper2kvmInstance = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code hyper2kvm_watch_dir}.
         *
         * @param v {@code hyper2kvm_watch_dir}
         * @return this builder
         */
        public Builder hyper2kvmWatchDir(String v) {
            this.hyper2kvmWatchDir = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code hyper2kvm_output_dir}.
         *
         * @param v {@code hyper2kvm_output_dir}
         * @return this builder
         */
        public Builder hyper2kvmOutputDir(String v) {
            this.hyper2kvmOutputDir = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code hyper2kvm_poll_interval}.
         *
         * @param v {@code hyper2kvm_poll_interval}
         * @return this builder
         */
        public Builder hyper2kvmPollInterval(int v) {
            this.hyper2kvmPollInterval = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code hyper2kvm_daemon_timeout}.
         *
         * @param v {@code hyper2kvm_daemon_timeout}
         * @return this builder
         */
        public Builder hyper2kvmDaemonTimeout(int v) {
            this.hyper2kvmDaemonTimeout = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code hyper2kvm_queue_layout}.
         *
         * @param v {@code hyper2kvm_queue_layout}
         * @return this builder
         */
        public Builder hyper2kvmQueueLayout(String v) {
            this.hyper2kvmQueueLayout = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code hyper2kvm_require_daemon}.
         *
         * @param v {@code hyper2kvm_require_daemon}
         * @return this builder
         */
        public Builder hyper2kvmRequireDaemon(boolean v) {
            this.hyper2kvmRequireDaemon = Optional.of(v);
            return this;
        }

        /**
         * Sets {@code converter}.
         *
         * @param v {@code converter}
         * @return this builder
         */
        public Builder converter(String v) {
            this.converter = Optional.of(v);
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public JobOptions build() {
            return new JobOptions(
                    parallelDownloads,
                    removeCdrom,
                    showIndividualProgress,
                    enablePipeline,
                    hyper2kvmPath,
                    pipelineInspect,
                    pipelineFix,
                    pipelineConvert,
                    pipelineValidate,
                    pipelineCompress,
                    compressLevel,
                    libvirtIntegration,
                    libvirtUri,
                    libvirtAutostart,
                    libvirtBridge,
                    libvirtPool,
                    hyper2kvmDaemon,
                    hyper2kvmInstance,
                    hyper2kvmWatchDir,
                    hyper2kvmOutputDir,
                    hyper2kvmPollInterval,
                    hyper2kvmDaemonTimeout,
                    hyper2kvmQueueLayout,
                    hyper2kvmRequireDaemon,
                    converter);
        }
    }
}
