package io.hypersdk.pipeline.daemon;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.ManifestMetadata;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.pipeline.ConversionOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hyper2kvm daemon's spool, spoken in one {@link QueueLayout}: publishes jobs atomically under
 * their unique {@link JobId} and waits for that job's answer.
 *
 * <p>Completion is noticed through a {@link java.nio.file.WatchService} (inotify) and, whatever
 * happens, by a poll every {@link Builder#pollInterval(Duration) poll interval}; with {@link
 * Builder#pollOnly(boolean)} (or when the spool is on NFS/CIFS, where other hosts' changes raise no
 * events) only the poll runs. Results are matched by job id only. On timeout or cancellation an
 * unclaimed submission is withdrawn; a claimed one is left to the daemon and reported as claimed.
 *
 * <pre>{@code
 * DaemonSpool spool = DaemonSpool.builder().layout(QueueLayout.WORKFLOW)
 *     .watchDir(Path.of("/var/lib/hyper2kvm/queue")).outputDir(Path.of("/var/lib/hyper2kvm/output"))
 *     .build();
 * SpoolResult r = spool.run(JobId.generate(), manifest, Duration.ofMinutes(60), cancellation,
 *     ProgressListener.NONE);
 * }</pre>
 *
 * Thread-safe: one spool serves any number of concurrent jobs with one watch thread.
 */
public final class DaemonSpool {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonSpool.class);
    private static final Set<String> POLL_ONLY_FILE_SYSTEMS =
            Set.of(
                    "nfs",
                    "nfs4",
                    "cifs",
                    "smb3",
                    "smbfs",
                    "9p",
                    "fuse.sshfs",
                    "ceph",
                    "glusterfs",
                    "fuse.glusterfs",
                    "lustre",
                    "gpfs");

    private final Layout layout;
    private final Duration pollInterval;
    private final boolean pollOnly;
    private final String pollReason;
    private final Clock clock;
    private final SpoolMonitor monitor;
    private final java.util.function.Supplier<Optional<String>> health;
    private final Duration healthEvery;

    private DaemonSpool(Builder b) {
        this.health = b.health;
        this.healthEvery = b.healthEvery;
        this.layout = Layout.of(b.layout, b.watchDir, b.outputDir);
        this.pollInterval = b.pollInterval;
        this.clock = b.clock;
        boolean forced = b.pollOnly;
        String reason = forced ? "poll-only set" : "inotify";
        if (!forced) {
            Optional<String> fsType = fileStoreType(b.watchDir);
            if (fsType.isPresent() && needsPolling(fsType.get())) {
                forced = true;
                reason = "spool is on " + fsType.get() + " (no inotify for other hosts' changes)";
            }
        }
        this.pollOnly = forced;
        this.pollReason = reason;
        this.monitor = new SpoolMonitor(layout.roots(), forced);
    }

    /**
     * @return a builder (layout, watch and output directories are required)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether a file system of this type needs polling ({@code nfs}, {@code nfs4}, {@code cifs},
     * ...): inotify there does not see other clients' changes.
     *
     * @param fileStoreType {@link java.nio.file.FileStore#type()}
     * @return true for network file systems
     */
    public static boolean needsPolling(String fileStoreType) {
        return POLL_ONLY_FILE_SYSTEMS.contains(fileStoreType.toLowerCase(Locale.ROOT));
    }

    private static Optional<String> fileStoreType(Path dir) {
        try {
            return Optional.of(Files.getFileStore(dir).type());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * @return the layout spoken
     */
    public QueueLayout layout() {
        return layout.id();
    }

    /**
     * @return the watch (spool) directory
     */
    public Path watchDir() {
        return layout.watchDir;
    }

    /**
     * @return the daemon's output directory
     */
    public Path outputDir() {
        return layout.outputDir;
    }

    /**
     * @return whether only polling is used (forced, or a network file system)
     */
    public boolean pollOnly() {
        return pollOnly;
    }

    /**
     * @return why polling or inotify is used, for logs
     */
    public String watchMode() {
        return pollOnly
                ? "poll every " + pollInterval.toMillis() + " ms (" + pollReason + ")"
                : "inotify + poll every " + pollInterval.toMillis() + " ms";
    }

    /**
     * Whether the daemon of this layout converts every disk; when false it converts only the boot
     * disk and the caller converts data disks itself.
     *
     * @return true for {@code workflow}
     */
    public boolean convertsAllDisks() {
        return layout.convertsAllDisks();
    }

    /**
     * Publishes a job. The manifest's disk paths must be absolute; its {@code metadata.job_id} is
     * set to {@code jobId}.
     *
     * @param jobId a fresh, unique id
     * @param manifest the manifest to submit
     * @param cancellation checked while copying (disk-watch) and while waiting for a name (flat)
     * @return the submission, to pass to {@link #await} exactly once
     * @throws UncheckedIOException when the spool cannot be written
     * @throws CancelledException when cancelled before the job was published
     */
    public SpoolSubmission submit(
            JobId jobId, ArtifactManifest manifest, Cancellation cancellation) {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(cancellation, "cancellation");
        for (DiskArtifact d : manifest.disks()) {
            if (!d.localPath().isAbsolute()) {
                throw new IllegalArgumentException(
                        "disk "
                                + d.id()
                                + " has a relative local_path "
                                + d.localPath()
                                + ": the daemon resolves paths from its own directory; make it absolute");
            }
        }
        ManifestMetadata meta =
                manifest.metadata().orElse(ManifestMetadata.empty()).withJobId(jobId.value());
        if (meta.createdAt().isEmpty()) {
            meta = meta.withCreatedAt(clock.instant());
        }
        ArtifactManifest withId = manifest.toBuilder().metadata(meta).build();
        try {
            SpoolSubmission s =
                    layout.submit(jobId, withId, cancellation, clock.instant(), System.nanoTime());
            LOG.info("submitted job {} to {} ({})", jobId, s.file(), layout.id().id());
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot submit job " + jobId + " to " + layout.watchDir + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Waits for the daemon's answer to a submission, at most {@code timeout} from the moment it was
     * published.
     *
     * @param submission from {@link #submit}
     * @param timeout the daemon timeout, honoured exactly (not cut short by anything else)
     * @param cancellation wakes the wait at once when cancelled
     * @param listener receives notices (withdrawn, claimed)
     * @return the result
     */
    public SpoolResult await(
            SpoolSubmission submission,
            Duration timeout,
            Cancellation cancellation,
            ProgressListener listener) {
        Objects.requireNonNull(submission, "submission");
        long deadline = submission.submittedNanos + timeout.toNanos();
        long pollNanos = Math.max(1, pollInterval.toNanos());
        monitor.acquire();
        Cancellation.Registration reg = cancellation.onCancel(monitor::wakeAll);
        long lastHealth = System.nanoTime();
        try {
            while (true) {
                long seen = monitor.generation();
                Optional<Layout.Answer> answer = layout.probe(submission);
                if (answer.isPresent()) {
                    return answered(submission, answer.get());
                }
                if (cancellation.isCancelled()) {
                    return stop(submission, false, listener);
                }
                if (System.nanoTime() - lastHealth >= healthEvery.toNanos()) {
                    lastHealth = System.nanoTime();
                    Optional<String> gone = health.get();
                    if (gone.isPresent()) {
                        return daemonGone(submission, gone.get(), listener);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return stop(submission, true, listener);
                }
                try {
                    monitor.awaitChange(seen, Math.min(left, pollNanos));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return stop(submission, false, listener);
                }
            }
        } finally {
            reg.close();
            monitor.release();
            submission.nameLock.ifPresent(java.util.concurrent.Semaphore::release);
        }
    }

    /**
     * Where the job of this id stands in the spool: queued, running, converted (with its images),
     * failed (with the daemon's error) or unknown. Only the {@code workflow} layout keeps a job's
     * manifest under its id through every step, so only it can answer.
     *
     * @param jobId the job
     * @return where it is
     * @throws UnsupportedOperationException for the {@code flat} and {@code disk-watch} layouts
     */
    public SpoolJob find(JobId jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return workflow().find(jobId);
    }

    /**
     * Takes over the wait for a job that is already in the spool (submitted by another process, for
     * example an exporter that was killed): pass the result to {@link #await}, whose timeout then
     * counts from now.
     *
     * @param jobId the job
     * @return the submission; empty when the spool holds no job of that id
     * @throws UnsupportedOperationException for the {@code flat} and {@code disk-watch} layouts
     */
    public Optional<SpoolSubmission> attach(JobId jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return workflow().attach(jobId, clock.instant(), System.nanoTime());
    }

    private WorkflowLayout workflow() {
        if (layout instanceof WorkflowLayout w) {
            return w;
        }
        throw new UnsupportedOperationException(
                "finding a job by id needs the workflow queue layout; this spool speaks "
                        + layout.id().id()
                        + ", whose daemon does not keep the job's manifest under its id");
    }

    /**
     * {@link #submit} then {@link #await}.
     *
     * @param jobId a fresh, unique id
     * @param manifest the manifest (absolute disk paths)
     * @param timeout the daemon timeout
     * @param cancellation cancels the submission or the wait
     * @param listener receives notices
     * @return the result
     */
    public SpoolResult run(
            JobId jobId,
            ArtifactManifest manifest,
            Duration timeout,
            Cancellation cancellation,
            ProgressListener listener) {
        SpoolSubmission s;
        long start = System.nanoTime();
        try {
            s = submit(jobId, manifest, cancellation);
        } catch (CancelledException e) {
            return new SpoolResult(
                    new ConversionOutcome.Cancelled(false),
                    List.of(),
                    false,
                    Duration.ofNanos(System.nanoTime() - start));
        }
        return await(s, timeout, cancellation, listener);
    }

    private SpoolResult answered(SpoolSubmission s, Layout.Answer answer) {
        Duration waited = Duration.ofNanos(System.nanoTime() - s.submittedNanos);
        layout.afterAnswer(s, answer);
        if (answer instanceof Layout.Answer.Done done) {
            LOG.info("job {} converted by the daemon after {} ms", s.jobId(), waited.toMillis());
            return new SpoolResult(new ConversionOutcome.Converted(), done.images(), true, waited);
        }
        Layout.Answer.Error error = (Layout.Answer.Error) answer;
        LOG.warn("job {}: {}", s.jobId(), error.message());
        return new SpoolResult(
                new ConversionOutcome.Failed(error.message()), List.of(), true, waited);
    }

    /**
     * The daemon stopped while we waited: a distinct failure, the submission withdrawn if
     * unclaimed.
     */
    private SpoolResult daemonGone(SpoolSubmission s, String why, ProgressListener listener) {
        Optional<Layout.Answer> late = layout.probe(s);
        if (late.isPresent()) {
            return answered(s, late.get());
        }
        boolean withdrawn = !s.attached && layout.withdraw(s);
        if (withdrawn && layout instanceof WorkflowLayout w) {
            w.forget(s.jobId());
        }
        String msg =
                "the hyper2kvm daemon stopped while job "
                        + s.jobId()
                        + " waited: "
                        + why
                        + "; "
                        + (withdrawn
                                ? "the unclaimed submission was withdrawn; start the daemon and retry, or use"
                                        + " direct mode"
                                : "it had claimed the job, which was left in the spool ("
                                        + s.file()
                                        + "); check the"
                                        + " daemon's journal; once it runs again, hyperctl job wait "
                                        + s.jobId()
                                        + " --spool "
                                        + layout.watchDir
                                        + " waits for the result");
        LOG.warn(msg);
        safe(listener, new Notice(Notice.Level.ERROR, msg));
        return new SpoolResult(
                new ConversionOutcome.Failed(msg),
                List.of(),
                !withdrawn,
                Duration.ofNanos(System.nanoTime() - s.submittedNanos));
    }

    private SpoolResult stop(SpoolSubmission s, boolean timedOut, ProgressListener listener) {
        // a last look: an answer that arrived at the deadline still counts
        Optional<Layout.Answer> late = layout.probe(s);
        if (late.isPresent()) {
            return answered(s, late.get());
        }
        boolean withdrawn = !s.attached && layout.withdraw(s);
        if (withdrawn) {
            // the daemon may have answered between the probe and the withdrawal
            late = layout.probe(s);
            if (late.isPresent()) {
                return answered(s, late.get());
            }
            if (layout instanceof WorkflowLayout w) {
                w.forget(s.jobId());
            }
        }
        boolean claimed = s.attached ? layout.isClaimed(s) : !withdrawn;
        Duration waited = Duration.ofNanos(System.nanoTime() - s.submittedNanos);
        String what = timedOut ? "no answer from the daemon within the timeout" : "cancelled";
        String msg =
                "job "
                        + s.jobId()
                        + ": "
                        + what
                        + "; "
                        + (claimed
                                ? "the daemon had claimed it, so it was left in the spool ("
                                        + s.file()
                                        + ")"
                                : s.attached
                                        ? "it was left in the spool, not yet claimed ("
                                                + s.file()
                                                + ")"
                                        : "the unclaimed submission "
                                                + s.file()
                                                + " was withdrawn");
        LOG.warn(msg);
        safe(listener, new Notice(Notice.Level.WARNING, msg));
        ConversionOutcome outcome =
                timedOut
                        ? new ConversionOutcome.TimedOut(waited, claimed)
                        : new ConversionOutcome.Cancelled(claimed);
        return new SpoolResult(outcome, List.of(), claimed, waited);
    }

    static void safe(ProgressListener listener, io.hypersdk.core.progress.ProgressEvent e) {
        try {
            listener.onEvent(e);
        } catch (RuntimeException ex) {
            LOG.warn("progress listener failed: {}", ex.toString());
        }
    }

    /** Builds a {@link DaemonSpool}. */
    public static final class Builder {
        private QueueLayout layout;
        private Path watchDir;
        private Path outputDir;
        private Duration pollInterval = Duration.ofSeconds(5);
        private boolean pollOnly;
        private Clock clock = Clock.systemUTC();
        private java.util.function.Supplier<Optional<String>> health = Optional::empty;
        private Duration healthEvery = Duration.ofSeconds(5);

        private Builder() {}

        /**
         * A liveness check of the daemon, run at most every {@code every} while waiting: it returns
         * why the daemon is gone (e.g. "hyper2kvm.service is failed"), or empty while it runs. When
         * it reports the daemon gone the wait ends with a distinct failure instead of a timeout.
         *
         * @param check the check (must not throw)
         * @param every how often to run it
         * @return this
         */
        public Builder health(java.util.function.Supplier<Optional<String>> check, Duration every) {
            this.health = Objects.requireNonNull(check, "check");
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException(
                        "health check interval " + every + " must be positive");
            }
            this.healthEvery = every;
            return this;
        }

        /**
         * @param v the spool dialect @return this
         */
        public Builder layout(QueueLayout v) {
            this.layout = Objects.requireNonNull(v, "layout");
            return this;
        }

        /**
         * @param v the watch (spool) directory @return this
         */
        public Builder watchDir(Path v) {
            this.watchDir = Objects.requireNonNull(v, "watchDir").toAbsolutePath().normalize();
            return this;
        }

        /**
         * @param v the daemon's output directory @return this
         */
        public Builder outputDir(Path v) {
            this.outputDir = Objects.requireNonNull(v, "outputDir").toAbsolutePath().normalize();
            return this;
        }

        /**
         * The poll fallback interval (default 5 s). Unlike the user setting ({@code
         * Hyper2KVMPollInterval}, 1-60 s) any positive duration is accepted, so tests can poll
         * quickly.
         *
         * @param v a positive duration
         * @return this
         */
        public Builder pollInterval(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("poll interval " + v + " must be positive");
            }
            this.pollInterval = v;
            return this;
        }

        /**
         * @param v poll only, no inotify (for NFS; forced automatically on network file
         *     systems) @return this
         */
        public Builder pollOnly(boolean v) {
            this.pollOnly = v;
            return this;
        }

        /**
         * @param v the clock for submission times and metadata @return this
         */
        public Builder clock(Clock v) {
            this.clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /**
         * @return the spool
         */
        public DaemonSpool build() {
            if (layout == null || watchDir == null || outputDir == null) {
                throw new IllegalStateException("DaemonSpool needs layout, watchDir and outputDir");
            }
            return new DaemonSpool(this);
        }
    }
}
