package io.hypersdk.server;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.JobId;
import io.hypersdk.core.job.JobDefinition;
import io.hypersdk.core.job.JobProgress;
import io.hypersdk.core.job.JobResult;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues and runs jobs with bounded concurrency, keeps their state in the {@link JobStore}, and
 * publishes their events. On start, jobs the store shows as running (the server stopped under them)
 * become {@code interrupted}; pending ones are queued again.
 */
final class JobService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
    static final String INTERRUPTED_MESSAGE =
            "interrupted: the server stopped while the job was running; its output directory was kept";

    private final JobStore store;
    private final JobRunner runner;
    private final EventHub hub = new EventHub();
    private final ExecutorService workers;
    private final int maxConcurrent;
    private final Clock clock;
    private final Map<String, Cancellation> cancellations = new ConcurrentHashMap<>();
    private final Map<String, JobRecord> live = new ConcurrentHashMap<>();
    private final Instant startedAt;
    private volatile boolean closing;

    JobService(JobStore store, JobRunner runner, int maxConcurrent, Clock clock) {
        this.store = store;
        this.runner = runner;
        this.maxConcurrent = maxConcurrent;
        this.clock = clock;
        this.startedAt = clock.instant();
        AtomicInteger n = new AtomicInteger();
        this.workers =
                Executors.newFixedThreadPool(
                        maxConcurrent,
                        r -> {
                            Thread t = new Thread(r, "hypersdk-job-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        for (JobRecord r : store.inState(JobState.RUNNING)) {
            JobRecord done =
                    r.finished(
                            JobState.INTERRUPTED,
                            r.result(),
                            Optional.of(INTERRUPTED_MESSAGE),
                            clock.instant());
            store.update(done);
            LOG.warn("job {} was running when the server stopped: marked interrupted", r.id());
        }
        for (JobRecord r : store.inState(JobState.PENDING)) {
            enqueue(r);
        }
    }

    EventHub events() {
        return hub;
    }

    int maxConcurrent() {
        return maxConcurrent;
    }

    Instant startedAt() {
        return startedAt;
    }

    /** A fresh id for a job submitted without one. */
    static String newId() {
        return JobId.generate().value();
    }

    /**
     * Stores the job as pending and queues it.
     *
     * @return false when a job with that id exists (nothing is changed)
     */
    boolean submit(String id, JobDefinition d) {
        JobRecord r = JobRecord.pending(id, d.withId(id), clock.instant());
        if (!store.insert(r)) {
            return false;
        }
        enqueue(r);
        return true;
    }

    private void enqueue(JobRecord r) {
        Cancellation c = Cancellation.create();
        cancellations.put(r.id(), c);
        live.put(r.id(), r);
        workers.execute(() -> run(r.id(), c));
    }

    Optional<JobRecord> find(String id) {
        JobRecord r = live.get(id);
        return r != null ? Optional.of(r) : store.find(id);
    }

    List<JobRecord> all() {
        Map<String, JobRecord> out = new LinkedHashMap<>();
        for (JobRecord r : store.all()) {
            out.put(r.id(), live.getOrDefault(r.id(), r));
        }
        return List.copyOf(out.values());
    }

    /**
     * Queues an {@code interrupted}, {@code failed} or {@code cancelled} job again, with its
     * definition and id unchanged, so that it runs into the same output directory (the export
     * resumes what is already there). Its error and result are cleared; its history of being
     * created stays.
     *
     * @return the job as queued, or why it cannot be resumed (not found, still pending or running,
     *     already completed)
     */
    synchronized ResumeOutcome resume(String id) {
        if (closing) {
            return new ResumeOutcome.Refused(
                    503, "the server is stopping: resume job " + id + " after it starts again");
        }
        Optional<JobRecord> found = find(id);
        if (found.isEmpty()) {
            return new ResumeOutcome.Refused(404, "job " + id + " not found");
        }
        JobRecord r = found.get();
        if (!r.state().isFinal()) {
            return new ResumeOutcome.Refused(
                    409,
                    "job "
                            + id
                            + " is "
                            + r.state().id()
                            + ": only a job that has ended can be resumed");
        }
        if (r.state() == JobState.COMPLETED) {
            return new ResumeOutcome.Refused(
                    409, "job " + id + " is completed: submit it again to run it once more");
        }
        JobRecord queued = r.requeued(clock.instant());
        store.update(queued);
        LOG.info("job {} resumed (was {})", id, r.state().id());
        enqueue(queued);
        publishStatus(queued);
        return new ResumeOutcome.Queued(queued, runner.outputDirectory(id, r.definition()));
    }

    /**
     * Cancels a pending or running job.
     *
     * @return empty when cancelled (or cancelling), else why not
     */
    Optional<String> cancel(String id) {
        Optional<JobRecord> r = find(id);
        if (r.isEmpty()) {
            return Optional.of("job " + id + " not found");
        }
        if (r.get().state().isFinal()) {
            return Optional.of("job " + id + " is already " + r.get().state().id());
        }
        Cancellation c = cancellations.get(id);
        if (c == null) {
            return Optional.of("job " + id + " is not running on this server");
        }
        c.cancel();
        synchronized (this) {
            JobRecord cur = live.get(id);
            if (cur != null && cur.state() == JobState.PENDING) {
                finish(
                        cur,
                        JobState.CANCELLED,
                        Optional.empty(),
                        Optional.of("cancelled before it started"));
            }
        }
        return Optional.empty();
    }

    private void run(String id, Cancellation c) {
        JobRecord r;
        synchronized (this) {
            r = live.get(id);
            if (r == null || r.state() != JobState.PENDING) {
                return;
            }
            r = r.running(clock.instant());
            live.put(id, r);
            store.update(r);
        }
        publishStatus(r);
        Consumer<JobProgress> progress =
                p -> {
                    JobRecord cur =
                            live.computeIfPresent(id, (k, v) -> v.withProgress(p, clock.instant()));
                    if (cur != null) {
                        hub.publish(id, new JobEvent("progress", Progress.fields(p)));
                    }
                };
        Consumer<JobEvent> events = e -> hub.publish(id, e);
        try {
            JobResult result = runner.run(id, r.definition(), progress, events, c);
            JobState s =
                    result.success()
                            ? JobState.COMPLETED
                            : JobRunner.cancelled(result) ? JobState.CANCELLED : JobState.FAILED;
            finish(live.get(id), s, Optional.of(result), result.error());
        } catch (CancelledException e) {
            finish(
                    live.get(id),
                    JobState.CANCELLED,
                    Optional.empty(),
                    Optional.of("cancelled: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("job {} failed: {}", id, e.getMessage());
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            finish(
                    live.get(id),
                    c.isCancelled() ? JobState.CANCELLED : JobState.FAILED,
                    Optional.empty(),
                    Optional.of(msg));
        }
    }

    private synchronized void finish(
            JobRecord r, JobState s, Optional<JobResult> result, Optional<String> error) {
        if (r == null || r.state().isFinal()) {
            return;
        }
        if (closing && s != JobState.COMPLETED) {
            s = JobState.INTERRUPTED;
            error = Optional.of(INTERRUPTED_MESSAGE);
        }
        JobRecord done = r.finished(s, result, error, clock.instant());
        store.update(done);
        live.remove(r.id());
        cancellations.remove(r.id());
        result.ifPresent(x -> hub.publish(r.id(), new JobEvent("result", Map.of("result", x))));
        publishStatus(done);
    }

    private void publishStatus(JobRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", r.id());
        m.put("status", r.state().id());
        r.error().ifPresent(e -> m.put("error", e));
        hub.publish(r.id(), new JobEvent("status", m));
    }

    /**
     * Stops taking jobs and stops the running ones, which end {@code interrupted} (as after a
     * crash, when the next start finds them {@code running}); pending jobs stay queued in the
     * store.
     */
    @Override
    public void close() {
        closing = true;
        workers.shutdownNow();
        cancellations.forEach(
                (id, c) -> {
                    JobRecord r = live.get(id);
                    if (r != null && r.state() == JobState.RUNNING) {
                        c.cancel();
                    }
                });
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
