package io.hypersdk.transfer;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes {@code [from, end)} of one object fetched over several persistent connections at once and
 * handed out in file order, so that the caller hashes and writes them exactly as it would one body
 * (one SHA-256 over the whole file, one sequential {@link PartWriter}, a part file that only ever
 * holds a contiguous prefix, hence resume unchanged).
 *
 * <p>The range is cut into {@value #SEGMENT}-byte segments; each of {@code connections} worker
 * threads takes the next segment, fetches it with {@code Range} + {@code If-Range} over its own
 * kept-alive connection (the engine call's pooled {@link Http} client) into a segment buffer, and
 * takes the next. The reader drains the lowest segment as its bytes arrive. There are {@code
 * connections + 1} segment buffers, so a worker that is ahead waits for a free buffer rather than
 * holding memory without bound; the lowest unread segment always has a buffer, so this never
 * deadlocks. Memory: {@code (connections + 1) x 4 MiB} outside the heap.
 *
 * <p>A worker does not retry: its failure is reported when the reader reaches that segment, and the
 * caller's usual retry resumes from what the part file holds.
 */
final class ParallelRanges implements Closeable {

    /** Bytes per ranged GET. */
    static final int SEGMENT = 4 << 20;

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/.*");

    /** A segment could not be fetched. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        /** The object changed (the server ignored {@code If-Range} and sent it whole). */
        final boolean changed;

        /** Worth retrying (a dropped connection, 408/429/5xx). */
        final boolean retryable;

        Failure(String message, boolean changed, boolean retryable, Throwable cause) {
            super(message, cause);
            this.changed = changed;
            this.retryable = retryable;
        }
    }

    private static final class Segment {
        final long offset;
        final int length;
        final ByteBuffer buffer;
        int filled;
        Failure failure;

        Segment(long offset, int length, ByteBuffer buffer) {
            this.offset = offset;
            this.length = length;
            this.buffer = buffer;
        }
    }

    private final URI uri;
    private final Map<String, String> headers;
    private final String validator;
    private final Http http;
    private final long from;
    private final long end;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final Map<Long, Segment> segments = new HashMap<>();
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final List<Thread> workers = new ArrayList<>();
    private long nextIndex;
    private long headIndex;
    private int headRead;
    private boolean closed;

    /**
     * Starts {@code connections} workers on {@code [from, end)}.
     *
     * @param validator the {@code If-Range} value (an ETag or Last-Modified date): every segment
     *     comes from the same version of the object, or the transfer starts over
     */
    ParallelRanges(
            URI uri,
            Map<String, String> headers,
            String validator,
            Http http,
            long from,
            long end,
            int connections,
            String threadName) {
        this.uri = uri;
        this.headers = headers;
        this.validator = validator;
        this.http = http;
        this.from = from;
        this.end = end;
        long count = (end - from + SEGMENT - 1) / SEGMENT;
        int threads = (int) Math.max(1, Math.min(connections, count));
        for (int i = 0; i <= threads; i++) {
            free.add(ByteBuffer.allocateDirect(SEGMENT));
        }
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, threadName + "-range-" + (i + 1));
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
    }

    /**
     * Copies the next bytes in file order into {@code dst}, waiting for them to arrive; -1 once
     * {@code end} is reached.
     *
     * @throws Failure the next segment could not be fetched
     * @throws InterruptedException the caller was interrupted (cancellation, a stalled server)
     */
    int read(ByteBuffer dst) throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                if (closed) {
                    throw new IOException("ranged transfer closed");
                }
                if (from + headIndex * SEGMENT >= end) {
                    return -1;
                }
                Segment s = segments.get(headIndex);
                if (s != null && s.filled > headRead) {
                    int n = Math.min(dst.remaining(), s.filled - headRead);
                    dst.put(s.buffer.slice(headRead, n));
                    headRead += n;
                    if (headRead == s.length) {
                        segments.remove(headIndex);
                        free.add(s.buffer);
                        headIndex++;
                        headRead = 0;
                        changed.signalAll();
                    }
                    return n;
                }
                if (s != null && s.failure != null) {
                    throw s.failure;
                }
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the workers and closes every connection. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        open.forEach(Http::closeQuietly);
        workers.forEach(Thread::interrupt);
    }

    private void work() {
        try {
            while (true) {
                Segment s;
                lock.lockInterruptibly();
                try {
                    while (!closed && free.isEmpty()) {
                        changed.await();
                    }
                    long offset = from + nextIndex * SEGMENT;
                    if (closed || offset >= end) {
                        return;
                    }
                    s = new Segment(offset, (int) Math.min(SEGMENT, end - offset), free.poll());
                    segments.put(nextIndex++, s);
                } finally {
                    lock.unlock();
                }
                Failure f = fetch(s);
                if (f != null) {
                    lock.lock();
                    try {
                        s.failure = f;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                    return; // the reader fails when it gets here; the rest are not needed
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Fetches one segment into its buffer; null when complete, else why not. */
    private Failure fetch(Segment s) {
        long last = s.offset + s.length - 1;
        Map<String, String> range = new LinkedHashMap<>();
        range.put("Range", "bytes=" + s.offset + "-" + last);
        range.put("If-Range", validator);
        Closeable[] conn = new Closeable[1];
        try (Http.Response r =
                http.get(
                        uri,
                        headers,
                        range,
                        c -> {
                            conn[0] = c;
                            open.add(c);
                            if (isClosed()) {
                                Http.closeQuietly(c);
                            }
                        })) {
            int status = r.statusCode();
            if (status == 200) {
                return new Failure(
                        "the file changed on the server (a range request got the whole file)",
                        true,
                        false,
                        null);
            }
            if (status != 206) {
                boolean retryable =
                        status == 408 || status == 425 || status == 429 || status >= 500;
                return new Failure(
                        "range request (bytes " + s.offset + "-" + last + ") answered " + status,
                        false,
                        retryable,
                        null);
            }
            Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
            if (!m.matches()
                    || Long.parseLong(m.group(1)) != s.offset
                    || Long.parseLong(m.group(2)) != last) {
                return new Failure(
                        "range request (bytes "
                                + s.offset
                                + "-"
                                + last
                                + ") answered Content-Range '"
                                + Http.printable(r.headers().firstValue("Content-Range").orElse(""))
                                + "'",
                        true,
                        false,
                        null);
            }
            ByteBuffer into = s.buffer.duplicate().clear().limit(s.length);
            while (into.hasRemaining()) {
                int n = r.read(into);
                if (n < 0) {
                    throw new java.io.EOFException(
                            "body ended " + into.remaining() + " bytes short");
                }
                lock.lock();
                try {
                    s.filled = into.position();
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            if (r.read(ByteBuffer.allocate(1)) >= 0) {
                return new Failure(
                        "range request (bytes " + s.offset + "-" + last + ") sent too much",
                        true,
                        false,
                        null);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return new Failure(
                    "range request (bytes "
                            + s.offset
                            + "-"
                            + last
                            + ") failed: "
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()),
                    false,
                    true,
                    e);
        } finally {
            if (conn[0] != null) {
                open.remove(conn[0]);
            }
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
