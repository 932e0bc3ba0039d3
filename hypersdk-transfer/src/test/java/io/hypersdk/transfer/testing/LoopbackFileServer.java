package io.hypersdk.transfer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP file server (JDK {@code com.sun.net.httpserver}) for download tests and the
 * benchmark. Serves {@link Content} with ETag, Range and If-Range like a real server, and can
 * misbehave on request: drop the connection mid-body, ignore Range (200), answer 416, change the
 * content (and its ETag), ignore If-Range, stall, be slow, answer an error status. Every request is
 * recorded. Shared with other modules through this module's test-jar.
 */
public final class LoopbackFileServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    /** One request as the server saw it ({@code clientPort}: which connection it came on). */
    public record Request(
            String path,
            Optional<String> range,
            Optional<String> ifRange,
            int status,
            long bodyBytesSent,
            int clientPort) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private final List<Request> requests = new ArrayList<>();

    /** Requests in flight per client port (a connection); see {@link #maxConcurrentRequests}. */
    private final Map<Integer, Integer> inFlight = new HashMap<>();

    private int maxActive;

    private LoopbackFileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        executor =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "loopback-file-server");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Serves generated content until killed, for the benchmark: {@code LoopbackFileServer
     * /a.vmdk=SIZE:SEED ...}; prints {@code PORT <n>} when ready.
     */
    public static void main(String[] args) throws Exception {
        LoopbackFileServer server = start();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            String[] sizeSeed = kv[1].split(":", 2);
            server.serve(
                    kv[0],
                    Content.generated(Long.parseLong(sizeSeed[0]), Long.parseLong(sizeSeed[1])));
        }
        System.out.println("PORT " + server.server.getAddress().getPort());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Starts a server on 127.0.0.1 and an ephemeral port. */
    public static LoopbackFileServer start() throws IOException {
        return new LoopbackFileServer();
    }

    /**
     * Serves {@code content} at {@code path} (e.g. "/disk-0.vmdk"); returns its behaviour knobs.
     */
    public Behaviour serve(String path, Content content) {
        Resource r = new Resource(content);
        resources.put(path, r);
        return r.behaviour;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Every request in arrival order; one still being served shows the bytes sent so far as -1. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<Request> requests(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    private int record(Request r) {
        synchronized (requests) {
            requests.add(r);
            return requests.size() - 1;
        }
    }

    private void update(int index, Request r) {
        synchronized (requests) {
            requests.set(index, r);
        }
    }

    /**
     * The largest number of connections with a request in flight at the same time. Counted per
     * connection, not per handler thread: on a kept-alive connection the client may send its next
     * request, and the server dispatch it, before the previous handler thread has returned.
     */
    public int maxConcurrentRequests() {
        synchronized (inFlight) {
            return maxActive;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** What a resource serves. */
    public interface Content {
        long length();

        /** Writes bytes [from, to) to {@code out}, in chunks through {@code sink}. */
        void write(long from, long to, ChunkSink sink) throws IOException;

        /** SHA-256 of the whole content, hex. */
        default String sha256() throws IOException {
            MessageDigest md = sha();
            write(0, length(), (b, off, len) -> md.update(b, off, len));
            return HexFormat.of().formatHex(md.digest());
        }

        static Content of(byte[] bytes) {
            return new Content() {
                @Override
                public long length() {
                    return bytes.length;
                }

                @Override
                public void write(long from, long to, ChunkSink sink) throws IOException {
                    int chunk = 16 * 1024;
                    for (long p = from; p < to; p += chunk) {
                        sink.accept(bytes, (int) p, (int) Math.min(chunk, to - p));
                    }
                }
            };
        }

        /**
         * {@code length} bytes of reproducible pseudo-random data (seeded), generated on the fly: 1
         * MiB blocks of one random buffer, each block stamped with its index. Constant memory.
         */
        static Content generated(long length, long seed) {
            byte[] block = new byte[1 << 20];
            new java.util.Random(seed).nextBytes(block);
            return new Content() {
                @Override
                public long length() {
                    return length;
                }

                @Override
                public void write(long from, long to, ChunkSink sink) throws IOException {
                    byte[] buf = block.clone();
                    long p = from;
                    while (p < to) {
                        long blockIndex = p >>> 20;
                        ByteBuffer.wrap(buf).putLong(0, blockIndex ^ seed);
                        int off = (int) (p & ((1 << 20) - 1));
                        int len = (int) Math.min(buf.length - off, to - p);
                        sink.accept(buf, off, len);
                        p += len;
                    }
                }
            };
        }
    }

    /** Receives body chunks. */
    @FunctionalInterface
    public interface ChunkSink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    /** Fault knobs of one resource; thread-safe, may be changed while serving. */
    public static final class Behaviour {
        private volatile long dropAfterBytes = -1;
        private final AtomicInteger dropTimes = new AtomicInteger();
        private volatile boolean ignoreRange;
        private volatile boolean ignoreIfRange;
        private volatile boolean always416;
        private volatile boolean sendEtag = true;
        private volatile long bytesPerSecond;
        private volatile long stallAfterBytes = -1;
        private volatile long stallMillis;
        private final AtomicInteger stallTimes = new AtomicInteger();
        private volatile int errorStatus;
        private final AtomicInteger errorTimes = new AtomicInteger();
        private volatile String retryAfter;
        private volatile Content replacement;
        private volatile long replaceAfterRequests = -1;

        /** The next {@code times} responses close the connection after {@code bytes} body bytes. */
        public Behaviour dropAfter(long bytes, int times) {
            dropAfterBytes = bytes;
            dropTimes.set(times);
            return this;
        }

        /** Answer 200 with the whole body even to a Range request. */
        public Behaviour ignoreRange(boolean v) {
            ignoreRange = v;
            return this;
        }

        /** Answer 206 to a Range request even when If-Range does not match (a broken server). */
        public Behaviour ignoreIfRange(boolean v) {
            ignoreIfRange = v;
            return this;
        }

        /** Answer every Range request with 416. */
        public Behaviour always416(boolean v) {
            always416 = v;
            return this;
        }

        /** Send an ETag and Last-Modified (default) or neither. */
        public Behaviour validators(boolean v) {
            sendEtag = v;
            return this;
        }

        /** Send the body at about this rate (0 = as fast as possible). */
        public Behaviour bytesPerSecond(long v) {
            bytesPerSecond = v;
            return this;
        }

        /** The next {@code times} responses stop sending for {@code millis} after {@code bytes}. */
        public Behaviour stallAfter(long bytes, long millis, int times) {
            stallAfterBytes = bytes;
            stallMillis = millis;
            stallTimes.set(times);
            return this;
        }

        /** The next {@code times} requests get {@code status} (with Retry-After when given). */
        public Behaviour failWith(int status, int times, String retryAfterSeconds) {
            errorStatus = status;
            errorTimes.set(times);
            retryAfter = retryAfterSeconds;
            return this;
        }

        /** After {@code requests} more requests, serve {@code content} instead (new ETag). */
        public Behaviour replaceAfter(int requests, Content content) {
            replacement = content;
            replaceAfterRequests = requests;
            return this;
        }
    }

    private static final class Resource {
        final Behaviour behaviour = new Behaviour();
        volatile Content content;
        volatile int generation;
        final AtomicInteger served = new AtomicInteger();

        Resource(Content content) {
            this.content = content;
        }

        String etag() {
            return "\"g"
                    + generation
                    + "-"
                    + Integer.toHexString(System.identityHashCode(content))
                    + "\"";
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        int port = ex.getRemoteAddress().getPort();
        synchronized (inFlight) {
            inFlight.merge(port, 1, Integer::sum);
            maxActive = Math.max(maxActive, inFlight.size());
        }
        try {
            serveOne(ex);
        } finally {
            synchronized (inFlight) {
                inFlight.computeIfPresent(port, (k, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    private void serveOne(HttpExchange ex) throws IOException {
        int port = ex.getRemoteAddress().getPort();
        String path = ex.getRequestURI().getPath();
        Optional<String> range = Optional.ofNullable(ex.getRequestHeaders().getFirst("Range"));
        Optional<String> ifRange = Optional.ofNullable(ex.getRequestHeaders().getFirst("If-Range"));
        Resource res = resources.get(path);
        if (res == null) {
            record(new Request(path, range, ifRange, 404, 0, port));
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        Behaviour b = res.behaviour;
        int n = res.served.incrementAndGet();
        if (b.replaceAfterRequests >= 0 && n > b.replaceAfterRequests && b.replacement != null) {
            res.content = b.replacement;
            res.generation++;
            b.replacement = null;
            b.replaceAfterRequests = -1;
        }
        if (b.errorStatus != 0 && b.errorTimes.getAndUpdate(t -> Math.max(0, t - 1)) > 0) {
            record(new Request(path, range, ifRange, b.errorStatus, 0, port));
            if (b.retryAfter != null) {
                ex.getResponseHeaders().add("Retry-After", b.retryAfter);
            }
            ex.sendResponseHeaders(b.errorStatus, -1);
            ex.close();
            return;
        }
        Content content = res.content;
        long length = content.length();
        String etag = res.etag();
        if (b.sendEtag) {
            ex.getResponseHeaders().add("ETag", etag);
            ex.getResponseHeaders()
                    .add(
                            "Last-Modified",
                            "Thu, 01 Jan 2026 00:00:0" + Math.min(9, res.generation) + " GMT");
        }
        ex.getResponseHeaders().add("Accept-Ranges", "bytes");
        long from = 0;
        long to = length;
        int status = 200;
        Matcher m = range.map(RANGE::matcher).filter(Matcher::matches).orElse(null);
        boolean ifRangeOk =
                ifRange.isEmpty() || b.ignoreIfRange || (b.sendEtag && ifRange.get().equals(etag));
        if (m != null && !b.ignoreRange && ifRangeOk) {
            long start = Long.parseLong(m.group(1));
            if (b.always416 || start >= length) {
                record(new Request(path, range, ifRange, 416, 0, port));
                ex.getResponseHeaders().add("Content-Range", "bytes */" + length);
                ex.sendResponseHeaders(416, -1);
                ex.close();
                return;
            }
            long end =
                    m.group(2).isEmpty()
                            ? length - 1
                            : Math.min(length - 1, Long.parseLong(m.group(2)));
            from = start;
            to = end + 1;
            status = 206;
            ex.getResponseHeaders()
                    .add("Content-Range", "bytes " + from + "-" + end + "/" + length);
        }
        long bodyLength = to - from;
        int index = record(new Request(path, range, ifRange, status, -1, port));
        ex.sendResponseHeaders(status, bodyLength == 0 ? -1 : bodyLength);
        long dropAt =
                b.dropAfterBytes >= 0 && b.dropTimes.getAndUpdate(t -> Math.max(0, t - 1)) > 0
                        ? b.dropAfterBytes
                        : -1;
        long stallAt =
                b.stallAfterBytes >= 0 && b.stallTimes.getAndUpdate(t -> Math.max(0, t - 1)) > 0
                        ? b.stallAfterBytes
                        : -1;
        long[] sent = {0};
        long rate = b.bytesPerSecond;
        long startNanos = System.nanoTime();
        OutputStream os = ex.getResponseBody();
        try {
            content.write(
                    from,
                    to,
                    (buf, off, len) -> {
                        int remaining = len;
                        int o = off;
                        while (remaining > 0) {
                            int chunk = remaining;
                            if (dropAt >= 0 && sent[0] + chunk > dropAt) {
                                chunk = (int) (dropAt - sent[0]);
                            }
                            if (stallAt >= 0 && sent[0] < stallAt && sent[0] + chunk > stallAt) {
                                chunk = (int) (stallAt - sent[0]);
                            }
                            if (chunk > 0) {
                                os.write(buf, o, chunk);
                                sent[0] += chunk;
                                o += chunk;
                                remaining -= chunk;
                            }
                            if (dropAt >= 0 && sent[0] >= dropAt) {
                                os.flush();
                                throw new DroppedOnPurpose();
                            }
                            if (stallAt >= 0 && sent[0] == stallAt) {
                                os.flush();
                                sleep(b.stallMillis);
                            }
                            if (rate > 0) {
                                long due = startNanos + sent[0] * 1_000_000_000L / rate;
                                long wait = due - System.nanoTime();
                                if (wait > 0) {
                                    os.flush();
                                    sleep(wait / 1_000_000);
                                }
                            }
                        }
                    });
            os.close();
            update(index, new Request(path, range, ifRange, status, sent[0], port));
        } catch (DroppedOnPurpose e) {
            update(index, new Request(path, range, ifRange, status, sent[0], port));
            // a handler that throws makes the server close the connection mid-body
            throw new IOException("dropped on purpose after " + sent[0] + " bytes");
        } catch (IOException e) {
            update(index, new Request(path, range, ifRange, status, sent[0], port));
            throw e;
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static final class DroppedOnPurpose extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
