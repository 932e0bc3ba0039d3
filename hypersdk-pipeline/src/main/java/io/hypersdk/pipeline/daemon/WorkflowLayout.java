package io.hypersdk.pipeline.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.settings.QueueLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code workflow}: {@code <watch>/to_be_processed/<job>.json}, claimed by a move to {@code
 * processing/}, answered in {@code processed/<date>/} or {@code failed/<date>/} (with a {@code
 * .error.json} record); images {@code <output>/<date>/<job>/<disk id>.<format>}.
 */
final class WorkflowLayout extends Layout {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowLayout.class);

    /** Expected image names per job, in boot order (kept from submit to answer). */
    private final ConcurrentHashMap<JobId, List<String>> expected = new ConcurrentHashMap<>();

    WorkflowLayout(Path watchDir, Path outputDir) {
        super(watchDir, outputDir);
    }

    @Override
    QueueLayout id() {
        return QueueLayout.WORKFLOW;
    }

    Path inbox() {
        return paths().submitDir();
    }

    @Override
    List<SpoolMonitor.Root> roots() {
        return List.of(new SpoolMonitor.Root(processed(), 1), new SpoolMonitor.Root(failed(), 1));
    }

    @Override
    boolean convertsAllDisks() {
        return true;
    }

    @Override
    SpoolSubmission submit(
            JobId jobId,
            ArtifactManifest manifest,
            Cancellation cancellation,
            Instant now,
            long nanos)
            throws IOException {
        String format = manifest.output().flatMap(o -> o.format()).orElse("qcow2");
        List<String> names = new ArrayList<>();
        manifest.disks().stream()
                .sorted(Comparator.comparingInt(DiskArtifact::bootOrderHint))
                .forEach(d -> names.add(d.id() + "." + format));
        expected.put(jobId, List.copyOf(names));
        Path target = inbox().resolve(jobId + ".json");
        try {
            SpoolFiles.publish(
                    target, ManifestCodec.toJson(manifest).getBytes(StandardCharsets.UTF_8));
        } catch (SpoolFiles.UncertainPublishException e) {
            // the id is this export's own (JobId.forExport), so finding it anywhere in the spool
            // means the link was made, and perhaps already claimed
            if (locate(jobId).isEmpty()) {
                expected.remove(jobId);
                throw e;
            }
            LOG.debug("job {} was queued although the link reported: {}", jobId, e.toString());
        } catch (IOException | RuntimeException e) {
            expected.remove(jobId);
            throw e;
        }
        return SpoolSubmission.of(jobId, id(), target, now, nanos, false);
    }

    @Override
    Optional<Answer> probe(SpoolSubmission s) {
        String name = s.jobId() + ".json";
        Optional<Path> errorRecord = SpoolFiles.findInDateDirs(failed(), name + ".error.json");
        Optional<Path> failed =
                errorRecord.isPresent() ? errorRecord : SpoolFiles.findInDateDirs(failed(), name);
        if (failed.isPresent()) {
            String message =
                    errorRecord
                            .flatMap(p -> SpoolFiles.readSmall(p, 64 * 1024))
                            .map(WorkflowLayout::errorOf)
                            .orElse("no .error.json record next to " + failed.get());
            return Optional.of(
                    new Answer.Error("hyper2kvm daemon failed job " + s.jobId() + ": " + message));
        }
        Optional<Path> processed = SpoolFiles.findInDateDirs(processed(), name);
        if (processed.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = expected.getOrDefault(s.jobId(), List.of());
        List<Path> images = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            Optional<Path> img = findImage(s.jobId(), n);
            if (img.isPresent()) {
                images.add(img.get());
            } else {
                missing.add(n);
            }
        }
        if ((!missing.isEmpty() || images.isEmpty()) && !SpoolFiles.reachable(outputDir)) {
            // a network output directory that is away right now (I/O error) is not an answer:
            // look again at the next poll, bounded by the daemon timeout
            return Optional.empty();
        }
        if (!missing.isEmpty() || images.isEmpty()) {
            return Optional.of(
                    new Answer.Error(
                            "hyper2kvm daemon reported job "
                                    + s.jobId()
                                    + " completed ("
                                    + processed.get()
                                    + ") but wrote no "
                                    + String.join(", ", missing)
                                    + " under "
                                    + outputDir
                                    + "/*/"
                                    + s.jobId()
                                    + "/: check that the manifest's"
                                    + " pipeline.convert.enabled is true and the daemon's output directory is "
                                    + outputDir));
        }
        return Optional.of(new Answer.Done(images));
    }

    private Optional<Path> findImage(JobId jobId, String imageName) {
        for (Path dateDir : SpoolFiles.subdirectories(outputDir)) {
            Path p = dateDir.resolve(jobId.value()).resolve(imageName);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static String errorOf(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            String error = n.path("error").asText("");
            String exception = n.path("exception").asText("");
            String text = error.isEmpty() ? json.strip() : error;
            if (!exception.isEmpty() && !text.contains(exception)) {
                text = text + " (" + exception + ")";
            }
            return oneLine(text);
        } catch (IOException e) {
            return oneLine(json);
        }
    }

    static String oneLine(String s) {
        String t = s.strip().replaceAll("\\s*\\R\\s*", "; ");
        return t.length() > 2000 ? t.substring(0, 2000) + "..." : t;
    }

    @Override
    boolean isClaimed(SpoolSubmission s) {
        return !Files.exists(s.file());
    }

    @Override
    boolean withdraw(SpoolSubmission s) {
        return SpoolFiles.deleteIfPresent(s.file());
    }

    @Override
    void afterAnswer(SpoolSubmission s, Answer a) {
        expected.remove(s.jobId());
    }

    void forget(JobId jobId) {
        expected.remove(jobId);
    }

    /** Where the job of this id is; reads its manifest from the spool to name its images. */
    SpoolJob find(JobId jobId) {
        Optional<Path> manifest = locate(jobId);
        if (manifest.isEmpty()) {
            return new SpoolJob(
                    jobId, SpoolJob.State.UNKNOWN, Optional.empty(), List.of(), Optional.empty());
        }
        Path file = manifest.get();
        Path dir = file.getParent();
        if (dir.equals(inbox())) {
            return new SpoolJob(
                    jobId, SpoolJob.State.QUEUED, manifest, List.of(), Optional.empty());
        }
        if (dir.equals(paths().claimDir().orElseThrow())) {
            return new SpoolJob(
                    jobId, SpoolJob.State.RUNNING, manifest, List.of(), Optional.empty());
        }
        expectFrom(jobId, file);
        SpoolSubmission probeOnly = submissionFor(jobId, file);
        Optional<Answer> answer = probe(probeOnly);
        expected.remove(jobId);
        if (answer.isPresent() && answer.get() instanceof Answer.Done done) {
            return new SpoolJob(
                    jobId, SpoolJob.State.CONVERTED, manifest, done.images(), Optional.empty());
        }
        String error =
                answer.map(a -> ((Answer.Error) a).message())
                        .orElse("job " + jobId + " is in " + dir + " without a result");
        return new SpoolJob(jobId, SpoolJob.State.FAILED, manifest, List.of(), Optional.of(error));
    }

    /**
     * A submission for a job already in the spool, to pass to {@code await}; empty when the spool
     * holds no job of that id.
     */
    Optional<SpoolSubmission> attach(JobId jobId, Instant now, long nanos) {
        Optional<Path> manifest = locate(jobId);
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        expectFrom(jobId, manifest.get());
        return Optional.of(
                SpoolSubmission.of(
                        jobId, id(), inbox().resolve(jobId + ".json"), now, nanos, true));
    }

    private SpoolSubmission submissionFor(JobId jobId, Path file) {
        return SpoolSubmission.of(jobId, id(), file, Instant.EPOCH, System.nanoTime(), false);
    }

    /** The job's manifest: queued, claimed, then answered (the order a daemon moves it in). */
    private Optional<Path> locate(JobId jobId) {
        String name = jobId + ".json";
        for (int round = 0; round < 2; round++) {
            Path queued = inbox().resolve(name);
            if (Files.isRegularFile(queued)) {
                return Optional.of(queued);
            }
            Path claimed = paths().claimDir().orElseThrow().resolve(name);
            if (Files.isRegularFile(claimed)) {
                return Optional.of(claimed);
            }
            Optional<Path> done = SpoolFiles.findInDateDirs(processed(), name);
            if (done.isPresent()) {
                return done;
            }
            Optional<Path> failedJob = SpoolFiles.findInDateDirs(failed(), name);
            if (failedJob.isPresent()) {
                return failedJob;
            }
            // a daemon may have moved it between two looks: one more round
        }
        return Optional.empty();
    }

    /**
     * Remembers the job's image names from its manifest in the spool; the daemon may move the file
     * while it is read, so it is looked up again (a few times) when it vanished.
     */
    private void expectFrom(JobId jobId, Path manifestFile) {
        Optional<Path> file = Optional.of(manifestFile);
        for (int i = 0; i < 4 && file.isPresent(); i++) {
            Optional<List<String>> names =
                    SpoolFiles.readSmall(file.get(), 4 << 20).flatMap(WorkflowLayout::imageNames);
            if (names.isPresent()) {
                expected.put(jobId, names.get());
                return;
            }
            file = locate(jobId);
        }
        expected.put(jobId, List.of());
    }

    private static Optional<List<String>> imageNames(String json) {
        try {
            ArtifactManifest m =
                    ManifestCodec.parse(json, io.hypersdk.core.manifest.ManifestFormat.JSON);
            String format = m.output().flatMap(o -> o.format()).orElse("qcow2");
            return Optional.of(
                    m.disks().stream()
                            .sorted(Comparator.comparingInt(DiskArtifact::bootOrderHint))
                            .map(d -> d.id() + "." + format)
                            .toList());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
