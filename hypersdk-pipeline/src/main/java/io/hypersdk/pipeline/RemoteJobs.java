package io.hypersdk.pipeline;

import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.pipeline.daemon.DaemonSpool;
import io.hypersdk.pipeline.daemon.SpoolJob;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Remote submission's job ids: one export (VM name + export directory) has a stable id ({@link
 * JobId#forExport}), so a resubmission finds its job in the spool. A failed try does not block a
 * new one: tries are {@code <id>}, {@code <id>-r2}, ...; the first that is queued, running or
 * converted is waited for, else the first unused id is submitted.
 */
final class RemoteJobs {
    private static final int MAX_TRIES = 999;

    /** The id to use, and where that job already is (empty: not in the spool, submit it). */
    record Found(JobId jobId, Optional<SpoolJob.State> state) {}

    private RemoteJobs() {}

    static JobId baseId(ArtifactManifest manifest, Path manifestPath) {
        String vm = manifest.source().flatMap(ManifestSource::vmName).orElse("");
        return JobId.forExport(vm, manifestPath.toAbsolutePath().normalize().getParent());
    }

    static Found find(DaemonSpool spool, JobId base) {
        for (int n = 1; n <= MAX_TRIES; n++) {
            JobId id = base.attempt(n);
            SpoolJob job = spool.find(id);
            switch (job.state()) {
                case UNKNOWN -> {
                    return new Found(id, Optional.empty());
                }
                case FAILED -> {
                    // a failed try: the next one gets a new id
                }
                default -> {
                    return new Found(id, Optional.of(job.state()));
                }
            }
        }
        throw new PreflightException(
                "export job "
                        + base
                        + " failed "
                        + MAX_TRIES
                        + " times in "
                        + spool.watchDir()
                        + ": clear its failed/ records or export into a new directory");
    }
}
