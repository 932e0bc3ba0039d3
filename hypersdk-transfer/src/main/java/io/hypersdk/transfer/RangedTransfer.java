package io.hypersdk.transfer;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.progress.ProgressListener;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link RangedDownloadRequest}: the ranges cut into chunks, {@code parallelism} workers each
 * fetching a chunk with a {@code Range} request and writing it at its offset into a sparse part
 * file; transient failures retried with backoff (honouring {@code Retry-After}); a 401/403 asks the
 * source for a renewed URL once per refused URL; on success fsync, SHA-256 of the whole file,
 * atomic rename. Not resumable across runs: a new run starts the part file again.
 */
final class RangedTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(RangedTransfer.class);

    /** The largest single GET: big enough to amortise a request, small enough to retry cheaply. */
    static final long CHUNK = 4L << 20;

    private static final int MAX_RENEWALS = 10;

    private final DownloadEngine engine;
    private final RangedDownloadRequest request;
    private final Cancellation cancellation;
    private final ProgressMeter meter;
    private final Path target;
    private final Path part;
    private final AtomicBoolean abort = new AtomicBoolean();
    private final List<Closeable> connections = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong transferred = new AtomicLong();
    private final AtomicInteger renewals = new AtomicInteger();
    private final BandwidthLimiter limiter;
    private volatile URI uri;

    RangedTransfer(
            DownloadEngine engine,
            RangedDownloadRequest request,
            ProgressListener listener,
            Cancellation cancellation) {
        this.engine = engine;
        this.request = request;
        this.cancellation = cancellation;
        this.target = request.target().toAbsolutePath().normalize();
        this.part = FileTransfer.partFileOf(target);
        this.meter =
                new ProgressMeter(
                        target.getFileName().toString(),
                        listener,
                        engine.clock,
                        engine.progressInterval);
        this.uri = request.source().uri();
        this.limiter =
                engine.bandwidthLimit.isPresent()
                        ? new BandwidthLimiter(engine.bandwidthLimit.getAsLong())
                        : BandwidthLimiter.unlimited();
    }

    /** Bytes received from the server so far (the ranges, not the holes). */
    long transferred() {
        return transferred.get();
    }

    DownloadedFile run() {
        cancellation.throwIfCancelled();
        ConcurrentLinkedQueue<RangedDownloadRequest.Range> chunks =
                new ConcurrentLinkedQueue<>(chunks(request.ranges()));
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(part);
        } catch (IOException e) {
            throw localFailure("cannot prepare " + part, e);
        }
        meter.start(0, request.rangeBytes());
        int threads = (int) Math.max(1, Math.min(engine.parallelism, chunks.size()));
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "hypersdk-ranged-" + target.getFileName());
                            t.setDaemon(true);
                            return t;
                        });
        Cancellation.Registration reg = cancellation.onCancel(this::stopAll);
        try (Http http = new Http(engine.http, threads);
                FileChannel ch =
                        FileChannel.open(
                                part,
                                StandardOpenOption.CREATE_NEW,
                                StandardOpenOption.WRITE,
                                StandardOpenOption.SPARSE)) {
            ch.truncate(0);
            if (request.size() > 0) {
                ch.write(
                        ByteBuffer.allocate(1),
                        request.size() - 1); // the file's size; the rest stays a hole
            }
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                workers.add(pool.submit(() -> work(http, chunks, ch)));
            }
            RuntimeException failure = null;
            for (Future<?> f : workers) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    RuntimeException re =
                            e.getCause() instanceof RuntimeException r
                                    ? r
                                    : new DownloadException(
                                            target,
                                            "download of " + target + " failed: " + e.getCause(),
                                            false,
                                            e.getCause());
                    if (re instanceof Stopped) {
                        continue;
                    }
                    if (failure == null) {
                        failure = re;
                        stopAll();
                    } else {
                        failure.addSuppressed(re);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopAll();
                    throw new CancelledException("download interrupted");
                }
            }
            if (failure != null) {
                throw failure;
            }
            cancellation.throwIfCancelled();
            ch.force(true);
        } catch (IOException e) {
            throw localFailure("cannot write " + part, e);
        } finally {
            reg.close();
            pool.shutdownNow();
        }
        String sha = sha256(part);
        try {
            try {
                Files.move(
                        part,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw localFailure("cannot move " + part + " to " + target, e);
        }
        meter.finish(request.rangeBytes());
        LOG.debug(
                "{}: {} of {} bytes transferred (page ranges), sha256 {}",
                target.getFileName(),
                transferred.get(),
                request.size(),
                sha);
        return new DownloadedFile(target, request.size(), sha);
    }

    private void stopAll() {
        abort.set(true);
        connections.forEach(Http::closeQuietly);
    }

    /** A worker: takes chunks until none are left or the transfer stops. */
    private void work(
            Http http, ConcurrentLinkedQueue<RangedDownloadRequest.Range> chunks, FileChannel ch) {
        ByteBuffer buf =
                ByteBuffer.allocateDirect(
                        Math.max(64 << 10, Math.min(engine.bufferSize, (int) CHUNK)));
        RangedDownloadRequest.Range c;
        while ((c = chunks.poll()) != null) {
            fetch(http, c, ch, buf);
        }
    }

    /**
     * Fetches one chunk, retrying transient failures; a partial answer continues where it stopped.
     */
    private void fetch(
            Http http, RangedDownloadRequest.Range chunk, FileChannel ch, ByteBuffer buf) {
        long pos = chunk.offset();
        long end = chunk.end();
        int failures = 0;
        while (pos < end) {
            checkStopped();
            URI current = uri;
            Closeable[] conn = new Closeable[1];
            long before = pos;
            long retryAfter = 0;
            String why;
            try (Http.Response r =
                    http.get(
                            current,
                            request.headers(),
                            Map.of("Range", "bytes=" + pos + "-" + (end - 1)),
                            c -> {
                                conn[0] = c;
                                connections.add(c);
                                if (abort.get() || cancellation.isCancelled()) {
                                    Http.closeQuietly(c);
                                }
                            })) {
                int status = r.statusCode();
                if (status == 206 || (status == 200 && pos == 0 && end == request.size())) {
                    pos = copy(r, ch, buf, pos, end);
                    continue;
                }
                if (status == 401 || status == 403) {
                    renew(current, status);
                    continue;
                }
                if (status == 408
                        || status == 425
                        || status == 429
                        || status >= 500 && status != 501) {
                    why = "server answered " + status;
                    retryAfter = FileTransfer.retryAfterMillis(r.headers());
                } else {
                    throw new DownloadException(
                            target,
                            "GET "
                                    + DownloadRequest.redact(current)
                                    + " (bytes "
                                    + pos
                                    + "-"
                                    + (end - 1)
                                    + ") answered "
                                    + status
                                    + "; this is not retried, check the server",
                            false,
                            null);
                }
            } catch (IOException e) {
                checkStopped();
                why =
                        "connection failed: "
                                + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : " " + e.getMessage());
            } finally {
                if (conn[0] != null) {
                    connections.remove(conn[0]);
                }
            }
            if (pos > before) {
                failures = 0; // got further: the attempts count again from here
                if (pos >= end) {
                    break;
                }
            }
            failures++;
            if (failures >= engine.maxAttempts) {
                throw new DownloadException(
                        target,
                        "download of "
                                + DownloadRequest.redact(current)
                                + " to "
                                + target
                                + " failed after "
                                + failures
                                + " attempts without progress ("
                                + why
                                + "); run the export again",
                        true,
                        null);
            }
            long delay = FileTransfer.backoffMillis(engine, failures, retryAfter);
            LOG.warn(
                    "{}: {}; retrying bytes {}-{} in {} ms",
                    target.getFileName(),
                    why,
                    pos,
                    end - 1,
                    delay);
            sleep(delay);
        }
    }

    /** Streams the body into the file at {@code pos}; returns the position reached. */
    private long copy(Http.Response r, FileChannel ch, ByteBuffer buf, long pos, long end)
            throws IOException {
        while (pos < end) {
            checkStopped();
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), end - pos));
            int n;
            try {
                n = r.read(buf);
            } catch (IOException e) {
                return pos; // keep what arrived; the caller retries from here
            }
            if (n < 0) {
                return pos;
            }
            buf.flip();
            try {
                limiter.acquire(n);
            } catch (InterruptedException e) {
                checkStopped();
            }
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
            transferred.addAndGet(n);
            synchronized (meter) {
                meter.advance(n);
            }
        }
        return pos;
    }

    private synchronized void renew(URI refused, int status) {
        if (uri != refused) {
            return; // another worker renewed it already
        }
        if (renewals.incrementAndGet() > MAX_RENEWALS) {
            throw new DownloadException(
                    target,
                    "GET "
                            + DownloadRequest.redact(refused)
                            + " answered "
                            + status
                            + " again after "
                            + MAX_RENEWALS
                            + " renewals of its URL; check the grant's permissions",
                    false,
                    null);
        }
        Optional<URI> fresh = request.source().renew(refused, status);
        if (fresh.isEmpty()) {
            throw new DownloadException(
                    target,
                    "GET "
                            + DownloadRequest.redact(refused)
                            + " answered "
                            + status
                            + (status == 401 ? " (Unauthorized)" : " (Forbidden)")
                            + ": the URL's grant expired or does not allow reading; ask for a new one and export again",
                    false,
                    null);
        }
        LOG.info(
                "{}: the URL was refused ({}); continuing with a renewed one",
                target.getFileName(),
                status);
        uri = fresh.get();
    }

    private void checkStopped() {
        if (abort.get() || cancellation.isCancelled()) {
            throw new Stopped();
        }
    }

    private void sleep(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            checkStopped();
            try {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000L)));
            } catch (InterruptedException e) {
                checkStopped();
            }
        }
    }

    /** The ranges cut into pieces of at most {@link #CHUNK} bytes. */
    static List<RangedDownloadRequest.Range> chunks(List<RangedDownloadRequest.Range> ranges) {
        List<RangedDownloadRequest.Range> out = new ArrayList<>();
        for (RangedDownloadRequest.Range r : ranges) {
            for (long o = r.offset(); o < r.end(); o += CHUNK) {
                out.add(new RangedDownloadRequest.Range(o, Math.min(CHUNK, r.end() - o)));
            }
        }
        return out;
    }

    private String sha256(Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                checkStopped();
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        } catch (IOException e) {
            throw localFailure("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private DownloadException localFailure(String what, IOException e) {
        if (abort.get() || cancellation.isCancelled()) {
            throw new CancelledException("download cancelled");
        }
        return new DownloadException(
                target,
                what + ": " + e + "; check free space and permissions of " + target.getParent(),
                false,
                e);
    }

    /** The transfer stops because of cancellation or a sibling worker's failure. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped", null, false, false);
        }
    }
}
