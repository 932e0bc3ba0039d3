package io.hypersdk.pipeline.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.settings.QueueLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code disk-watch} (hyper2kvm 0.0.x): a copy of the boot disk published as {@code
 * <watch>/<job>.<ext>}; success when it appears in {@code <watch>/.processed/<date>/} (image in
 * {@code <output>/<date>/<job>/}), failure when {@code <watch>/.errors/<job>.<ext>.error.json}
 * appears. There is no on-disk claim: the job counts as claimed once the daemon has created {@code
 * <output>/<date>/<job>/}.
 */
final class DiskWatchLayout extends Layout {

    DiskWatchLayout(Path watchDir, Path outputDir) {
        super(watchDir, outputDir);
    }

    @Override
    QueueLayout id() {
        return QueueLayout.DISK_WATCH;
    }

    @Override
    List<SpoolMonitor.Root> roots() {
        return List.of(new SpoolMonitor.Root(processed(), 1), new SpoolMonitor.Root(failed(), 0));
    }

    @Override
    boolean convertsAllDisks() {
        return false;
    }

    /** The suffix the 0.0.x daemon needs to treat the file as a local disk, if it has one. */
    static Optional<String> suffixFor(DiskFormat format) {
        return switch (format) {
            case VMDK -> Optional.of("vmdk");
            case RAW -> Optional.of("raw");
            case VHD -> Optional.of("vhd");
            case VHDX -> Optional.of("vhdx");
            default -> Optional.empty();
        };
    }

    @Override
    SpoolSubmission submit(
            JobId jobId,
            ArtifactManifest manifest,
            Cancellation cancellation,
            Instant now,
            long nanos)
            throws IOException {
        DiskArtifact boot = manifest.bootDisk();
        String suffix =
                suffixFor(boot.sourceFormat())
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "the disk-watch daemon does not take "
                                                        + boot.sourceFormat().id()
                                                        + " disks ("
                                                        + boot.localPath()
                                                        + "): use the workflow layout or direct mode"));
        Path target = watchDir.resolve(jobId + "." + suffix);
        SpoolFiles.publishCopy(boot.localPath(), target, cancellation);
        return SpoolSubmission.of(jobId, id(), target, now, nanos, false);
    }

    @Override
    Optional<Answer> probe(SpoolSubmission s) {
        String name = s.file().getFileName().toString();
        Path errorRecord = failed().resolve(name + ".error.json");
        // the 0.0.x daemon writes the record in place (not atomically): an empty or unfinished JSON
        // file is not an answer yet; the next event or poll reads it complete
        Optional<String> error =
                SpoolFiles.readSmall(errorRecord, 256 * 1024).filter(DiskWatchLayout::isComplete);
        if (error.isPresent()) {
            return Optional.of(
                    new Answer.Error(
                            "hyper2kvm daemon failed " + name + ": " + describeError(error.get())));
        }
        Optional<Path> processed = SpoolFiles.findInDateDirs(processed(), name);
        if (processed.isEmpty()) {
            return Optional.empty();
        }
        List<Path> images = images(s.jobId());
        if (images.isEmpty()) {
            return Optional.of(
                    new Answer.Error(
                            "hyper2kvm daemon processed "
                                    + name
                                    + " but wrote no image under "
                                    + outputDir
                                    + "/*/"
                                    + s.jobId()
                                    + "/: its ExecStart needs --to-output (e.g. --to-output disk.qcow2)"));
        }
        return Optional.of(new Answer.Done(images));
    }

    /** Whether a failure record is whole: a JSON object that parses. */
    static boolean isComplete(String json) {
        try {
            return WorkflowLayout.JSON.readTree(json)
                    instanceof com.fasterxml.jackson.databind.node.ObjectNode;
        } catch (IOException e) {
            return false;
        }
    }

    static String describeError(String json) {
        try {
            JsonNode n = WorkflowLayout.JSON.readTree(json);
            String error = n.path("error").asText("");
            String phase = n.path("phase").asText("");
            if (error.isEmpty()) {
                return WorkflowLayout.oneLine(json);
            }
            return WorkflowLayout.oneLine(
                    error + (phase.isEmpty() ? "" : " (phase " + phase + ")"));
        } catch (IOException e) {
            return WorkflowLayout.oneLine(json);
        }
    }

    private List<Path> jobDirs(JobId jobId) {
        List<Path> out = new ArrayList<>();
        for (Path dateDir : SpoolFiles.subdirectories(outputDir)) {
            Path d = dateDir.resolve(jobId.value());
            if (Files.isDirectory(d)) {
                out.add(d);
            }
        }
        return out;
    }

    private List<Path> images(JobId jobId) {
        List<Path> out = new ArrayList<>();
        for (Path d : jobDirs(jobId)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (!n.startsWith(".") && !n.endsWith(".part") && Files.isRegularFile(p)) {
                        out.add(p);
                    }
                }
            } catch (IOException e) {
                // vanished: no image
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    boolean isClaimed(SpoolSubmission s) {
        return !jobDirs(s.jobId()).isEmpty();
    }

    @Override
    boolean withdraw(SpoolSubmission s) {
        if (isClaimed(s)) {
            return false;
        }
        SpoolFiles.deleteIfPresent(s.file());
        return true;
    }

    /**
     * Removes what this job left in the spool once its answer is read; only paths named by this
     * job's id are touched. Failure: the input (the 0.0.x daemon leaves it in the watch directory),
     * its {@code .errors/<name>.error.json} (its message is in the answer) and the job's empty
     * {@code <output>/<date>/<job>/}. Success: the processed input (our copy of the disk) and the
     * {@code work/} directory a unit without {@code --workdir} leaves beside the image.
     */
    @Override
    void afterAnswer(SpoolSubmission s, Answer a) {
        String name = s.file().getFileName().toString();
        if (a instanceof Answer.Error) {
            SpoolFiles.deleteIfPresent(s.file());
            SpoolFiles.deleteIfPresent(failed().resolve(name + ".error.json"));
            for (Path d : jobDirs(s.jobId())) {
                SpoolFiles.deleteIfPresent(d); // only when empty: an image the daemon wrote stays
            }
        } else {
            // the processed input is our copy of the disk: do not leave it to fill the spool
            SpoolFiles.findInDateDirs(processed(), name).ifPresent(SpoolFiles::deleteIfPresent);
            for (Path d : jobDirs(s.jobId())) {
                SpoolFiles.deleteTree(d.resolve("work"));
            }
        }
    }
}
