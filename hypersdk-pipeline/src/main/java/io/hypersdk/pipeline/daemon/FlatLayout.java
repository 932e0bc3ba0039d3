package io.hypersdk.pipeline.daemon;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.OutputSpec;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.settings.QueueLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code flat} (the upstream product contract): {@code <watch>/<job>.manifest.json}; answer {@code
 * <output>/<vm>.qcow2} or {@code <output>/<vm>.error}. The contract names results after the VM, so:
 * the manifest's {@code output.filename} tells the daemon the exact name, a result counts only if
 * it is a different file version from the one present before submitting (stale files of earlier
 * runs are never taken), and jobs of one JVM for the same name run one at a time. No claim exists
 * in this layout beyond the daemon's {@code <vm>.qcow2.part}.
 */
final class FlatLayout extends Layout {
    private static final ConcurrentHashMap<Path, Semaphore> NAME_LOCKS = new ConcurrentHashMap<>();

    FlatLayout(Path watchDir, Path outputDir) {
        super(watchDir, outputDir);
    }

    @Override
    QueueLayout id() {
        return QueueLayout.FLAT;
    }

    @Override
    List<SpoolMonitor.Root> roots() {
        return List.of(new SpoolMonitor.Root(outputDir, 0));
    }

    @Override
    boolean convertsAllDisks() {
        return false;
    }

    static String baseName(ArtifactManifest manifest, JobId jobId) {
        String vm =
                manifest.source()
                        .flatMap(ManifestSource::vmName)
                        .filter(n -> !n.isBlank())
                        .orElse(jobId.value());
        return VmNames.forFileName(vm, VmNames.budget(".qcow2"));
    }

    @Override
    SpoolSubmission submit(
            JobId jobId,
            ArtifactManifest manifest,
            Cancellation cancellation,
            Instant now,
            long nanos)
            throws IOException {
        String base = baseName(manifest, jobId);
        Path image = outputDir.resolve(base + ".qcow2");
        Path error = outputDir.resolve(base + ".error");
        Semaphore lock =
                NAME_LOCKS.computeIfAbsent(
                        image.toAbsolutePath().normalize(), k -> new Semaphore(1));
        try {
            while (!lock.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                cancellation.throwIfCancelled();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
        try {
            cancellation.throwIfCancelled();
            OutputSpec out =
                    manifest.output()
                            .map(
                                    o ->
                                            new OutputSpec(
                                                    Optional.empty(),
                                                    o.format(),
                                                    Optional.of(base + ".qcow2")))
                            .orElse(
                                    new OutputSpec(
                                            Optional.empty(),
                                            Optional.of("qcow2"),
                                            Optional.of(base + ".qcow2")));
            ArtifactManifest published = manifest.toBuilder().output(out).build();
            Optional<String> staleImage = SpoolFiles.version(image);
            Optional<String> staleError = SpoolFiles.version(error);
            Path target = watchDir.resolve(jobId + ".manifest.json");
            SpoolFiles.publish(
                    target, ManifestCodec.toJson(published).getBytes(StandardCharsets.UTF_8));
            return new SpoolSubmission(
                    jobId,
                    id(),
                    target,
                    now,
                    nanos,
                    Optional.of(image),
                    Optional.of(error),
                    staleImage,
                    staleError,
                    Optional.of(lock),
                    false);
        } catch (IOException | RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    private static boolean fresh(Path file, Optional<String> stale) {
        Optional<String> now = SpoolFiles.version(file);
        return now.isPresent() && !now.equals(stale);
    }

    @Override
    Optional<Answer> probe(SpoolSubmission s) {
        Path error = s.expectedError.orElseThrow();
        if (fresh(error, s.staleErrorVersion)) {
            String text =
                    SpoolFiles.readSmall(error, 64 * 1024)
                            .map(WorkflowLayout::oneLine)
                            .filter(t -> !t.isEmpty())
                            .orElse("(empty error file)");
            return Optional.of(
                    new Answer.Error(
                            "hyper2kvm daemon failed job "
                                    + s.jobId()
                                    + " ("
                                    + error
                                    + "): "
                                    + text));
        }
        Path image = s.expectedImage.orElseThrow();
        if (fresh(image, s.staleImageVersion)) {
            return Optional.of(new Answer.Done(List.of(image)));
        }
        return Optional.empty();
    }

    @Override
    boolean isClaimed(SpoolSubmission s) {
        Path part =
                s.expectedImage
                        .orElseThrow()
                        .resolveSibling(s.expectedImage.orElseThrow().getFileName() + ".part");
        return Files.exists(part);
    }

    @Override
    boolean withdraw(SpoolSubmission s) {
        if (isClaimed(s)) {
            return false;
        }
        SpoolFiles.deleteIfPresent(s.file());
        return true;
    }

    @Override
    void afterAnswer(SpoolSubmission s, Answer a) {
        // the daemon leaves the manifest in the watch directory: it was ours, remove it
        SpoolFiles.deleteIfPresent(s.file());
    }
}
