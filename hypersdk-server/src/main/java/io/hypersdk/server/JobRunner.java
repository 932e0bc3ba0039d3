package io.hypersdk.server;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.JobId;
import io.hypersdk.core.job.JobDefinition;
import io.hypersdk.core.job.JobOptions;
import io.hypersdk.core.job.JobProgress;
import io.hypersdk.core.job.JobResult;
import io.hypersdk.core.manifest.ManifestOptions;
import io.hypersdk.core.manifest.OutputSpec;
import io.hypersdk.core.manifest.PipelineStages;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.pipeline.ConversionOutcome;
import io.hypersdk.pipeline.PipelineExecutor;
import io.hypersdk.pipeline.PipelineResult;
import io.hypersdk.provider.spi.ExportFormat;
import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ExportProviders;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.ManifestTemplate;
import io.hypersdk.provider.spi.ProviderSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs one job definition the way {@code hyperexport} does: the provider exports the VM and writes
 * the Artifact Manifest, then, when {@code options.enable_pipeline} is on, the {@link
 * PipelineExecutor} converts it (directly or through the daemon) and defines the libvirt domain.
 * The result carries the pipeline's outcome, mode and reason.
 */
final class JobRunner {
    private final ProviderRegistry providers;
    private final PipelineExecutor executor;
    private final Path exportRoot;

    JobRunner(ProviderRegistry providers, PipelineExecutor executor, Path exportRoot) {
        this.providers = providers;
        this.executor = executor;
        this.exportRoot = exportRoot;
    }

    /**
     * The directory a job exports into: its {@code output_dir}, resolved against the export root.
     */
    Path outputDirectory(String jobId, JobDefinition d) {
        return d.outputDir()
                .filter(s -> !s.isBlank())
                .map(s -> exportRoot.resolve(s))
                .orElse(exportRoot.resolve(jobId))
                .toAbsolutePath()
                .normalize();
    }

    /**
     * Runs the job.
     *
     * @param jobId the job's id
     * @param d the definition, valid
     * @param progress receives progress snapshots
     * @param events receives the stream's events
     * @param cancellation cancels the export or conversion
     * @return the result; {@code success} false with {@code error} on any failure
     * @throws CancelledException when cancelled during the export
     */
    JobResult run(
            String jobId,
            JobDefinition d,
            Consumer<JobProgress> progress,
            Consumer<JobEvent> events,
            Cancellation cancellation) {
        long t0 = System.nanoTime();
        JobOptions options = d.options().orElse(JobOptions.empty());
        PipelineSettings settings = options.applyTo(PipelineSettings.defaults());
        boolean pipeline = settings.enabled();
        Path dir = outputDirectory(jobId, d);
        ProviderChoice choice = providers.choose(d);
        ExportProvider provider = ExportProviders.require(choice.id());
        ProgressListener listener = new Forwarder(progress, events);
        events.accept(stage("connect", provider.description()));
        ExportResult export;
        try (ProviderSession session = provider.connect(choice.config())) {
            ExportRequest request =
                    ExportRequest.builder(d.vmPath(), dir)
                            .format(
                                    "ova".equals(d.format().orElse("ovf"))
                                            ? ExportFormat.OVA
                                            : ExportFormat.OVF)
                            .parallel(
                                    options.parallelDownloads()
                                            .orElse(ExportRequest.DEFAULT_PARALLEL))
                            .removeCdrom(options.removeCdrom().orElse(false))
                            .jobId(JobId.parse(jobId))
                            .manifest(template(dir, settings))
                            .build();
            export = session.export(request, listener, cancellation);
        }
        List<String> files = export.files().stream().map(Path::toString).toList();
        String vmName = export.manifest().source().flatMap(s -> s.vmName()).orElse(d.vmPath());
        if (!pipeline) {
            return new JobResult(
                    vmName,
                    dir.toString(),
                    ovf(export),
                    files,
                    export.totalBytes(),
                    Duration.ofNanos(System.nanoTime() - t0),
                    true,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty());
        }
        PipelineResult pr =
                executor.execute(
                        export.manifest(), export.manifestPath(), settings, listener, cancellation);
        String mode = pr.mode().name().toLowerCase(Locale.ROOT).replace('_', '-');
        events.accept(new JobEvent("mode", Map.of("mode", mode, "reason", pr.modeReason())));
        Optional<String> error = message(pr.outcome());
        return new JobResult(
                vmName,
                dir.toString(),
                ovf(export),
                files,
                export.totalBytes(),
                Duration.ofNanos(System.nanoTime() - t0),
                pr.succeeded(),
                error,
                Optional.of(mode),
                Optional.of(pr.modeReason()),
                pr.outputImages().stream().map(Path::toString).toList(),
                pr.libvirtDomain());
    }

    /** Whether a pipeline outcome means the job was cancelled. */
    static boolean cancelled(JobResult r) {
        return r.error().filter(e -> e.startsWith("conversion cancelled")).isPresent();
    }

    private static Optional<String> ovf(ExportResult export) {
        return export.files().stream()
                .map(Path::toString)
                .filter(f -> f.endsWith(".ovf") || f.endsWith(".ova"))
                .findFirst();
    }

    private static ManifestTemplate template(Path dir, PipelineSettings settings) {
        ManifestTemplate.Builder t =
                ManifestTemplate.builder()
                        .output(OutputSpec.of(dir, settings.targetFormat().id()))
                        .tag("exported_by", "hypersdk-server");
        if (settings.enabled()) {
            t.pipeline(
                    PipelineStages.of(
                            settings.inspect(),
                            settings.fix(),
                            settings.convert(),
                            settings.validate(),
                            settings.compress(),
                            settings.compressLevel()));
            t.options(
                    new ManifestOptions(settings.dryRun(), 1, ManifestOptions.defaults().report()));
        }
        return t.build();
    }

    static Optional<String> message(ConversionOutcome outcome) {
        if (outcome instanceof ConversionOutcome.Failed f) {
            return Optional.of(f.message());
        }
        if (outcome instanceof ConversionOutcome.TimedOut t) {
            return Optional.of(
                    "conversion timed out after "
                            + t.after().toSeconds()
                            + " s"
                            + (t.claimed()
                                    ? " (the daemon had claimed the job; it may still finish)"
                                    : " (the submission was withdrawn)"));
        }
        if (outcome instanceof ConversionOutcome.Cancelled c) {
            return Optional.of(
                    "conversion cancelled"
                            + (c.claimed()
                                    ? " (the daemon had already claimed the job)"
                                    : " (the submission was withdrawn)"));
        }
        return Optional.empty();
    }

    static JobEvent stage(String stage, String detail) {
        return new JobEvent("stage", Map.of("stage", stage, "detail", detail));
    }

    /** SDK progress events to job progress snapshots and stream events. */
    private static final class Forwarder implements ProgressListener {
        private final Consumer<JobProgress> progress;
        private final Consumer<JobEvent> events;
        private volatile String phase = "export";

        Forwarder(Consumer<JobProgress> progress, Consumer<JobEvent> events) {
            this.progress = progress;
            this.events = events;
        }

        @Override
        public void onEvent(ProgressEvent event) {
            if (event instanceof TransferProgress t) {
                long total = Math.max(t.bytesTotal(), 0);
                double pct = t.fraction().map(f -> f * 100).orElse(0.0);
                progress.accept(
                        new JobProgress(
                                Optional.of(phase),
                                Optional.of(t.item()),
                                0,
                                0,
                                t.bytesDone(),
                                total,
                                pct));
            } else if (event instanceof PhaseChanged p) {
                phase = p.phase().name().toLowerCase(Locale.ROOT);
                events.accept(stage(phase, p.detail()));
            } else if (event instanceof Notice n) {
                events.accept(
                        new JobEvent(
                                "notice",
                                Map.of(
                                        "level",
                                        n.level().name().toLowerCase(Locale.ROOT),
                                        "message",
                                        n.message())));
            }
        }
    }
}
