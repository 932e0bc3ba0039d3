package io.hypersdk.transfer;

import io.hypersdk.core.progress.ProgressListener;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One file's download: attempts, retries, resume, verification, rename into place. */
final class FileTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(FileTransfer.class);
    private static final Pattern CONTENT_RANGE =
            Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    /** Buffers per transfer: one being received and hashed, the others queued for the writer. */
    private static final int SLOTS = 4;

    /** The probe's first bytes are not timed: connection warm-up (TCP window, JIT). */
    private static final long PROBE_SKIP = 1L << 20;

    private static final Pattern CONTENT_RANGE_UNSATISFIED = Pattern.compile("bytes\\s+\\*/(\\d+)");

    /** Thrown when the transfer stops because of cancellation or a sibling's failure. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped", null, false, false);
        }
    }

    /** A failure worth retrying. */
    private static final class Transient extends Exception {
        private static final long serialVersionUID = 1L;
        final long retryAfterMillis;

        Transient(String message, Throwable cause, long retryAfterMillis) {
            super(message, cause);
            this.retryAfterMillis = retryAfterMillis;
        }
    }

    /** The partial file cannot be continued: delete it and start from byte 0. */
    private static final class StartOver extends Exception {
        private static final long serialVersionUID = 1L;

        StartOver(String message) {
            super(message);
        }
    }

    private final DownloadEngine engine;
    private final Http http;
    private final DownloadRequest request;
    private final BandwidthLimiter limiter;
    private final BooleanSupplier stopped;
    private final ProgressMeter meter;
    private final Path target;
    private final Path part;
    private final Path stateFile;
    private final String uriForLog;
    private final int alignment;

    private volatile Thread worker;
    private volatile Closeable connection;
    private volatile long lastActivityNanos;

    /** What the watchdog allows before dropping the connection: 0 none, else nanoseconds. */
    private volatile long allowedSilenceNanos;

    private volatile boolean stalled;

    FileTransfer(
            DownloadEngine engine,
            Http http,
            DownloadRequest request,
            ProgressListener listener,
            BandwidthLimiter limiter,
            BooleanSupplier stopped) {
        this.engine = engine;
        this.http = http;
        this.request = request;
        this.limiter = limiter;
        this.stopped = stopped;
        this.target = request.target().toAbsolutePath().normalize();
        String name = target.getFileName().toString();
        this.part = target.resolveSibling("." + name + ".part");
        this.stateFile = target.resolveSibling("." + name + ".part.state");
        this.uriForLog = DownloadRequest.redact(request.uri());
        this.alignment = PartWriter.alignmentFor(target, engine.directIo);
        this.meter = new ProgressMeter(name, listener, engine.clock, engine.progressInterval);
    }

    /** The partial file of a target, for tests and callers that clean up. */
    static Path partFileOf(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".part");
    }

    DownloadedFile run() {
        worker = Thread.currentThread();
        try {
            createParent();
            int failures = 0;
            int startOvers = 0;
            long highWater = 0;
            boolean allowResume = engine.resume;
            while (true) {
                checkStopped();
                Thread.interrupted(); // clear a stale interrupt from the stall watchdog
                stalled = false;
                try {
                    return attempt(allowResume);
                } catch (StartOver e) {
                    startOvers++;
                    LOG.info(
                            "{}: {}; starting over from byte 0",
                            target.getFileName(),
                            e.getMessage());
                    deletePartial();
                    if (startOvers > engine.maxAttempts) {
                        throw new DownloadException(
                                target,
                                "download of "
                                        + uriForLog
                                        + " to "
                                        + target
                                        + " kept failing ("
                                        + e.getMessage()
                                        + ") after "
                                        + startOvers
                                        + " fresh starts; check the server",
                                false,
                                null);
                    }
                } catch (Transient e) {
                    checkStopped();
                    long reached = currentPartSize();
                    if (reached > highWater) {
                        highWater = reached;
                        failures = 0;
                    }
                    failures++;
                    if (failures >= engine.maxAttempts) {
                        throw new DownloadException(
                                target,
                                "download of "
                                        + uriForLog
                                        + " to "
                                        + target
                                        + " failed after "
                                        + failures
                                        + " attempts without progress: "
                                        + e.getMessage()
                                        + (reached > 0
                                                ? "; the partial file ("
                                                        + reached
                                                        + " bytes) is kept, run again to resume"
                                                : "; nothing was written, run again once the server answers"),
                                true,
                                e.getCause());
                    }
                    long delay = backoffMillis(engine, failures, e.retryAfterMillis);
                    LOG.warn(
                            "{}: {}; retrying in {} ms (attempt {} of {})",
                            target.getFileName(),
                            e.getMessage(),
                            delay,
                            failures + 1,
                            engine.maxAttempts);
                    sleep(delay);
                }
            }
        } finally {
            worker = null;
        }
    }

    /** Closes the connection and interrupts the worker so a blocked read or sleep returns now. */
    void interrupt() {
        Http.closeQuietly(connection);
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * Called by the watchdog: drops a connection that answered nothing for the request timeout, or
     * whose body delivered nothing for the idle timeout.
     */
    void checkStalled() {
        long allowed = allowedSilenceNanos;
        if (allowed > 0 && System.nanoTime() - lastActivityNanos > allowed) {
            stalled = true;
            interrupt();
        }
    }

    private void watch(long nanos) {
        lastActivityNanos = System.nanoTime();
        allowedSilenceNanos = nanos;
    }

    private DownloadedFile attempt(boolean allowResume) throws Transient, StartOver {
        long offset = 0;
        Optional<ResumeState> saved = ResumeState.read(stateFile);
        if (allowResume
                && Files.isRegularFile(part)
                && saved.isPresent()
                && saved.get().sameResource(request.uri().toString())
                && (saved.get().ifRangeValidator().isPresent()
                        || request.expectedSha256().isPresent())) {
            offset = currentPartSize();
            long limit = request.expectedSize().orElse(saved.get().length().orElse(Long.MAX_VALUE));
            if (offset > limit) {
                throw new StartOver("partial file is larger than the file");
            }
            if (offset < limit) {
                offset -=
                        offset % alignment; // direct I/O continues at a block boundary (re-fetches
                // < 1 block)
            }
        } else {
            deletePartial();
        }

        Map<String, String> range = new LinkedHashMap<>();
        if (offset > 0) {
            range.put("Range", "bytes=" + offset + "-");
            saved.flatMap(ResumeState::ifRangeValidator).ifPresent(v -> range.put("If-Range", v));
            LOG.info("{}: resuming at byte {}", target.getFileName(), offset);
        }
        // hash what the partial file holds before asking for the rest: for a disk of hundreds of
        // GiB
        // that takes minutes, and a server would drop a connection left idle that long
        MessageDigest prefix = offset > 0 ? hashPrefix(offset) : null;
        Http.Response response = send(range);
        try {
            return answer(response, offset, saved, prefix);
        } finally {
            allowedSilenceNanos = 0;
            connection = null;
            response.close();
        }
    }

    private DownloadedFile answer(
            Http.Response response, long offset, Optional<ResumeState> saved, MessageDigest prefix)
            throws Transient, StartOver {
        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        OptionalLong contentLength = response.contentLength();
        switch (status) {
            case 200:
                {
                    if (request.expectedSize().isPresent()
                            && contentLength.isPresent()
                            && contentLength.getAsLong() != request.expectedSize().getAsLong()) {
                        throw new DownloadException(
                                target,
                                "GET "
                                        + uriForLog
                                        + " announces "
                                        + contentLength.getAsLong()
                                        + " bytes but "
                                        + request.expectedSize().getAsLong()
                                        + " were expected; the source changed or the server is misconfigured",
                                false,
                                null);
                    }
                    if (offset > 0) {
                        LOG.info(
                                "{}: server answered 200 to a range request (range ignored or the file changed)",
                                target.getFileName());
                    }
                    OptionalLong total =
                            request.expectedSize().isPresent()
                                    ? request.expectedSize()
                                    : contentLength;
                    saveState(ResumeState.of(request.uri().toString(), headers, total));
                    return stream(response, 0, sha256(), total, false);
                }
            case 206:
                {
                    Matcher m =
                            CONTENT_RANGE.matcher(headers.firstValue("Content-Range").orElse(""));
                    if (offset == 0 || !m.matches() || Long.parseLong(m.group(1)) != offset) {
                        throw new StartOver(
                                "server answered 206 with Content-Range '"
                                        + headers.firstValue("Content-Range").orElse("")
                                        + "' to a request from byte "
                                        + offset);
                    }
                    Optional<String> etag = headers.firstValue("ETag");
                    if (saved.get().etag().isPresent()
                            && etag.isPresent()
                            && !etag.equals(saved.get().etag())) {
                        throw new StartOver(
                                "the file changed on the server (ETag "
                                        + saved.get().etag().get()
                                        + " -> "
                                        + etag.get()
                                        + ")");
                    }
                    OptionalLong total = request.expectedSize();
                    if (total.isEmpty() && !m.group(3).equals("*")) {
                        total = OptionalLong.of(Long.parseLong(m.group(3)));
                    }
                    return stream(response, offset, prefix, total, true);
                }
            case 416:
                {
                    if (offset == 0) {
                        throw new DownloadException(
                                target,
                                "GET "
                                        + uriForLog
                                        + " answered 416 Range Not Satisfiable to a request without a range; check the server",
                                false,
                                null);
                    }
                    Matcher m =
                            CONTENT_RANGE_UNSATISFIED.matcher(
                                    headers.firstValue("Content-Range").orElse(""));
                    long total =
                            m.matches()
                                    ? Long.parseLong(m.group(1))
                                    : request.expectedSize().orElse(-1);
                    if (total == offset) {
                        LOG.info(
                                "{}: server answered 416; the partial file already holds all {} bytes",
                                target.getFileName(),
                                total);
                        meter.start(offset, total);
                        return complete(offset, HexFormat.of().formatHex(prefix.digest()), true);
                    }
                    throw new StartOver(
                            "server answered 416 to a resume at byte "
                                    + offset
                                    + " (file size "
                                    + (total < 0 ? "unknown" : total)
                                    + ")");
                }
            default:
                if (status == 408
                        || status == 425
                        || status == 429
                        || status == 500
                        || status == 502
                        || status == 503
                        || status == 504) {
                    throw new Transient(
                            "server answered " + status, null, retryAfterMillis(headers));
                }
                throw new DownloadException(
                        target,
                        "GET " + uriForLog + " answered " + status + advice(status),
                        false,
                        null);
        }
    }

    /**
     * Connects, sends the request and reads the answer's headers, all under the request timeout.
     */
    private Http.Response send(Map<String, String> range) throws Transient {
        watch(engine.requestTimeout.toNanos());
        try {
            return http.get(
                    request.uri(),
                    request.headers(),
                    range,
                    c -> {
                        connection = c;
                        if (stopped.getAsBoolean()) {
                            Http.closeQuietly(
                                    c); // cancelled while connecting: interrupt() may have missed
                            // this one
                        }
                    });
        } catch (IllegalArgumentException e) {
            throw new DownloadException(
                    target, "cannot request " + uriForLog + ": " + e.getMessage(), false, e);
        } catch (IOException e) {
            checkStopped();
            if (untrusted(e)) {
                throw new DownloadException(
                        target,
                        "the TLS certificate of "
                                + request.uri().getHost()
                                + " is not trusted ("
                                + describe(e)
                                + "); give the engine an SSLContext that trusts it (the server's CA, or its pinned"
                                + " thumbprint), or check that the URL names the host the certificate is for",
                        false,
                        e);
            }
            String what =
                    stalled
                            ? "no answer within " + engine.requestTimeout.toSeconds() + " s"
                            : "request failed";
            throw new Transient(what + ": " + describe(e), e, 0);
        } finally {
            allowedSilenceNanos = 0;
        }
    }

    /**
     * Streams the body into the partial file: this thread receives into a buffer and hashes it, a
     * {@link PartWriter} writes the previous buffers meanwhile. Bytes that arrived before a dropped
     * connection are written too: they are valid data a later attempt resumes from.
     */
    private DownloadedFile stream(
            Http.Response response,
            long offset,
            MessageDigest digest,
            OptionalLong total,
            boolean resumed)
            throws Transient, StartOver {
        if (Thread.interrupted() || stalled) {
            // the watchdog or a cancellation hit just as the headers arrived: file operations on
            // this
            // thread would fail with ClosedByInterruptException and look like a disk error
            checkStopped();
            throw new Transient(
                    "no answer within " + engine.requestTimeout.toSeconds() + " s", null, 0);
        }
        long received = 0;
        meter.start(offset, total.orElse(-1));
        PartWriter writer = openPart(offset);
        Optional<String> rangeValidator = rangeValidator(response, offset, total);
        // adaptive: one connection brings the probe, then the choice (probing until then)
        boolean probing = engine.adaptiveConnections && rangeValidator.isPresent();
        ParallelRanges ranges =
                rangeValidator.isPresent() && !probing
                        ? parallelRanges(
                                rangeValidator.get(), offset + ParallelRanges.SEGMENT, total)
                        : null;
        long firstEnd =
                probing
                        ? offset + DownloadEngine.ADAPTIVE_PROBE
                        : ranges == null
                                ? Long.MAX_VALUE
                                : Math.min(total.getAsLong(), offset + ParallelRanges.SEGMENT);
        // when the probe's timed part began (after its first MiB): the probe is timed by the
        // clock, not by the time spent inside reads, because a server that paces its sends
        // (a per-connection cap) hands over each burst at memory speed, so the reads alone
        // looked like 586 MiB/s on a 50 MiB/s connection (transfer-bench.sh ranged)
        long probeStart = 0;
        long probeFrom = offset + PROBE_SKIP;
        // a first window found slow gets a second one before the choice: a JVM that has only
        // just started (the interpreter, JIT compiles, two files on two cores) took the first
        // 8 MiB of an uncapped loopback connection at 83-145 MiB/s and chose 8 connections,
        // which cost 16-23 % there (transfer-bench.sh http, issue 15); a capped connection is
        // slow in both windows and pays 8 MiB more on one connection
        boolean secondWindow =
                probing
                        && total.isPresent()
                        && total.getAsLong() - offset - 2 * DownloadEngine.ADAPTIVE_PROBE
                                > 2L * ParallelRanges.SEGMENT;
        try {
            while (true) {
                ByteBuffer slot;
                allowedSilenceNanos = 0; // waiting for our own disk is not a stalled server
                try {
                    slot = writer.take();
                    watch(engine.idleTimeout.toNanos());
                } catch (IOException e) {
                    throw localFailure("cannot write " + part, e);
                } catch (InterruptedException e) {
                    checkStopped();
                    throw new Transient("interrupted", e, 0);
                }
                boolean eof = false;
                IOException lost = null;
                try {
                    // fill the whole buffer: one digest call and one write per buffer. Every read
                    // that
                    // returns bytes counts as activity, so a slow but live server is never taken
                    // for stalled.
                    while (slot.hasRemaining()) {
                        long at = offset + received + slot.position();
                        if (probing && at >= firstEnd) {
                            long rate =
                                    probeRate(
                                            firstEnd - probeFrom,
                                            probeStart == 0 ? 0 : System.nanoTime() - probeStart);
                            if (rate < engine.adaptiveThreshold && secondWindow) {
                                LOG.debug(
                                        "{}: one connection brought {} MiB/s; one more window",
                                        target.getFileName(),
                                        rate >> 20);
                                secondWindow = false;
                                probeFrom = firstEnd;
                                probeStart = System.nanoTime();
                                firstEnd += DownloadEngine.ADAPTIVE_PROBE;
                                continue;
                            }
                            probing = false;
                            if (rate < engine.adaptiveThreshold) {
                                ranges = parallelRanges(rangeValidator.get(), firstEnd, total);
                            } else {
                                firstEnd = Long.MAX_VALUE;
                            }
                            LOG.debug(
                                    "{}: one connection brought {} MiB/s; {} connections",
                                    target.getFileName(),
                                    rate >> 20,
                                    ranges == null ? 1 : engine.connectionsPerFile);
                        }
                        long t0 = System.nanoTime();
                        if (read(response, ranges, at, firstEnd, slot) < 0) {
                            eof = true;
                            break;
                        }
                        lastActivityNanos = System.nanoTime();
                        if (probing && probeStart == 0 && at >= probeFrom) {
                            probeStart = t0;
                        }
                    }
                } catch (IOException e) {
                    checkStopped();
                    lost = e; // keep what arrived before the failure: it is valid data
                }
                slot.flip();
                int n = slot.remaining();
                if (n == 0) {
                    writer.giveBack(slot);
                } else {
                    if (total.isPresent() && offset + received + n > total.getAsLong()) {
                        writer.giveBack(slot);
                        throw new StartOver(
                                "server sent more than the "
                                        + total.getAsLong()
                                        + " bytes announced");
                    }
                    allowedSilenceNanos =
                            0; // waiting for the bandwidth limit is not a stalled server
                    try {
                        limiter.acquire(n);
                    } catch (InterruptedException e) {
                        checkStopped();
                        Thread.interrupted();
                    }
                    watch(engine.idleTimeout.toNanos());
                    digest.update(slot);
                    slot.rewind();
                    writer.submit(slot);
                    received += n;
                    meter.advance(n);
                }
                checkStopped();
                if (lost instanceof ParallelRanges.Failure f && !stalled) {
                    if (f.changed) {
                        throw new StartOver(f.getMessage());
                    }
                    if (!f.retryable) {
                        throw new DownloadException(
                                target,
                                "GET " + uriForLog + ": " + f.getMessage() + "; check the server",
                                false,
                                f);
                    }
                }
                if (lost != null) {
                    throw lostConnection(offset + received, lost);
                }
                if (eof) {
                    break;
                }
            }
            allowedSilenceNanos = 0;
            try {
                writer.finish();
            } catch (InterruptedException e) {
                checkStopped();
                throw new Transient("interrupted while flushing " + part.getFileName(), e, 0);
            } catch (IOException e) {
                checkStopped();
                throw localFailure("cannot write " + part, e);
            }
        } finally {
            allowedSilenceNanos = 0;
            if (ranges != null) {
                ranges.close();
            }
            writer.close();
        }
        long size = offset + received;
        if (total.isPresent() && size < total.getAsLong()) {
            throw new Transient(
                    "connection closed at byte " + size + " of " + total.getAsLong(), null, 0);
        }
        return complete(size, HexFormat.of().formatHex(digest.digest()), resumed);
    }

    /**
     * The {@code If-Range} validator when this body may come over several ranged connections: only
     * with {@code connectionsPerFile > 1}, a known length of more than two segments left (adaptive:
     * after the probe), {@code Accept-Ranges: bytes} and a validator (ETag or Last-Modified) that
     * keeps every range on the same version of the file.
     */
    private Optional<String> rangeValidator(
            Http.Response response, long offset, OptionalLong total) {
        long before = engine.adaptiveConnections ? DownloadEngine.ADAPTIVE_PROBE : 0;
        if (engine.connectionsPerFile < 2
                || total.isEmpty()
                || total.getAsLong() - offset - before <= 2L * ParallelRanges.SEGMENT
                || !response.headers()
                        .firstValue("Accept-Ranges")
                        .orElse("")
                        .toLowerCase(java.util.Locale.ROOT)
                        .contains("bytes")) {
            return Optional.empty();
        }
        return ResumeState.of(request.uri().toString(), response.headers(), total)
                .ifRangeValidator();
    }

    /** {@code connectionsPerFile - 1} ranged workers for {@code [from, total)}. */
    private ParallelRanges parallelRanges(String validator, long from, OptionalLong total) {
        return new ParallelRanges(
                request.uri(),
                request.headers(),
                validator,
                http,
                from,
                total.getAsLong(),
                engine.connectionsPerFile - 1,
                Thread.currentThread().getName());
    }

    /** Bytes per second of a probe window of {@code bytes}, from the clock time it took. */
    private static long probeRate(long bytes, long nanos) {
        return nanos <= 0 ? Long.MAX_VALUE : (long) (bytes * 1e9 / nanos);
    }

    /**
     * The next body bytes in file order: from the response alone, or, with ranges, the first
     * segment from the response and the rest from the ranged connections.
     */
    private static int read(
            Http.Response response, ParallelRanges ranges, long at, long firstEnd, ByteBuffer slot)
            throws IOException {
        if (at < firstEnd) {
            int limit = slot.limit();
            slot.limit((int) Math.min(limit, slot.position() + (firstEnd - at)));
            try {
                return response.read(slot);
            } finally {
                slot.limit(limit);
            }
        }
        try {
            return ranges.read(slot);
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException("interrupted while waiting for a range");
        }
    }

    private DownloadedFile complete(long size, String sha256, boolean resumed) throws StartOver {
        if (request.expectedSize().isPresent() && size != request.expectedSize().getAsLong()) {
            if (resumed) {
                throw new StartOver(
                        "resumed file has "
                                + size
                                + " bytes, expected "
                                + request.expectedSize().getAsLong());
            }
            deletePartial();
            throw new DownloadException(
                    target,
                    "download of "
                            + uriForLog
                            + " has "
                            + size
                            + " bytes but "
                            + request.expectedSize().getAsLong()
                            + " were expected; the source changed or the server is misconfigured",
                    false,
                    null);
        }
        if (request.expectedSha256().isPresent()
                && !request.expectedSha256().get().equals(sha256)) {
            if (resumed) {
                throw new StartOver("resumed file does not match the expected SHA-256");
            }
            deletePartial();
            throw new DownloadException(
                    target,
                    "download of "
                            + uriForLog
                            + " has SHA-256 "
                            + sha256
                            + " but "
                            + request.expectedSha256().get()
                            + " was expected; the source changed or the transfer is corrupt",
                    false,
                    null);
        }
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
            Files.deleteIfExists(stateFile);
            fsyncDirectory(target.getParent());
        } catch (IOException e) {
            throw localFailure("cannot move " + part + " to " + target, e);
        }
        meter.finish(size);
        LOG.debug("{}: complete, {} bytes, sha256 {}", target.getFileName(), size, sha256);
        return new DownloadedFile(target, size, sha256);
    }

    private PartWriter openPart(long offset) {
        try {
            int slotSize = (engine.bufferSize + alignment - 1) / alignment * alignment;
            return new PartWriter(
                    part,
                    offset,
                    slotSize,
                    SLOTS,
                    alignment,
                    engine.sparse ? PartWriter.alignmentFor(part, true) : 0,
                    Thread.currentThread().getName() + "-writer");
        } catch (IOException e) {
            throw localFailure("cannot open " + part, e);
        }
    }

    private MessageDigest hashPrefix(long length) {
        MessageDigest md = sha256();
        byte[] buf = new byte[engine.bufferSize];
        try (InputStream in = Files.newInputStream(part)) {
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("partial file shorter than " + length + " bytes");
                }
                md.update(buf, 0, n);
                left -= n;
                checkStopped();
            }
        } catch (IOException e) {
            throw localFailure("cannot read " + part, e);
        }
        return md;
    }

    private void saveState(ResumeState state) {
        try {
            state.write(stateFile);
        } catch (IOException e) {
            throw localFailure("cannot write " + stateFile, e);
        }
    }

    private void createParent() {
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw localFailure("cannot create directory " + target.getParent(), e);
        }
        if (Files.isDirectory(target)) {
            throw new DownloadException(
                    target,
                    "download target " + target + " is a directory; choose a file name",
                    false,
                    null);
        }
    }

    private void deletePartial() {
        try {
            Files.deleteIfExists(part);
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            throw localFailure("cannot delete " + part, e);
        }
    }

    private long currentPartSize() {
        try {
            return Files.isRegularFile(part) ? Files.size(part) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private void checkStopped() {
        if (stopped.getAsBoolean()) {
            throw new Stopped();
        }
    }

    /** Sleeps for the backoff, in short slices so that cancellation is seen within 100 ms. */
    private void sleep(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            checkStopped();
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000L)));
            } catch (InterruptedException e) {
                // a stall-watchdog interrupt or cancellation: checked at the top of the loop
            }
        }
    }

    /**
     * Exponential backoff with jitter for the n-th failure, at least {@code Retry-After}, at most
     * the engine's maximum.
     */
    static long backoffMillis(DownloadEngine engine, int failures, long retryAfterMillis) {
        long initial = engine.initialBackoff.toMillis();
        long max = engine.maxBackoff.toMillis();
        long base = Math.min(max, initial << Math.min(20, failures - 1));
        long jittered =
                base / 2 + (base > 1 ? ThreadLocalRandom.current().nextLong(base / 2 + 1) : 0);
        return Math.min(max, Math.max(jittered, retryAfterMillis));
    }

    /** {@code Retry-After} in seconds, as milliseconds; 0 when absent or a date. */
    static long retryAfterMillis(HttpHeaders headers) {
        Optional<String> v = headers.firstValue("Retry-After");
        if (v.isPresent() && v.get().trim().matches("\\d{1,6}")) {
            return Long.parseLong(v.get().trim()) * 1000;
        }
        return 0;
    }

    private static String advice(int status) {
        switch (status) {
            case 401:
            case 403:
                return " ("
                        + (status == 401 ? "Unauthorized" : "Forbidden")
                        + "): the session or ticket expired or may not read this file; reconnect and export again";
            case 407:
                return " (Proxy Authentication Required): the proxy wants credentials, which the download engine does not"
                        + " send; let it through, or give the engine a ProxySelector that chooses no proxy for this host";
            case 404:
            case 410:
                return " (Not Found): the file is gone; check that the export lease is still valid and the disk exists";
            default:
                return "; this is not retried, check the server";
        }
    }

    private Transient lostConnection(long at, IOException e) {
        String what =
                stalled
                        ? "no data for "
                                + (engine.idleTimeout.toMillis() < 1000
                                        ? engine.idleTimeout.toMillis() + " ms"
                                        : engine.idleTimeout.toSeconds() + " s")
                        : "connection lost";
        return new Transient(what + " after " + at + " bytes: " + describe(e), e, 0);
    }

    private DownloadException localFailure(String what, IOException e) {
        checkStopped(); // an interrupted channel after cancellation or a sibling's failure is no
        // disk error
        return new DownloadException(
                target,
                what
                        + ": "
                        + describe(e)
                        + "; check free space and permissions of "
                        + target.getParent(),
                false,
                e);
    }

    /** A certificate or host name the TLS context rejects: retrying cannot help. */
    private static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }
}
