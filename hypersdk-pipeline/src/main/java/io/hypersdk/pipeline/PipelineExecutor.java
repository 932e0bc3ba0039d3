package io.hypersdk.pipeline;

import com.google.common.base.Suppliers;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.JobId;
import io.hypersdk.core.io.ArchivedDisk;
import io.hypersdk.core.io.FileType;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.OutputSpec;
import io.hypersdk.core.manifest.PipelineStages;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.settings.Setting;
import io.hypersdk.core.settings.SettingText;
import io.hypersdk.core.spool.SpoolDescriptor;
import io.hypersdk.core.spool.SpoolDirectories;
import io.hypersdk.core.spool.SpoolEnvironmentException;
import io.hypersdk.pipeline.daemon.DaemonPreflight;
import io.hypersdk.pipeline.daemon.DaemonSpool;
import io.hypersdk.pipeline.daemon.RemoteSpool;
import io.hypersdk.pipeline.daemon.SpoolResult;
import io.hypersdk.pipeline.daemon.SpoolSubmission;
import io.hypersdk.pipeline.libvirt.LibvirtConnector;
import io.hypersdk.pipeline.libvirt.LibvirtDefiner;
import io.hypersdk.pipeline.libvirt.LibvirtDefinitionException;
import io.hypersdk.pipeline.libvirt.OvmfFirmware;
import io.hypersdk.systemd.CommandRunner;
import io.hypersdk.systemd.PosixAccess;
import io.hypersdk.systemd.SystemdClient;
import io.hypersdk.systemd.SystemdException;
import io.hypersdk.systemd.UnitName;
import io.hypersdk.systemd.UnitStatus;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands an exported VM to hyper2kvm and reports exactly what happened.
 *
 * <p>Mode: with daemon mode on and the unit ({@code hyper2kvm.service} or {@code
 * hyper2kvm@<instance>.service}) active, the job goes to the daemon's spool; otherwise hyper2kvm
 * runs directly and the result says why ({@link PipelineResult#modeReason()}), unless {@code
 * require-daemon} makes that an error. {@code converter = qemu-img} converts every disk with
 * qemu-img and no guest repair. The pipeline timeout bounds direct mode only; daemon mode waits
 * exactly {@code daemon_timeout}. Cancelling from any thread stops either mode (the process tree is
 * killed; an unclaimed spool submission is withdrawn).
 *
 * <pre>{@code
 * PipelineExecutor executor = PipelineExecutor.builder().build();
 * PipelineResult r = executor.execute(manifest, manifestPath, settings, event -> log(event),
 *     Cancellation.none());
 * if (r.outcome() instanceof ConversionOutcome.Failed f) { System.err.println(f.message()); }
 * }</pre>
 *
 * Immutable and thread-safe; one executor serves concurrent jobs (daemon-mode jobs of one spool
 * share one watch thread).
 */
public final class PipelineExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineExecutor.class);

    /** The daemon's unit is checked at most this often while a job waits (one systemctl each). */
    private static final Duration HEALTH_CHECK_MIN = Duration.ofSeconds(2);

    private final Supplier<SystemdClient> systemd;
    private final CommandRunner runner;
    private final Clock clock;
    private final LibvirtConnector libvirtConnector;
    private final Supplier<PosixAccess> posix;
    private final String searchPath;
    private final Optional<Path> qemuImg;
    private final OvmfFirmware firmware;
    private final Optional<Duration> pollIntervalOverride;
    private final Optional<Duration> daemonTimeoutOverride;
    private final Map<String, String> environment;
    private final boolean replaceImages;
    private final ConcurrentHashMap<String, DaemonSpool> spools = new ConcurrentHashMap<>();

    private PipelineExecutor(Builder b) {
        this.systemd = Suppliers.memoize(b.systemd::get);
        this.runner = b.runner != null ? b.runner : CommandRunner.create();
        this.clock = b.clock;
        this.libvirtConnector = b.libvirtConnector;
        this.posix = Suppliers.memoize(b.posix::get);
        this.searchPath = b.searchPath;
        this.qemuImg = b.qemuImg;
        this.firmware = b.firmware;
        this.pollIntervalOverride = b.pollIntervalOverride;
        this.daemonTimeoutOverride = b.daemonTimeoutOverride;
        this.environment = Map.copyOf(b.environment);
        this.replaceImages = b.replaceImages;
    }

    /**
     * @return a builder with the system defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Converts the manifest's disks (and defines the libvirt domain when asked).
     *
     * <p>The caller decides whether the pipeline runs at all: {@code settings.enabled()} is not
     * consulted here. The stage switches ({@code inspect}, {@code fix}, {@code convert}, {@code
     * validate}) are written into the manifest handed to a daemon; in direct mode {@code fix=false}
     * adds {@code --fstab-mode noop --no-grub --no-regen-initramfs}, hyper2kvm always checks the
     * image it writes, and the images are always converted (hyper2kvm without {@code --to-output}
     * would modify the input in place).
     *
     * @param manifest the Artifact Manifest (relative disk paths are resolved against the
     *     manifest's directory)
     * @param manifestPath where the manifest lives (its directory is the default output directory)
     * @param settings the pipeline settings
     * @param listener progress events (phases, every converter output line, notices)
     * @param cancellation cancels from any thread
     * @return what happened
     * @throws DaemonRequiredException when daemon mode is required but the unit is not active
     * @throws PreflightException when a check before converting fails (names the fix)
     * @throws Hyper2KvmNotFoundException when direct mode needs hyper2kvm and there is none
     * @throws io.hypersdk.core.manifest.ManifestValidationException for a structurally invalid
     *     manifest
     */
    public PipelineResult execute(
            ArtifactManifest manifest,
            Path manifestPath,
            PipelineSettings settings,
            ProgressListener listener,
            Cancellation cancellation) {
        return execute(manifest, manifestPath, settings, listener, cancellation, List.of());
    }

    /**
     * {@link #execute(ArtifactManifest, Path, PipelineSettings, ProgressListener, Cancellation)}
     * for an export that left some disks inside their source archive ({@code
     * ExportResult.inArchive()} of the provider SPI): with {@code converter = qemu-img} each such
     * disk is converted straight from the archive (qemu's {@code raw} driver with {@code offset}
     * and {@code size}), its bytes hashed in parallel and checked against the digest the package
     * declares; a mismatch removes the image and fails the run. No copy of the disk is written.
     *
     * @param inArchive the disks read in place, by manifest disk id; empty for a plain export
     * @throws PreflightException when {@code inArchive} is not empty and the mode is not qemu-img
     *     (hyper2kvm, directly or through its daemon, needs the disk as a file: export with copies)
     */
    public PipelineResult execute(
            ArtifactManifest manifest,
            Path manifestPath,
            PipelineSettings settings,
            ProgressListener listener,
            Cancellation cancellation,
            List<ArchivedDisk> inArchive) {
        Objects.requireNonNull(inArchive, "inArchive");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(manifestPath, "manifestPath");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancellation, "cancellation");
        long t0 = System.nanoTime();
        JobId jobId = JobId.generate(clock);
        ManifestValidator.requireValid(manifest, ValidationOptions.structural());
        ArtifactManifest resolved = withAbsoluteDisks(manifest, manifestPath);
        requireDisks(resolved);
        if (settings.hyper2kvm().remote()) {
            jobId = RemoteJobs.baseId(resolved, manifestPath);
        }

        ModeDetector.Decision decision = ModeDetector.decide(settings, systemd, clock);
        ProcessStep.emit(
                listener,
                new Notice(
                        decision.fallback() ? Notice.Level.WARNING : Notice.Level.INFO,
                        "conversion mode "
                                + decision.mode().name().toLowerCase()
                                + ": "
                                + decision.reason()));
        if (decision.fallback()) {
            LOG.warn("job {}: {}", jobId, decision.reason());
        } else {
            LOG.info("job {}: mode {}: {}", jobId, decision.mode(), decision.reason());
        }
        ProcessStep.emit(
                listener,
                new PhaseChanged(
                        Phase.CONVERT,
                        decision.mode().name().toLowerCase() + " conversion of job " + jobId));

        if (!inArchive.isEmpty() && decision.mode() != ConversionMode.QEMU_IMG) {
            throw new PreflightException(
                    "disk "
                            + inArchive.get(0).diskId()
                            + " was left inside "
                            + inArchive.get(0).archive()
                            + " (not copied), but conversion mode "
                            + decision.mode().name().toLowerCase()
                            + " hands disks to hyper2kvm, which needs a copy: export with the"
                            + " disks copied (hyperexport --keep-export-files)");
        }
        Map<String, ArchivedDisk> archived = new java.util.HashMap<>();
        inArchive.forEach(a -> archived.put(a.diskId(), a));
        String reason = decision.reason();
        DirectConversion.Outcome converted;
        Path outputDir = DirectConversion.outputDirectory(resolved, manifestPath);
        switch (decision.mode()) {
            case QEMU_IMG -> {
                Path qemu = Executables.qemuImg(qemuImg, searchPath);
                List<DirectConversion.Target> plan =
                        DirectConversion.plan(resolved, jobId, outputDir, settings.targetFormat());
                prepareTargets(plan);
                converted =
                        new DirectConversion(runner, qemu, environment, archived)
                                .convert(
                                        plan,
                                        Optional.empty(),
                                        settings,
                                        new ProcessStep.Deadline(settings.timeout()),
                                        cancellation,
                                        listener);
            }
            case DIRECT -> {
                Path hyper2kvm = Executables.hyper2kvm(settings.hyper2kvmPath(), searchPath);
                List<DirectConversion.Target> plan =
                        DirectConversion.plan(resolved, jobId, outputDir, settings.targetFormat());
                Path qemu =
                        plan.size() > 1
                                ? Executables.qemuImg(qemuImg, searchPath)
                                : Path.of("qemu-img");
                prepareTargets(plan);
                converted =
                        new DirectConversion(runner, qemu, environment)
                                .convert(
                                        plan,
                                        Optional.of(hyper2kvm),
                                        settings,
                                        new ProcessStep.Deadline(settings.timeout()),
                                        cancellation,
                                        listener);
            }
            case DAEMON -> {
                DaemonRun run =
                        daemon(
                                resolved,
                                jobId,
                                outputDir,
                                settings,
                                decision,
                                listener,
                                cancellation);
                converted = run.outcome();
                reason = reason + "; " + run.detail();
                jobId = run.jobId();
            }
            default -> throw new IllegalStateException("unknown mode " + decision.mode());
        }

        ConversionOutcome outcome = converted.outcome();
        Optional<String> domain = Optional.empty();
        if (outcome.succeeded() && settings.libvirt().enabled() && !settings.dryRun()) {
            ProcessStep.emit(
                    listener,
                    new PhaseChanged(Phase.DEFINE, "libvirt " + settings.libvirt().uri()));
            try {
                LibvirtDefiner definer =
                        LibvirtDefiner.builder()
                                .connector(libvirtConnector)
                                .firmware(firmware)
                                .build();
                LibvirtDefiner.Defined defined =
                        definer.define(resolved, converted.images(), jobId, settings.libvirt());
                defined.notices()
                        .forEach(
                                n ->
                                        ProcessStep.emit(
                                                listener, new Notice(Notice.Level.WARNING, n)));
                domain = Optional.of(defined.name());
            } catch (LibvirtDefinitionException e) {
                outcome =
                        new ConversionOutcome.Failed(
                                SettingText.of(
                                                "converted, but the libvirt domain was not defined: ")
                                        .append(e.text()));
            }
        }
        ProcessStep.emit(listener, new PhaseChanged(Phase.DONE, outcomeText(outcome)));
        return new PipelineResult(
                decision.mode(),
                reason,
                jobId,
                converted.images(),
                domain,
                Duration.ofNanos(System.nanoTime() - t0),
                outcome);
    }

    /**
     * Checks, before the export, everything {@link #execute} will need that can be checked without
     * the exported disks: the mode (a required daemon's unit is active; on a host without systemd
     * the message says so), the converter is installed (hyper2kvm or qemu-img), the daemon's spool
     * and output directories exist as directories and can be written, the libvirt URI answers, and
     * the file system of {@code outputDir} has room for {@code declaredBytes}. Nothing is written.
     *
     * @param settings the pipeline settings {@code execute} will get
     * @param outputDir where the export and the directly converted images will be written (it may
     *     not exist yet)
     * @param declaredBytes the disks' declared size in bytes (0 when unknown: no space check)
     * @return the mode {@code execute} would use now
     * @throws DaemonRequiredException when daemon mode is required but the unit is not active
     * @throws Hyper2KvmNotFoundException when direct mode needs hyper2kvm and there is none
     * @throws PreflightException for any other problem, naming the input and the fix
     */
    public ConversionMode preflight(PipelineSettings settings, Path outputDir, long declaredBytes) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(outputDir, "outputDir");
        if (declaredBytes < 0) {
            throw new IllegalArgumentException(
                    "declaredBytes must be >= 0 (got " + declaredBytes + ")");
        }
        ModeDetector.Decision decision = ModeDetector.decide(settings, systemd, clock);
        switch (decision.mode()) {
            case QEMU_IMG -> Executables.qemuImg(qemuImg, searchPath);
            case DIRECT -> Executables.hyper2kvm(settings.hyper2kvmPath(), searchPath);
            case DAEMON -> {
                SpoolDirectories dirs = spoolDirectories(settings.hyper2kvm(), decision);
                DaemonPreflight.using(posix.get()).checkSpool(dirs, decision.unit());
            }
            default -> throw new IllegalStateException("unknown mode " + decision.mode());
        }
        if (settings.libvirt().enabled() && !settings.dryRun()) {
            try {
                LibvirtDefiner.builder()
                        .connector(libvirtConnector)
                        .firmware(firmware)
                        .build()
                        .checkReachable(settings.libvirt());
            } catch (LibvirtDefinitionException e) {
                throw new PreflightException(e.text());
            }
        }
        FreeSpace.require(outputDir, declaredBytes);
        return decision.mode();
    }

    /**
     * Remote submission: the job of this export (same VM, same export directory) that the spool
     * holds already, queued, running or converted; {@link #execute} would wait for it instead of
     * submitting. A caller checks this before exporting again, so that a re-run neither exports nor
     * converts twice.
     *
     * @param manifest the previous export's manifest
     * @param manifestPath where it lives (its directory is the export directory)
     * @param settings the pipeline settings (only remote settings with a {@code workflow} spool can
     *     answer)
     * @return the job; empty when not remote, not {@code workflow}, or not in the spool
     * @throws RemoteSpoolException when the spool has no usable descriptor
     */
    public Optional<io.hypersdk.pipeline.daemon.SpoolJob> pendingRemoteJob(
            ArtifactManifest manifest, Path manifestPath, PipelineSettings settings) {
        Hyper2KvmSettings h = settings.hyper2kvm();
        if (!h.remote() || !h.daemon()) {
            return Optional.empty();
        }
        ModeDetector.Decision decision = ModeDetector.remote(h, clock);
        SpoolDirectories dirs = spoolDirectories(h, decision);
        if (dirs.layout() != QueueLayout.WORKFLOW) {
            return Optional.empty();
        }
        DaemonSpool spool =
                DaemonSpool.builder()
                        .layout(dirs.layout())
                        .watchDir(dirs.watchDir())
                        .outputDir(dirs.outputDir())
                        .pollOnly(true)
                        .clock(clock)
                        .build();
        RemoteJobs.Found found =
                RemoteJobs.find(
                        spool,
                        RemoteJobs.baseId(withAbsoluteDisks(manifest, manifestPath), manifestPath));
        return found.state().map(st -> spool.find(found.jobId()));
    }

    /**
     * The converted images that {@link #execute} would write for {@code manifest} in direct or
     * qemu-img mode and that exist already (left by a previous run). Without {@link
     * Builder#replaceImages(boolean)} {@code execute} refuses them; a caller checks this before the
     * export to refuse early.
     *
     * @param manifest a manifest of the VM (for example the previous export's)
     * @param manifestPath where it lives (its directory is the default output directory)
     * @param settings the pipeline settings
     * @return the existing images, in disk order; empty when none
     */
    public List<Path> existingImages(
            ArtifactManifest manifest, Path manifestPath, PipelineSettings settings) {
        ArtifactManifest resolved = withAbsoluteDisks(manifest, manifestPath);
        Path outputDir = DirectConversion.outputDirectory(resolved, manifestPath);
        return DirectConversion.plan(
                        resolved, JobId.generate(clock), outputDir, settings.targetFormat())
                .stream()
                .map(DirectConversion.Target::image)
                .filter(Files::exists)
                .toList();
    }

    /** Every target is new, or (with replaceImages) what a previous run left is removed first. */
    private void prepareTargets(List<DirectConversion.Target> plan) {
        if (!replaceImages) {
            DirectConversion.requireNew(plan);
            return;
        }
        for (DirectConversion.Target t : plan) {
            try {
                if (Files.deleteIfExists(t.image())) {
                    LOG.info("replacing {} (replaceImages is on)", t.image());
                }
            } catch (java.io.IOException e) {
                throw new PreflightException(
                        "cannot replace "
                                + t.image()
                                + ": "
                                + e.getMessage()
                                + ": remove it or fix the directory's permissions");
            }
        }
    }

    private static String outcomeText(ConversionOutcome o) {
        if (o instanceof ConversionOutcome.Failed f) {
            return "failed: " + f.message();
        }
        if (o instanceof ConversionOutcome.TimedOut t) {
            return "timed out after "
                    + t.after().toSeconds()
                    + " s"
                    + (t.claimed() ? " (claimed by the daemon)" : "");
        }
        if (o instanceof ConversionOutcome.Cancelled c) {
            return "cancelled" + (c.claimed() ? " (claimed by the daemon)" : "");
        }
        return "converted";
    }

    private record DaemonRun(DirectConversion.Outcome outcome, String detail, JobId jobId) {}

    /**
     * The spool of the decision: remote, from the spool's descriptor; else from the unit's
     * Environment (explicit settings win in both).
     */
    private static SpoolDirectories spoolDirectories(
            Hyper2KvmSettings h, ModeDetector.Decision decision) {
        try {
            if (decision.descriptor().isPresent()) {
                SpoolDescriptor d = decision.descriptor().get();
                Path watch = h.watchDirOrDefault();
                return SpoolDirectories.resolve(
                        h,
                        "spool descriptor " + SpoolDescriptor.file(watch),
                        Map.of(
                                SpoolDirectories.WATCH_DIR,
                                watch.toString(),
                                SpoolDirectories.OUTPUT_DIR,
                                d.outputDir().toString(),
                                SpoolDirectories.QUEUE_LAYOUT,
                                d.layout().id()));
            }
            return SpoolDirectories.resolve(
                    h,
                    decision.unit().map(UnitStatus::id).orElse("the unit"),
                    decision.unit().map(UnitStatus::environment).orElse(Map.of()));
        } catch (SpoolEnvironmentException e) {
            throw new PreflightException(e.getMessage());
        }
    }

    private DaemonRun daemon(
            ArtifactManifest manifest,
            JobId jobId,
            Path outputDir,
            PipelineSettings settings,
            ModeDetector.Decision decision,
            ProgressListener listener,
            Cancellation cancellation) {
        Hyper2KvmSettings h = settings.hyper2kvm();
        SpoolDirectories dirs = spoolDirectories(h, decision);
        if (h.noWait() && dirs.layout() != QueueLayout.WORKFLOW) {
            throw new PreflightException(
                    SettingText.of(
                                    "not waiting for the daemon needs the workflow queue layout"
                                            + " (this spool speaks "
                                            + dirs.layout().id()
                                            + ", whose daemon converts only the boot disk and"
                                            + " keeps no job under its id): ")
                            .set(Setting.HYPER2KVM_QUEUE_LAYOUT, "workflow")
                            .text(" if the daemon speaks it, or wait for the result"));
        }
        ArtifactManifest submitted =
                manifest.toBuilder()
                        .pipeline(
                                PipelineStages.of(
                                        settings.inspect(),
                                        settings.fix(),
                                        settings.convert(),
                                        settings.validate(),
                                        settings.compress(),
                                        settings.compressLevel()))
                        .output(
                                new OutputSpec(
                                        Optional.empty(),
                                        Optional.of(settings.targetFormat().id()),
                                        Optional.empty()))
                        .build();
        DaemonPreflight.using(posix.get()).check(dirs, submitted, decision.unit());
        Duration poll = pollIntervalOverride.orElse(h.pollInterval());
        Duration timeout = daemonTimeoutOverride.orElse(h.daemonTimeout());
        UnitName unit = ModeDetector.unitName(h);
        DaemonSpool spool =
                spools.computeIfAbsent(
                        unit
                                + "|"
                                + dirs.layout().id()
                                + "|"
                                + dirs.watchDir()
                                + "|"
                                + dirs.outputDir()
                                + "|"
                                + poll.toNanos()
                                + "|"
                                + h.pollOnly()
                                + "|"
                                + h.remote(),
                        k ->
                                DaemonSpool.builder()
                                        .layout(dirs.layout())
                                        .watchDir(dirs.watchDir())
                                        .outputDir(dirs.outputDir())
                                        .pollInterval(poll)
                                        .pollOnly(h.pollOnly() || h.remote())
                                        .health(
                                                h.remote()
                                                        ? () ->
                                                                RemoteSpool.heartbeatGone(
                                                                        dirs.watchDir(), clock)
                                                        : () -> unitGone(unit),
                                                max(poll, HEALTH_CHECK_MIN))
                                        .clock(clock)
                                        .build());
        String detail =
                "spool " + dirs.watchDir() + " (" + dirs.origin() + "), " + spool.watchMode();

        if (dirs.layout() == QueueLayout.DISK_WATCH && !diskWatchAccepts(manifest.bootDisk())) {
            throw new PreflightException(
                    "the disk-watch daemon does not take "
                            + manifest.bootDisk().sourceFormat().id()
                            + " disks ("
                            + manifest.bootDisk().localPath()
                            + "): use the workflow layout or direct mode");
        }
        List<Path> dataImages = List.of();
        DirectConversion local;
        if (!spool.convertsAllDisks() && manifest.disks().size() > 1) {
            // flat and disk-watch daemons convert the boot disk only: the data disks are ours
            List<DirectConversion.Target> plan =
                    DirectConversion.plan(manifest, jobId, outputDir, settings.targetFormat());
            List<DirectConversion.Target> data = plan.subList(1, plan.size());
            prepareTargets(data);
            local =
                    new DirectConversion(
                            runner, Executables.qemuImg(qemuImg, searchPath), environment);
            DirectConversion.Outcome o =
                    local.convert(
                            data,
                            Optional.empty(),
                            settings,
                            new ProcessStep.Deadline(timeout),
                            cancellation,
                            listener);
            if (!o.outcome().succeeded()) {
                return new DaemonRun(o, detail, jobId);
            }
            dataImages = o.images();
        }
        Optional<SpoolSubmission> existing = Optional.empty();
        if (h.remote() && spool.convertsAllDisks()) {
            RemoteJobs.Found found = RemoteJobs.find(spool, jobId);
            jobId = found.jobId();
            if (found.state().isPresent()) {
                String state = found.state().get().id();
                ProcessStep.emit(
                        listener,
                        new Notice(
                                Notice.Level.INFO,
                                "job "
                                        + jobId
                                        + " of this export is already "
                                        + state
                                        + " in "
                                        + detail
                                        + ": waiting for it instead of submitting it again"));
                if (h.noWait()) {
                    return queued(jobId, true, detail);
                }
                existing = spool.attach(jobId);
            }
        }
        SpoolSubmission submission;
        if (existing.isPresent()) {
            submission = existing.get();
        } else {
            ProcessStep.emit(
                    listener,
                    new Notice(Notice.Level.INFO, "submitting job " + jobId + " to " + detail));
            try {
                submission = spool.submit(jobId, submitted, cancellation);
            } catch (UncheckedIOException e) {
                removeAll(dataImages);
                return new DaemonRun(
                        new DirectConversion.Outcome(
                                new ConversionOutcome.Failed(e.getMessage()), List.of()),
                        detail,
                        jobId);
            } catch (CancelledException e) {
                removeAll(dataImages);
                return new DaemonRun(
                        new DirectConversion.Outcome(
                                new ConversionOutcome.Cancelled(false), List.of()),
                        detail,
                        jobId);
            }
            if (h.noWait()) {
                return queued(jobId, false, detail);
            }
        }
        SpoolResult r = spool.await(submission, timeout, cancellation, listener);
        if (!r.outcome().succeeded()) {
            removeAll(dataImages);
            return new DaemonRun(
                    new DirectConversion.Outcome(r.outcome(), List.of()), detail, jobId);
        }
        List<Path> images = new ArrayList<>(r.images());
        images.addAll(dataImages);
        return new DaemonRun(new DirectConversion.Outcome(r.outcome(), images), detail, jobId);
    }

    private static DaemonRun queued(JobId jobId, boolean alreadyThere, String detail) {
        return new DaemonRun(
                new DirectConversion.Outcome(
                        new ConversionOutcome.Queued(jobId, alreadyThere), List.of()),
                detail,
                jobId);
    }

    /** The unit's state when it is no longer active; empty while active or when unknown. */
    private Optional<String> unitGone(UnitName unit) {
        try {
            UnitStatus s = systemd.get().status(unit);
            if (s.isActive() || "activating".equals(s.activeState())) {
                return Optional.empty();
            }
            return Optional.of(
                    unit
                            + " is "
                            + s.activeState()
                            + (s.result().isEmpty() || "success".equals(s.result())
                                    ? ""
                                    : " (result " + s.result() + ")"));
        } catch (SystemdException e) {
            LOG.debug("daemon health check of {} failed: {}", unit, e.toString());
            return Optional.empty();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static boolean diskWatchAccepts(DiskArtifact d) {
        return switch (d.sourceFormat()) {
            case VMDK, RAW, VHD, VHDX -> true;
            default -> false;
        };
    }

    private static void removeAll(List<Path> files) {
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
            } catch (java.io.IOException e) {
                LOG.warn("cannot remove {}: {}", p, e.toString());
            }
        }
    }

    private static ArtifactManifest withAbsoluteDisks(ArtifactManifest m, Path manifestPath) {
        Path dir = manifestPath.toAbsolutePath().normalize().getParent();
        List<DiskArtifact> disks = new ArrayList<>();
        for (DiskArtifact d : m.disks()) {
            Path p = d.localPath().isAbsolute() ? d.localPath() : dir.resolve(d.localPath());
            disks.add(d.toBuilder().localPath(p.normalize()).build());
        }
        return m.toBuilder().disks(disks).build();
    }

    private static void requireDisks(ArtifactManifest m) {
        List<String> missing = new ArrayList<>();
        for (DiskArtifact d : m.disks()) {
            if (!Files.isRegularFile(d.localPath())) {
                missing.add(
                        "disk "
                                + d.id()
                                + " ("
                                + d.localPath()
                                + ") listed in the manifest "
                                + FileType.of(d.localPath()).phrase());
            }
        }
        if (!missing.isEmpty()) {
            throw new PreflightException(
                    String.join("; ", missing)
                            + ": re-run the export or point"
                            + " local_path in the manifest at the disk image file");
        }
    }

    /** Builds a {@link PipelineExecutor}. */
    public static final class Builder {
        private Supplier<SystemdClient> systemd = SystemdClient::create;
        private CommandRunner runner;
        private Clock clock = Clock.systemUTC();
        private LibvirtConnector libvirtConnector = LibvirtConnector.system();
        private Supplier<PosixAccess> posix = PosixAccess::system;
        private String searchPath = Optional.ofNullable(System.getenv("PATH")).orElse("");
        private Optional<Path> qemuImg = Optional.empty();
        private OvmfFirmware firmware = OvmfFirmware.system();
        private Optional<Duration> pollIntervalOverride = Optional.empty();
        private Optional<Duration> daemonTimeoutOverride = Optional.empty();
        private final Map<String, String> environment = new java.util.LinkedHashMap<>();
        private boolean replaceImages;

        private Builder() {}

        /**
         * Whether converted images a previous run left are replaced (default false: an existing
         * image is refused before anything is converted, see {@link #existingImages}).
         *
         * @param v replace them
         * @return this
         */
        public Builder replaceImages(boolean v) {
            this.replaceImages = v;
            return this;
        }

        /**
         * @param v the systemd client for mode detection (default: systemctl on PATH) @return this
         */
        public Builder systemdClient(SystemdClient v) {
            Objects.requireNonNull(v, "systemdClient");
            this.systemd = () -> v;
            return this;
        }

        /**
         * @param v runs hyper2kvm and qemu-img (default: {@link CommandRunner#create()}) @return
         *     this
         */
        public Builder commandRunner(CommandRunner v) {
            this.runner = Objects.requireNonNull(v, "commandRunner");
            return this;
        }

        /**
         * @param v clock for job ids and manifest timestamps @return this
         */
        public Builder clock(Clock v) {
            this.clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /**
         * @param v opens libvirt connections (default: libvirt-java {@code new
         *     Connect(uri)}) @return this
         */
        public Builder libvirtConnector(LibvirtConnector v) {
            this.libvirtConnector = Objects.requireNonNull(v, "libvirtConnector");
            return this;
        }

        /**
         * @param v POSIX access for the daemon pre-flight (default: native) @return this
         */
        public Builder posixAccess(PosixAccess v) {
            Objects.requireNonNull(v, "posixAccess");
            this.posix = () -> v;
            return this;
        }

        /**
         * @param v the PATH used to find hyper2kvm and qemu-img (default: this process's
         *     PATH) @return this
         */
        public Builder searchPath(String v) {
            this.searchPath = Objects.requireNonNull(v, "searchPath");
            return this;
        }

        /**
         * @param v the qemu-img executable (default: found on the search path) @return this
         */
        public Builder qemuImg(Path v) {
            this.qemuImg = Optional.of(v);
            return this;
        }

        /**
         * @param v where UEFI firmware is looked up (default: the host's) @return this
         */
        public Builder firmware(OvmfFirmware v) {
            this.firmware = Objects.requireNonNull(v, "firmware");
            return this;
        }

        /**
         * An environment variable for hyper2kvm and qemu-img (for example {@code
         * LIBGUESTFS_BACKEND_SETTINGS=force_tcg}); never put secrets here.
         *
         * @param name variable name
         * @param value value
         * @return this
         */
        public Builder environment(String name, String value) {
            environment.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /**
         * Replaces the daemon poll interval of every job's settings with any positive duration,
         * outside the 1-60 s range of {@code Hyper2KVMPollInterval}: for tests and benchmarks.
         *
         * @param v poll interval
         * @return this
         */
        public Builder pollIntervalOverride(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(
                        "poll interval override " + v + " must be positive");
            }
            this.pollIntervalOverride = Optional.of(v);
            return this;
        }

        /**
         * Replaces the daemon timeout of every job's settings with any positive duration, outside
         * the 1-240 min range of {@code Hyper2KVMDaemonTimeout}: for tests.
         *
         * @param v daemon timeout
         * @return this
         */
        public Builder daemonTimeoutOverride(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(
                        "daemon timeout override " + v + " must be positive");
            }
            this.daemonTimeoutOverride = Optional.of(v);
            return this;
        }

        /**
         * @return the executor
         */
        public PipelineExecutor build() {
            return new PipelineExecutor(this);
        }
    }
}
