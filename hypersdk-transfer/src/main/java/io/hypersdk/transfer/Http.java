package io.hypersdk.transfer;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The download engine's HTTP/1.1 client, one per engine call: blocking {@code GET}s, bodies framed
 * by {@code Content-Length}, {@code chunked} or the end of the connection, interim answers skipped,
 * redirects followed within limits (at most {@value #MAX_REDIRECTS}, never from https to http, the
 * caller's headers only to the first origin), https tunnelled through an HTTP proxy with {@code
 * CONNECT}. Direct connections are kept alive: a connection whose answer was read to its end goes
 * back to this client's idle set (at most as many as the call can use at once) for the next request
 * to the same origin, so the ranged workers and retries pay one TCP connect and one TLS handshake,
 * not one per request. Plain {@code http} reads the socket straight into the caller's (direct)
 * buffer; {@code https} goes through an {@link SSLSocket} that checks the certificate and, unless
 * the context's trust manager does its own checks (a pinned thumbprint), the host name.
 *
 * <p>Hand-written, not Apache HttpClient, because of the module README's https benchmark: the
 * engine on HttpClient 5.6.5 ran at 0.87 of this client's rate in two runs of 8 rounds (the rule
 * was: within 10 %, use the library), and over plain http, where this client reads the socket into
 * the write buffer with no copy, at 0.62-0.77.
 */
final class Http implements Closeable {

    /** Longest status line or header line accepted. */
    static final int MAX_LINE = 16 * 1024;

    /** Most header bytes accepted in one response. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    /** Most redirects followed for one request. */
    static final int MAX_REDIRECTS = 5;

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: .*)?");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> SET_BY_CLIENT =
            Set.of(
                    "host",
                    "connection",
                    "content-length",
                    "transfer-encoding",
                    "expect",
                    "upgrade",
                    "te",
                    "accept-encoding");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /**
     * How connections are made.
     *
     * @param sslContext the TLS context, asked for when an https connection is made (the JVM's
     *     default context loads the CA store, about 0.2 s: a provider that never speaks https does
     *     not pay it)
     * @param proxySelector chooses an HTTP proxy per URI; null means always direct
     */
    record Settings(
            Supplier<SSLContext> sslContext,
            Duration connectTimeout,
            boolean followRedirects,
            ProxySelector proxySelector) {
        Settings {
            Objects.requireNonNull(sslContext, "sslContext");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
        }
    }

    /** A proxy refused the request for good (407: the engine does not authenticate to proxies). */
    static final class ProxyRefusedException extends IOException {
        private static final long serialVersionUID = 1L;

        ProxyRefusedException(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final int maxIdle;
    private final ArrayDeque<Wire> idle = new ArrayDeque<>();
    private boolean closed;
    private int reused;

    /**
     * A client that keeps at most {@code maxConnections} idle connections (one per thread that may
     * make requests at once).
     */
    Http(Settings settings, int maxConnections) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maxIdle = Math.max(1, maxConnections);
    }

    /** Closes every idle connection; connections in use close when their answer is closed. */
    @Override
    public void close() {
        List<Wire> gone;
        synchronized (this) {
            closed = true;
            gone = new ArrayList<>(idle);
            idle.clear();
        }
        gone.forEach(w -> closeQuietly(w.connection()));
    }

    /** Requests that went over a kept connection: for tests and logs. */
    synchronized int reusedConnections() {
        return reused;
    }

    private synchronized Optional<Wire> take(String origin) {
        for (Iterator<Wire> i = idle.iterator(); i.hasNext(); ) {
            Wire w = i.next();
            if (w.origin().equals(origin)) {
                i.remove();
                reused++;
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    private void park(Wire w) {
        Wire evicted = null;
        synchronized (this) {
            if (closed) {
                evicted = w;
            } else {
                if (idle.size() >= maxIdle) {
                    evicted = idle.pollFirst();
                }
                idle.addLast(w);
            }
        }
        closeQuietly(evicted == null ? null : evicted.connection());
    }

    /**
     * One request's hold on its connection, the handle {@code onConnection} receives: closing it
     * closes the connection at once (a blocked connect or read fails) while the request owns it,
     * and does nothing once the connection went back to the idle set, where another request may
     * already use it.
     */
    private static final class Lease implements Closeable {
        private Closeable target;
        private boolean released;
        private boolean closed;

        /** The connection this request now uses; closed at once if the lease already was. */
        void attach(Closeable c) {
            synchronized (this) {
                if (!closed) {
                    target = c;
                    return;
                }
            }
            closeQuietly(c);
        }

        /** Gives the connection up to the idle set; false when the lease was closed first. */
        synchronized boolean release() {
            if (closed) {
                return false;
            }
            released = true;
            return true;
        }

        @Override
        public void close() {
            Closeable c;
            synchronized (this) {
                if (released) {
                    return;
                }
                closed = true;
                c = target;
            }
            closeQuietly(c);
        }
    }

    /** The status and headers of an answer, and its body as a channel-like reader. */
    static final class Response implements Closeable {
        private final int status;
        private final HttpHeaders headers;
        private final Body body;
        private final Wire wire;
        private final Http keepAlive;
        private final Lease lease;
        private boolean complete;

        private Response(
                int status,
                HttpHeaders headers,
                Body body,
                Wire wire,
                Http keepAlive,
                Lease lease) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.wire = wire;
            this.keepAlive = keepAlive;
            this.lease = lease;
        }

        int statusCode() {
            return status;
        }

        HttpHeaders headers() {
            return headers;
        }

        /** The body length when the answer says it ({@code Content-Length} without chunking). */
        OptionalLong contentLength() {
            return body.length();
        }

        /**
         * Reads body bytes into {@code dst}; -1 once the body is complete.
         *
         * @throws IOException the connection ended before the body did ({@link EOFException}: a
         *     dropped connection), or the body is malformed
         */
        int read(ByteBuffer dst) throws IOException {
            int n = body.read(dst);
            if (n < 0) {
                complete = true;
            }
            return n;
        }

        /**
         * Gives the connection back to the client's idle set when the whole body was read and the
         * connection may carry another request; otherwise closes it at once (a read blocked in
         * another thread fails), without reading the rest of the body.
         */
        @Override
        public void close() {
            if (keepAlive != null && complete && wire.reusable(headers, body) && lease.release()) {
                keepAlive.park(wire);
            } else {
                lease.close();
                closeQuietly(wire.connection());
            }
        }
    }

    /** An open connection: the socket (or TLS socket) and its two directions. */
    private record Wire(
            String origin,
            boolean http11,
            Closeable connection,
            WireReader reader,
            OutputStream out,
            SocketChannel channel) {

        /** Whether another request may follow on this connection after {@code body}. */
        boolean reusable(HttpHeaders h, Body body) {
            boolean close =
                    h.allValues("Connection").stream()
                            .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"));
            return http11
                    && !close
                    && (body instanceof LengthBody || body instanceof ChunkedBody)
                    && reader.buffered() == 0;
        }

        void send(byte[] request) throws IOException {
            if (out != null) {
                out.write(request);
                out.flush();
            } else {
                ByteBuffer b = ByteBuffer.wrap(request);
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
        }
    }

    /**
     * Sends {@code GET uri} and reads the answer's status and headers. {@code headers} are the
     * caller's (cookies, tickets) and go only to the first origin: a redirect to another scheme,
     * host or port drops them; {@code rangeHeaders} ({@code Range}, {@code If-Range}) always go.
     * {@code onConnection} receives, for each request (each redirect hop), a handle whose {@code
     * close()} closes that request's connection at once (cancellation, a stalled server) while this
     * thread is blocked in it.
     *
     * @throws IOException connecting, the TLS handshake, sending or reading the headers failed, or
     *     the answer is not HTTP/1.x
     * @throws ProxyRefusedException a proxy answered 407 to {@code CONNECT}
     * @throws IllegalArgumentException a header name or value that cannot be sent (CR, LF, a header
     *     the client sets itself)
     */
    Response get(
            URI uri,
            Map<String, String> headers,
            Map<String, String> rangeHeaders,
            Consumer<Closeable> onConnection)
            throws IOException {
        checkHeaders(headers);
        checkHeaders(rangeHeaders);
        URI current = uri;
        boolean sameOrigin = true;
        for (int hop = 0; ; hop++) {
            Response r =
                    exchange(current, sameOrigin ? headers : Map.of(), rangeHeaders, onConnection);
            if (!settings.followRedirects()
                    || !REDIRECTS.contains(r.statusCode())
                    || hop == MAX_REDIRECTS) {
                return r;
            }
            String location = r.headers().firstValue("Location").orElse("");
            if (location.isBlank()) {
                return r;
            }
            URI next;
            try {
                next = current.resolve(location.trim());
            } catch (IllegalArgumentException e) {
                return r; // an unusable Location: the caller reports the 3xx
            }
            String scheme =
                    next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")
                    || current.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
                return r; // never from https down to http, never to another protocol
            }
            r.close();
            sameOrigin = sameOrigin && origin(next).equals(origin(uri));
            current = next;
        }
    }

    private Response exchange(
            URI uri,
            Map<String, String> headers,
            Map<String, String> rangeHeaders,
            Consumer<Closeable> onConnection)
            throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ProtocolException("not an http or https URI");
        }
        boolean tls = scheme.equals("https");
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new ProtocolException("URI has no host");
        }
        String bareHost =
                host.startsWith("[") && host.endsWith("]")
                        ? host.substring(1, host.length() - 1)
                        : host;
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;

        Optional<InetSocketAddress> proxy = proxyFor(uri, settings.proxySelector());
        Http keepAlive = proxy.isEmpty() ? this : null;
        byte[] request =
                requestBytes(
                        uri, headers, rangeHeaders, proxy.isPresent() && !tls, keepAlive != null);
        Lease lease = new Lease();
        onConnection.accept(lease);
        if (keepAlive != null) {
            Optional<Wire> kept = take(origin(uri));
            if (kept.isPresent()) {
                lease.attach(kept.get().connection());
                try {
                    return answer(kept.get(), request, keepAlive, lease);
                } catch (IOException e) {
                    // the server closed the idle connection (a keep-alive timeout): a new one below
                    closeQuietly(kept.get().connection());
                }
            }
        }
        String connectTo =
                proxy.map(p -> "proxy " + p.getHostString() + ":" + p.getPort())
                        .orElse(bareHost + ":" + port);
        List<InetSocketAddress> addresses =
                proxy.isPresent()
                        ? resolve(proxy.get().getHostString(), proxy.get().getPort())
                        : resolve(bareHost, port);
        Closeable connection =
                connect(
                        tls,
                        addresses,
                        timeoutMillis(settings.connectTimeout()),
                        connectTo,
                        lease::attach);
        boolean done = false;
        try {
            Wire wire;
            if (tls) {
                Socket plain = (Socket) connection;
                plain.setTcpNoDelay(true);
                if (proxy.isPresent()) {
                    tunnel(plain, bareHost, port, connectTo);
                }
                SSLSocket ssl =
                        (SSLSocket)
                                settings.sslContext()
                                        .get()
                                        .getSocketFactory()
                                        .createSocket(plain, bareHost, port, true);
                // the lease still closes the plain socket: that ends a blocked TLS read at once
                connection = ssl;
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                if (!bareHost.contains(":") && !bareHost.matches("[0-9.]+")) {
                    p.setServerNames(List.of(new SNIHostName(bareHost)));
                }
                ssl.setSSLParameters(p);
                ssl.startHandshake();
                wire =
                        new Wire(
                                origin(uri),
                                false,
                                ssl,
                                new WireReader(
                                        new StreamChannel(ssl.getInputStream()), MAX_LINE + 2),
                                ssl.getOutputStream(),
                                null);
            } else {
                SocketChannel channel = (SocketChannel) connection;
                channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                wire =
                        new Wire(
                                origin(uri),
                                false,
                                channel,
                                new WireReader(channel, MAX_LINE + 2),
                                null,
                                channel);
            }
            Response r = answer(wire, request, keepAlive, lease);
            done = true;
            return r;
        } finally {
            if (!done) {
                closeQuietly(connection);
            }
        }
    }

    /** Sends the request over {@code wire} and reads the answer's status line and headers. */
    private static Response answer(Wire wire, byte[] request, Http keepAlive, Lease lease)
            throws IOException {
        wire.send(request);
        WireReader reader = wire.reader();
        while (true) {
            String statusLine = reader.readLine(MAX_LINE, "status line");
            Matcher m = STATUS_LINE.matcher(statusLine);
            if (!m.matches()) {
                throw new ProtocolException(
                        "not an HTTP/1.x answer: '" + printable(statusLine) + "'");
            }
            int status = Integer.parseInt(m.group(1));
            HttpHeaders h = readHeaders(reader);
            if (status >= 100 && status < 200) {
                continue; // 100 Continue, 102, 103: the real answer follows
            }
            Body body = frame(status, h, reader);
            Wire w =
                    new Wire(
                            wire.origin(),
                            statusLine.startsWith("HTTP/1.1"),
                            wire.connection(),
                            reader,
                            wire.out(),
                            wire.channel());
            return new Response(status, h, body, w, keepAlive, lease);
        }
    }

    private static List<InetSocketAddress> resolve(String host, int port)
            throws UnknownHostException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                addresses.add(new InetSocketAddress(a, port));
            }
        } catch (UnknownHostException e) {
            throw new UnknownHostException("cannot resolve host name " + host);
        }
        return addresses;
    }

    /**
     * The HTTP proxy the selector chooses for {@code uri}, empty for a direct connection. As in
     * {@code java.net.http}, a SOCKS choice counts as direct.
     */
    private static Optional<InetSocketAddress> proxyFor(URI uri, ProxySelector selector) {
        if (selector == null) {
            return Optional.empty();
        }
        List<Proxy> choices = selector.select(uri);
        for (Proxy p : choices == null ? List.<Proxy>of() : choices) {
            if (p.type() == Proxy.Type.DIRECT) {
                return Optional.empty();
            }
            if (p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress a) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code CONNECT host:port} through an HTTP proxy; afterwards the socket carries the TLS
     * session.
     */
    private static void tunnel(Socket plain, String host, int port, String proxyName)
            throws IOException {
        String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        OutputStream out = plain.getOutputStream();
        out.write(
                ("CONNECT "
                                + authority
                                + " HTTP/1.1\r\nHost: "
                                + authority
                                + "\r\nUser-Agent: hypersdk-java\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        WireReader reader = new WireReader(new StreamChannel(plain.getInputStream()), MAX_LINE + 2);
        String statusLine = reader.readLine(MAX_LINE, "proxy's status line");
        Matcher m = STATUS_LINE.matcher(statusLine);
        if (!m.matches()) {
            throw new ProtocolException(
                    proxyName
                            + " gave no HTTP/1.x answer to CONNECT: '"
                            + printable(statusLine)
                            + "'");
        }
        int status = Integer.parseInt(m.group(1));
        readHeaders(reader);
        if (status == 407) {
            throw new ProxyRefusedException(
                    proxyName
                            + " answered 407 (Proxy Authentication Required) to CONNECT "
                            + authority
                            + ": the proxy wants credentials, which the download engine does not send; let it through, or"
                            + " give the engine a ProxySelector that chooses no proxy for this host");
        }
        if (status / 100 != 2) {
            throw new IOException(proxyName + " answered " + status + " to CONNECT " + authority);
        }
        if (reader.buffered() > 0) {
            throw new ProtocolException(proxyName + " sent data after its answer to CONNECT");
        }
    }

    /**
     * Connects to the first of {@code addresses} that answers (a host name may resolve to an IPv6
     * address that is unreachable and an IPv4 one that works): a {@link Socket} for TLS, a blocking
     * {@link SocketChannel} otherwise. Each attempt gets the whole connect timeout.
     *
     * @throws java.net.ConnectException none answered; the message names every address tried
     */
    static Closeable connect(
            boolean tls,
            List<InetSocketAddress> addresses,
            int connectMillis,
            String what,
            Consumer<Closeable> onConnection)
            throws IOException {
        IOException first = null;
        List<String> tried = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            Closeable c =
                    tls
                            ? new Socket(Proxy.NO_PROXY)
                            : SocketChannel.open(); // no implicit socksProxyHost
            onConnection.accept(c);
            try {
                if (c instanceof Socket s) {
                    s.connect(a, connectMillis);
                } else {
                    ((SocketChannel) c).socket().connect(a, connectMillis);
                }
                return c;
            } catch (IOException e) {
                closeQuietly(c);
                tried.add(a.getAddress().getHostAddress());
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first == null) {
            throw new UnknownHostException("no address for " + what);
        }
        java.net.ConnectException e =
                new java.net.ConnectException(
                        "cannot connect to "
                                + what
                                + (tried.size() > 1
                                        ? " (tried " + String.join(", ", tried) + ")"
                                        : "")
                                + ": "
                                + first.getMessage());
        e.initCause(first);
        throw e;
    }

    private static byte[] requestBytes(
            URI uri,
            Map<String, String> headers,
            Map<String, String> rangeHeaders,
            boolean absoluteForm,
            boolean keepAlive) {
        String path =
                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        if (absoluteForm) { // to an HTTP proxy: the whole URI, without user info or fragment
            path =
                    uri.getScheme().toLowerCase(Locale.ROOT)
                            + "://"
                            + uri.getHost()
                            + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                            + path;
        }
        StringBuilder s = new StringBuilder(256);
        s.append("GET ").append(path).append(" HTTP/1.1\r\n");
        s.append("Host: ")
                .append(uri.getHost())
                .append(uri.getPort() == -1 ? "" : ":" + uri.getPort())
                .append("\r\n");
        s.append("User-Agent: hypersdk-java\r\n");
        s.append("Accept-Encoding: identity\r\n");
        if (!keepAlive) {
            s.append("Connection: close\r\n");
        }
        headers.forEach((k, v) -> s.append(k).append(": ").append(v).append("\r\n"));
        rangeHeaders.forEach((k, v) -> s.append(k).append(": ").append(v).append("\r\n"));
        s.append("\r\n");
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static HttpHeaders readHeaders(WireReader reader) throws IOException {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int bytes = 0;
        String last = null;
        while (true) {
            String line = reader.readLine(MAX_LINE, "header line");
            bytes += line.length() + 2;
            if (bytes > MAX_HEADER_BYTES) {
                throw new ProtocolException(
                        "the answer's headers are larger than " + MAX_HEADER_BYTES + " bytes");
            }
            if (line.isEmpty()) {
                return HttpHeaders.of(map, (k, v) -> true);
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                List<String> values =
                        map.get(last); // obsolete line folding: part of the previous value
                values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.trim());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                throw new ProtocolException(
                        "malformed header line '" + printable(withheldAfterEquals(line)) + "'");
            }
            last = line.substring(0, colon);
            map.computeIfAbsent(last, k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
    }

    private static Body frame(int status, HttpHeaders h, WireReader reader) throws IOException {
        if (status == 204 || status == 304) {
            return Body.EMPTY;
        }
        List<String> te = h.allValues("Transfer-Encoding");
        if (!te.isEmpty()) {
            String lastCoding = te.get(te.size() - 1);
            lastCoding = lastCoding.substring(lastCoding.lastIndexOf(',') + 1).trim();
            return lastCoding.equalsIgnoreCase("chunked")
                    ? new ChunkedBody(reader)
                    : new CloseDelimitedBody(reader);
        }
        List<String> cl = h.allValues("Content-Length");
        if (!cl.isEmpty()) {
            long length = -1;
            for (String v : cl) {
                for (String part : v.split(",")) {
                    String t = part.trim();
                    if (!t.matches("\\d{1,18}")) {
                        throw new ProtocolException(
                                "invalid Content-Length '" + printable(v) + "'");
                    }
                    long l = Long.parseLong(t);
                    if (length >= 0 && l != length) {
                        throw new ProtocolException("conflicting Content-Length values " + cl);
                    }
                    length = l;
                }
            }
            return new LengthBody(reader, length);
        }
        return new CloseDelimitedBody(reader);
    }

    private static void checkHeaders(Map<String, String> headers) {
        headers.forEach(
                (k, v) -> {
                    if (!TOKEN.matcher(k).matches()) {
                        throw new IllegalArgumentException(
                                "request header name '"
                                        + printable(k)
                                        + "' is not a valid HTTP token");
                    }
                    if (SET_BY_CLIENT.contains(k.toLowerCase(Locale.ROOT))) {
                        throw new IllegalArgumentException(
                                "request header '"
                                        + k
                                        + "' is set by the download engine; remove it");
                    }
                    for (int i = 0; i < v.length(); i++) {
                        char c = v.charAt(i);
                        if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                            throw new IllegalArgumentException(
                                    "the value of request header '"
                                            + k
                                            + "' holds a line break, NUL or non-Latin-1 character; it cannot be sent");
                        }
                    }
                });
    }

    private static String origin(URI u) {
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() != -1 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + String.valueOf(u.getHost()).toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static int timeoutMillis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /**
     * A line with everything after its first '=' replaced: a malformed Set-Cookie must not put a
     * session into a log.
     */
    private static String withheldAfterEquals(String line) {
        int eq = line.indexOf('=');
        return eq < 0 ? line : line.substring(0, eq + 1) + "****";
    }

    /** At most 80 characters, control characters shown as '?', for error messages. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }

    static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // closing a connection that is gone anyway
        }
    }

    /** A response body. */
    private interface Body {
        Body EMPTY =
                new Body() {
                    @Override
                    public int read(ByteBuffer dst) {
                        return -1;
                    }

                    @Override
                    public OptionalLong length() {
                        return OptionalLong.of(0);
                    }
                };

        int read(ByteBuffer dst) throws IOException;

        OptionalLong length();
    }

    private static final class LengthBody implements Body {
        private final WireReader reader;
        private final long length;
        private long left;

        LengthBody(WireReader reader, long length) {
            this.reader = reader;
            this.length = length;
            this.left = length;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = reader.read(dst, left);
            if (n < 0) {
                throw new EOFException(
                        "connection closed after "
                                + (length - left)
                                + " of "
                                + length
                                + " body bytes");
            }
            left -= n;
            return n;
        }

        @Override
        public OptionalLong length() {
            return OptionalLong.of(length);
        }
    }

    private static final class CloseDelimitedBody implements Body {
        private final WireReader reader;

        CloseDelimitedBody(WireReader reader) {
            this.reader = reader;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return reader.read(dst, Long.MAX_VALUE);
        }

        @Override
        public OptionalLong length() {
            return OptionalLong.empty();
        }
    }

    private static final class ChunkedBody implements Body {
        private static final Pattern CHUNK_SIZE =
                Pattern.compile("([0-9A-Fa-f]{1,15})[ \t]*(;.*)?");
        private final WireReader reader;
        private long chunkLeft;
        private boolean finished;

        ChunkedBody(WireReader reader) {
            this.reader = reader;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (finished) {
                return -1;
            }
            if (chunkLeft == 0) {
                String line = reader.readLine(MAX_LINE, "chunk size line");
                Matcher m = CHUNK_SIZE.matcher(line);
                if (!m.matches()) {
                    throw new ProtocolException(
                            "malformed chunk size line '" + printable(line) + "'");
                }
                chunkLeft = Long.parseLong(m.group(1), 16);
                if (chunkLeft == 0) {
                    while (!reader.readLine(MAX_LINE, "trailer").isEmpty()) {
                        // trailers are not used
                    }
                    finished = true;
                    return -1;
                }
            }
            int n = reader.read(dst, chunkLeft);
            if (n < 0) {
                throw new EOFException("connection closed in the middle of a chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0 && !reader.readLine(MAX_LINE, "chunk end").isEmpty()) {
                throw new ProtocolException("a chunk is longer than its size line says");
            }
            return n;
        }

        @Override
        public OptionalLong length() {
            return OptionalLong.empty();
        }
    }

    /** An input stream (TLS) as a channel, through one scratch array. */
    private static final class StreamChannel implements ReadableByteChannel {
        private final InputStream in;
        private final byte[] scratch = new byte[64 * 1024];
        private volatile boolean open = true;

        StreamChannel(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = in.read(scratch, 0, Math.min(scratch.length, dst.remaining()));
            if (n > 0) {
                dst.put(scratch, 0, n);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            in.close();
        }
    }
}
