package io.hypersdk.pipeline;

import io.hypersdk.core.JobId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link PipelineExecutor#execute} did.
 *
 * @param mode the mode that actually ran
 * @param modeReason why that mode ran, in one line; when daemon mode was asked for but the unit was
 *     not active this says so ("daemon mode requested but hyper2kvm.service is inactive (dead);
 *     fell back to direct mode")
 * @param jobId the job id (daemon mode: the id of the spool submission and of the manifest's {@code
 *     metadata.job_id})
 * @param outputImages the images written, boot disk first, then in {@code boot_order_hint} order;
 *     empty unless the outcome is {@link ConversionOutcome.Converted} (or a libvirt failure after a
 *     successful conversion)
 * @param libvirtDomain the libvirt domain defined, when libvirt integration was on and succeeded
 * @param duration wall time of the whole call
 * @param outcome the typed outcome
 */
public record PipelineResult(
        ConversionMode mode,
        String modeReason,
        JobId jobId,
        List<Path> outputImages,
        Optional<String> libvirtDomain,
        Duration duration,
        ConversionOutcome outcome) {

    /** Checks for nulls and copies the list. */
    public PipelineResult {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(modeReason, "modeReason");
        Objects.requireNonNull(jobId, "jobId");
        outputImages = List.copyOf(outputImages);
        Objects.requireNonNull(libvirtDomain, "libvirtDomain");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * Whether the conversion succeeded.
     *
     * @return true when the outcome is {@link ConversionOutcome.Converted}
     */
    public boolean succeeded() {
        return outcome.succeeded();
    }
}
