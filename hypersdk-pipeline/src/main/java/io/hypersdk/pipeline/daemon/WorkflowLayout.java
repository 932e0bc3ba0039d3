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

/**
 * {@code workflow}: {@code <watch>/to_be_processed/<job>.json}, claimed by a move to {@code
 * processing/}, answered in {@code processed/<date>/} or {@code failed/<date>/} (with a {@code
 * .error.json} record); images {@code <output>/<date>/<job>/<disk id>.<format>}.
 */
final class WorkflowLayout extends Layout {
    static final ObjectMapper JSON = new ObjectMapper();

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
        } catch (IOException | RuntimeException e) {
            expected.remove(jobId);
            throw e;
        }
        return new SpoolSubmission(
                jobId,
                id(),
                target,
                now,
                nanos,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
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
}
