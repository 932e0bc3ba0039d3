package io.hypersdk.provider.gcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Cloud Storage's JSON API on loopback, as far as a download needs it: object metadata ({@code GET
 * /storage/v1/b/B/o/O}: size, generation, crc32c, md5Hash), media ({@code ?alt=media}, honouring
 * {@code Range}, with {@code x-goog-hash}) and {@code DELETE}. Every request must carry the
 * double's bearer token. It can corrupt the next downloads (one flipped byte) and answer 503 a
 * number of times. No Cloud Storage emulator runs here: this is a scripted double of the wire
 * format, not Google's server. Public for the CLI's end-to-end tests.
 */
public final class GcsDouble implements AutoCloseable {
    private static final Pattern OBJECT = Pattern.compile("/storage/v1/b/([^/]+)/o/(.+)");

    private final HttpServer server;
    private final String token;
    private final Map<String, Path> objects = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final List<String> apiClients = new CopyOnWriteArrayList<>();
    private final AtomicInteger corrupt = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicInteger corruptTail = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong dropAfter =
            new java.util.concurrent.atomic.AtomicLong(-1);
    private final AtomicInteger stall = new AtomicInteger();
    private final AtomicInteger stalled = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong stallAfter =
            new java.util.concurrent.atomic.AtomicLong(-1);
    private final java.util.concurrent.CountDownLatch closing =
            new java.util.concurrent.CountDownLatch(1);

    public GcsDouble(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code file} as {@code gs://bucket/name}. */
    public GcsDouble put(String bucket, String name, Path file) {
        objects.put(bucket + "/" + name, file);
        return this;
    }

    /** Serves {@code file} under every object name of the bucket that ends with {@code suffix}. */
    public GcsDouble putAny(String bucket, String suffix, Path file) {
        objects.put(bucket + "/*" + suffix, file);
        return this;
    }

    /** The next {@code n} media downloads arrive with one byte flipped. */
    public GcsDouble corruptNext(int n) {
        corrupt.set(n);
        return this;
    }

    /**
     * The next {@code n} media downloads arrive with their last byte flipped (a tarball still
     * unpacks: the damage is in the gzip trailer, so only GCS's checksums can tell).
     */
    public GcsDouble corruptTailNext(int n) {
        corruptTail.set(n);
        return this;
    }

    /** The next media download closes its connection after {@code bytes} bytes of the body. */
    public GcsDouble dropNextAfter(long bytes) {
        dropAfter.set(bytes);
        return this;
    }

    /**
     * The next {@code n} media downloads send {@code bytes} bytes of the body and then stall (until
     * the client goes away or the double closes): a transfer that is cancelled mid-way.
     */
    public GcsDouble stallNextAfter(int n, long bytes) {
        stallAfter.set(bytes);
        stall.set(n);
        return this;
    }

    /** How many media downloads are stalled now (or were, until their client went away). */
    public int stalled() {
        return stalled.get();
    }

    /** The next {@code n} requests are answered 503. */
    public GcsDouble unavailableNext(int n) {
        unavailable.set(n);
        return this;
    }

    /** The {@code Range} header of every media request that had one, in order. */
    public List<String> ranges() {
        return List.copyOf(ranges);
    }

    /**
     * {@code METHOD path?query x-goog-api-client} of every request that was not a media download,
     * in order: which client library sent the metadata and delete calls.
     */
    public List<String> apiClients() {
        return List.copyOf(apiClients);
    }

    /** {@code METHOD path?query} of every request, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private Path find(String bucket, String name) {
        Path p = objects.get(bucket + "/" + name);
        if (p != null) {
            return p;
        }
        return objects.entrySet().stream()
                .filter(
                        e ->
                                e.getKey().startsWith(bucket + "/*")
                                        && name.endsWith(e.getKey().substring(bucket.length() + 2)))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String query =
                    x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery();
            String request =
                    x.getRequestMethod()
                            + " "
                            + x.getRequestURI().getRawPath()
                            + (query.isEmpty() ? "" : "?" + query);
            requests.add(request);
            if (!query.contains("alt=media")) {
                apiClients.add(request + " " + x.getRequestHeaders().getFirst("x-goog-api-client"));
            }
            if (!("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                error(x, 401, "Invalid Credentials");
                return;
            }
            if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                error(x, 503, "Service Unavailable");
                return;
            }
            Matcher m = OBJECT.matcher(x.getRequestURI().getRawPath());
            if (!m.matches()) {
                error(x, 404, "Not Found");
                return;
            }
            String bucket = m.group(1);
            String name = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
            Path file = find(bucket, name);
            if (file == null) {
                error(x, 404, "No such object: " + bucket + "/" + name);
                return;
            }
            switch (x.getRequestMethod()) {
                case "DELETE" -> {
                    objects.remove(bucket + "/" + name);
                    x.sendResponseHeaders(204, -1);
                }
                case "GET" -> {
                    if (query.contains("alt=media")) {
                        media(x, file);
                    } else {
                        byte[] json = metadata(bucket, name, file).getBytes(StandardCharsets.UTF_8);
                        x.getResponseHeaders()
                                .set("Content-Type", "application/json; charset=UTF-8");
                        x.sendResponseHeaders(200, json.length);
                        x.getResponseBody().write(json);
                    }
                }
                default -> error(x, 405, "Method Not Allowed");
            }
        }
    }

    private void media(HttpExchange x, Path file) throws IOException {
        long size = Files.size(file);
        long from = 0;
        long to = size - 1;
        String range = x.getRequestHeaders().getFirst("Range");
        int status = 200;
        if (range != null && range.startsWith("bytes=")) {
            ranges.add(range);
            String[] r = range.substring(6).split("-", -1);
            from = Long.parseLong(r[0]);
            to = r[1].isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(r[1]));
            status = 206;
            x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + size);
        }
        String[] hashes = hashes(file);
        x.getResponseHeaders().add("x-goog-hash", "crc32c=" + hashes[0]);
        x.getResponseHeaders().add("x-goog-hash", "md5=" + hashes[1]);
        x.getResponseHeaders().set("x-goog-stored-content-length", Long.toString(size));
        x.getResponseHeaders().set("Content-Type", "application/octet-stream");
        // GCS answers media with the object's ETag (what a resumed download sends in If-Range)
        x.getResponseHeaders().set("ETag", "\"CMDc9Yq3pIoDEAE=\"");
        x.getResponseHeaders().set("x-goog-generation", "1733529600123456");
        boolean flip = corrupt.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        boolean flipTail = corruptTail.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        long drop = dropAfter.getAndSet(-1);
        long stop = stall.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? stallAfter.get() : -1;
        long length = to - from + 1;
        x.sendResponseHeaders(status, length);
        try (FileChannel ch = FileChannel.open(file);
                OutputStream out = x.getResponseBody()) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long pos = from;
            boolean flipped = false;
            while (pos <= to) {
                buf.clear().limit((int) Math.min(buf.capacity(), to - pos + 1));
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                if (flip && !flipped) {
                    buf.array()[0] ^= 0x5a;
                    flipped = true;
                }
                if (flipTail && pos + n == size) {
                    buf.array()[n - 1] ^= 0x5a;
                }
                if (drop >= 0 && pos - from + n > drop) {
                    out.write(buf.array(), 0, (int) (drop - (pos - from)));
                    out.flush();
                    throw new IOException("dropped the connection on purpose");
                }
                if (stop >= 0 && pos - from + n > stop) {
                    out.write(buf.array(), 0, (int) (stop - (pos - from)));
                    out.flush();
                    stalled.incrementAndGet();
                    awaitClosing();
                    throw new IOException("stalled until the double closed");
                }
                out.write(buf.array(), 0, n);
                pos += n;
            }
        }
    }

    private static String metadata(String bucket, String name, Path file) throws IOException {
        String[] h = hashes(file);
        return "{\"kind\":\"storage#object\",\"id\":\""
                + bucket
                + "/"
                + name
                + "/1733529600123456\","
                + "\"name\":\""
                + name
                + "\",\"bucket\":\""
                + bucket
                + "\",\"generation\":\"1733529600123456\","
                + "\"metageneration\":\"1\",\"contentType\":\"application/octet-stream\",\"storageClass\":\"STANDARD\","
                + "\"size\":\""
                + Files.size(file)
                + "\",\"md5Hash\":\""
                + h[1]
                + "\",\"crc32c\":\""
                + h[0]
                + "\","
                + "\"etag\":\"CMDc9Yq3pIoDEAE=\",\"timeCreated\":\"2026-12-07T00:00:00.123Z\","
                + "\"updated\":\"2026-12-07T00:00:00.123Z\",\"timeStorageClassUpdated\":\"2026-12-07T00:00:00.123Z\"}";
    }

    private void awaitClosing() {
        try {
            closing.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {crc32c, md5}, base64 as GCS gives them. */
    static String[] hashes(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
                md5.update(buf, 0, n);
            }
        }
        return new String[] {
            Base64.getEncoder()
                    .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array()),
            Base64.getEncoder().encodeToString(md5.digest())
        };
    }

    private static void error(HttpExchange x, int code, String message) throws IOException {
        byte[] b =
                ("{\"error\":{\"code\":"
                                + code
                                + ",\"message\":\""
                                + message
                                + "\",\"errors\":[{\"message\":\""
                                + message
                                + "\",\"domain\":\"global\",\"reason\":\"x\"}]}}")
                        .getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        x.sendResponseHeaders(code, b.length);
        x.getResponseBody().write(b);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
