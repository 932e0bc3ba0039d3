package io.hypersdk.pipeline;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.JobId;
import io.hypersdk.core.io.ArchivedDisk;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.core.settings.TargetFormat;
import io.hypersdk.systemd.CommandRunner;
import io.hypersdk.systemd.CommandSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct mode and disk-only mode: the SDK picks every output path, runs hyper2kvm's one-shot CLI
 * for the boot disk ({@code --flatten} and a temporary {@code --workdir} it removes afterwards; its
 * whole output kept in {@code <image>.hyper2kvm.log} beside the image) and {@code qemu-img convert}
 * for the data disks (every disk in disk-only mode). Nothing is overwritten; on failure, timeout or
 * cancellation the images of this run are removed.
 */
final class DirectConversion {
    private static final Logger LOG = LoggerFactory.getLogger(DirectConversion.class);

    /** Bytes of a disk id in an image name: leaves the VM name most of the 255 bytes. */
    private static final int DISK_ID_BYTES = 64;

    /** Result of a direct run. */
    record Outcome(ConversionOutcome outcome, List<Path> images) {}

    /** One disk and where its image goes. */
    record Target(DiskArtifact disk, Path image) {}

    private final CommandRunner runner;
    private final Path qemuImg;
    private final Map<String, String> environment;
    private final Map<String, ArchivedDisk> inArchive;

    DirectConversion(CommandRunner runner, Path qemuImg, Map<String, String> environment) {
        this(runner, qemuImg, environment, Map.of());
    }

    /**
     * @param inArchive disks (by manifest id) that qemu-img reads in place from their archive
     */
    DirectConversion(
            CommandRunner runner,
            Path qemuImg,
            Map<String, String> environment,
            Map<String, ArchivedDisk> inArchive) {
        this.runner = runner;
        this.qemuImg = qemuImg;
        this.environment = environment;
        this.inArchive = Map.copyOf(inArchive);
    }

    /** The directory images are written to: {@code output.directory}, else the manifest's. */
    static Path outputDirectory(ArtifactManifest manifest, Path manifestPath) {
        Path manifestDir = manifestPath.toAbsolutePath().normalize().getParent();
        return manifest.output()
                .flatMap(o -> o.directory())
                .map(d -> d.isAbsolute() ? d : manifestDir.resolve(d))
                .map(d -> d.toAbsolutePath().normalize())
                .orElse(manifestDir);
    }

    /** Disks in boot order with the image path of each, under {@code outputDir}. */
    static List<Target> plan(
            ArtifactManifest manifest, JobId jobId, Path outputDir, TargetFormat format) {
        String vm =
                manifest.source()
                        .flatMap(ManifestSource::vmName)
                        .filter(n -> !n.isBlank())
                        .orElse("vm-" + jobId);
        List<Target> out = new ArrayList<>();
        manifest.disks().stream()
                .sorted(Comparator.comparingInt(DiskArtifact::bootOrderHint))
                .forEach(
                        d -> {
                            // "<vm>-<disk>.<format>" and its ".part" sibling fit one path element
                            // whatever the names' lengths
                            String suffix =
                                    "-"
                                            + VmNames.forFileName(d.id(), DISK_ID_BYTES)
                                            + "."
                                            + format.id();
                            out.add(
                                    new Target(
                                            d,
                                            outputDir.resolve(
                                                    VmNames.forFileName(vm, VmNames.budget(suffix))
                                                            + suffix)));
                        });
        return out;
    }

    /** Refuses to overwrite: every target must be new. */
    static void requireNew(List<Target> targets) {
        List<String> existing = new ArrayList<>();
        for (Target t : targets) {
            if (Files.exists(t.image())) {
                existing.add(t.image().toString());
            }
        }
        if (!existing.isEmpty()) {
            throw new PreflightException(
                    "output image "
                            + String.join(", ", existing)
                            + " already exists: move it away or set a different output directory"
                            + " (manifest output.directory); images are never overwritten");
        }
    }

    static String qemuFormat(DiskFormat f) {
        return switch (f) {
            case VMDK -> "vmdk";
            case QCOW2 -> "qcow2";
            case RAW -> "raw";
            case VHD -> "vpc";
            case VHDX -> "vhdx";
            case VDI -> "vdi";
        };
    }

    /**
     * Converts the disks: the first target through hyper2kvm when {@code hyper2kvm} is given, every
     * other target with qemu-img.
     */
    Outcome convert(
            List<Target> targets,
            java.util.Optional<Path> hyper2kvm,
            PipelineSettings settings,
            ProcessStep.Deadline deadline,
            Cancellation cancellation,
            ProgressListener listener) {
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            ProcessStep.Outcome o;
            try {
                Files.createDirectories(t.image().getParent());
            } catch (IOException e) {
                return cleanup(
                        written,
                        targets,
                        new ConversionOutcome.Failed(
                                "cannot create output"
                                        + " directory "
                                        + t.image().getParent()
                                        + ": "
                                        + e.getMessage()));
            }
            if (i == 0 && hyper2kvm.isPresent()) {
                ProcessStep.emit(
                        listener,
                        new PhaseChanged(
                                Phase.CONVERT,
                                "hyper2kvm: " + t.disk().localPath() + " -> " + t.image()));
                o = viaHyper2kvm(hyper2kvm.get(), t, settings, deadline, cancellation, listener);
            } else {
                if (settings.dryRun()) {
                    ProcessStep.emit(
                            listener,
                            new Notice(
                                    Notice.Level.INFO,
                                    "dry run: would convert "
                                            + t.disk().localPath()
                                            + " -> "
                                            + t.image()
                                            + " with qemu-img"));
                    continue;
                }
                ProcessStep.emit(
                        listener,
                        new PhaseChanged(
                                Phase.CONVERT,
                                "qemu-img: " + t.disk().localPath() + " -> " + t.image()));
                o = viaQemuImg(t, settings, deadline, cancellation, listener);
            }
            if (o instanceof ProcessStep.Outcome.Failed f) {
                return cleanup(written, targets, new ConversionOutcome.Failed(f.message()));
            }
            if (o instanceof ProcessStep.Outcome.TimedOut to) {
                return cleanup(written, targets, new ConversionOutcome.TimedOut(to.after(), false));
            }
            if (o instanceof ProcessStep.Outcome.Cancelled) {
                return cleanup(written, targets, new ConversionOutcome.Cancelled(false));
            }
            if (!settings.dryRun()) {
                if (!Files.isRegularFile(t.image())) {
                    return cleanup(
                            written,
                            targets,
                            new ConversionOutcome.Failed(
                                    "hyper2kvm exited 0" + " but wrote no image at " + t.image()));
                }
                written.add(t.image());
            }
        }
        return new Outcome(new ConversionOutcome.Converted(), written);
    }

    private Outcome cleanup(List<Path> written, List<Target> targets, ConversionOutcome outcome) {
        for (Path p : written) {
            delete(p);
        }
        for (Target t : targets) {
            delete(t.image().resolveSibling(t.image().getFileName() + ".part"));
        }
        return new Outcome(outcome, List.of());
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", p, e.toString());
        }
    }

    private ProcessStep.Outcome viaHyper2kvm(
            Path hyper2kvm,
            Target t,
            PipelineSettings settings,
            ProcessStep.Deadline deadline,
            Cancellation cancellation,
            ProgressListener listener) {
        Path workdir;
        try {
            workdir = Files.createTempDirectory(t.image().getParent(), ".hyper2kvm-work-");
        } catch (IOException e) {
            return new ProcessStep.Outcome.Failed(
                    "cannot create a work directory in "
                            + t.image().getParent()
                            + ": "
                            + e.getMessage());
        }
        try {
            List<String> argv =
                    new ArrayList<>(
                            List.of(
                                    hyper2kvm.toString(),
                                    "--cmd",
                                    "local",
                                    "--vmdk",
                                    t.disk().localPath().toAbsolutePath().toString(),
                                    "--output-dir",
                                    t.image().getParent().toString(),
                                    "--to-output",
                                    t.image().getFileName().toString(),
                                    "--out-format",
                                    settings.targetFormat().id(),
                                    "--flatten",
                                    "--workdir",
                                    workdir.toString()));
            if (settings.compress() && settings.targetFormat() == TargetFormat.QCOW2) {
                argv.add("--compress");
                settings.compressLevel()
                        .ifPresent(
                                l -> {
                                    argv.add("--compress-level");
                                    argv.add(Integer.toString(l));
                                });
            }
            if (!settings.fix()) {
                argv.addAll(List.of("--fstab-mode", "noop", "--no-grub", "--no-regen-initramfs"));
            }
            if (settings.dryRun()) {
                argv.add("--dry-run");
            }
            CommandSpec spec =
                    CommandSpec.of(argv)
                            .withEnvironment(environment)
                            .withDirectory(t.image().getParent());
            // hyper2kvm's stages (inspect, fix, convert, validate) are its real progress
            ProgressListener staged = new ConverterStages(listener, "hyper2kvm", System::nanoTime);
            try (ConverterLog log = ConverterLog.toFile(logFile(t.image()))) {
                return ProcessStep.run(
                        runner,
                        spec,
                        "hyper2kvm",
                        deadline,
                        cancellation,
                        staged,
                        java.util.Optional.of(
                                new ProcessStep.Transfer(t.disk().id(), t.disk().bytes())),
                        log);
            }
        } finally {
            deleteTree(workdir);
        }
    }

    /**
     * Where hyper2kvm's whole output goes: {@code <image name without extension>.hyper2kvm.log}.
     */
    static Path logFile(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return image.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".hyper2kvm.log");
    }

    private ProcessStep.Outcome viaQemuImg(
            Target t,
            PipelineSettings settings,
            ProcessStep.Deadline deadline,
            Cancellation cancellation,
            ProgressListener listener) {
        Path part = t.image().resolveSibling(t.image().getFileName() + ".part");
        delete(part);
        List<String> argv =
                new ArrayList<>(
                        List.of(
                                qemuImg.toString(),
                                "convert",
                                "-p",
                                "-f",
                                qemuFormat(t.disk().sourceFormat()),
                                "-O",
                                settings.targetFormat().id()));
        if (settings.compress() && settings.targetFormat() == TargetFormat.QCOW2) {
            argv.add("-c");
        }
        ArchivedDisk archived = inArchive.get(t.disk().id());
        java.util.Optional<ArchiveMemberRead> member =
                java.util.Optional.ofNullable(archived).map(ArchiveMemberRead::new);
        if (member.isPresent()) {
            java.util.Optional<String> outside = member.get().outsideArchive();
            if (outside.isPresent()) {
                return new ProcessStep.Outcome.Failed(outside.get());
            }
            // the json: source names its format itself; "-f" would contradict it
            argv.remove(3);
            argv.remove(3);
            argv.add(ArchiveMemberRead.qemuSource(archived, qemuFormat(t.disk().sourceFormat())));
            member.get().startHashing();
        } else {
            argv.add(t.disk().localPath().toAbsolutePath().toString());
        }
        argv.add(part.toString());
        ProcessStep.Outcome o =
                ProcessStep.run(
                        runner,
                        CommandSpec.of(argv).withEnvironment(environment),
                        "qemu-img convert of " + t.disk().id(),
                        deadline,
                        cancellation,
                        listener,
                        java.util.Optional.of(
                                new ProcessStep.Transfer(t.disk().id(), t.disk().bytes())),
                        ConverterLog.inMemory());
        if (member.isPresent()) {
            if (!(o instanceof ProcessStep.Outcome.Ok)) {
                member.get().abandon();
            } else {
                try {
                    String sha256 = member.get().verify();
                    ProcessStep.emit(
                            listener,
                            new Notice(
                                    Notice.Level.INFO,
                                    t.disk().id()
                                            + " converted in place from "
                                            + archived.what()
                                            + " (not copied); sha256:"
                                            + sha256
                                            + (archived.expected().isPresent()
                                                    ? ", matches "
                                                            + archived.expected().get().declaredIn()
                                                    : "")));
                } catch (ArchiveMemberRead.IntegrityMismatch e) {
                    o = new ProcessStep.Outcome.Failed(e.getMessage());
                }
            }
        }
        if (o instanceof ProcessStep.Outcome.Ok) {
            try {
                Files.move(part, t.image(), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                delete(part);
                return new ProcessStep.Outcome.Failed(
                        "cannot rename " + part + " to " + t.image() + ": " + e.getMessage());
            }
        } else {
            delete(part);
        }
        return o;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            Files.deleteIfExists(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path d, IOException exc)
                                throws IOException {
                            Files.deleteIfExists(d);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot remove the work directory {}: {}", dir, e.toString());
        }
    }
}
