package io.hypersdk.transfer;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.impl.routing.SystemDefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The download engine's HTTP: {@code GET} through Apache HttpClient 5 classic (blocking), one
 * client and connection pool per engine call, bounded to the connections that call can use. The
 * library frames bodies ({@code Content-Length}, {@code chunked}, end of connection), skips interim
 * answers, keeps connections alive for the ranged workers and tunnels https through HTTP proxies;
 * what stays here is the engine's policy: redirects (at most {@value #MAX_REDIRECTS}, never from
 * https to http, the caller's headers only to the first origin), the request-header rules, the
 * library's own retries, redirects, cookies and decompression turned off (the engine retries and
 * resumes itself and hashes the bytes as sent), host names checked by the JSSE (so a trust manager
 * that decides alone, as a pinned thumbprint does, stays alone), and an early close that drops the
 * connection instead of reading the rest of a large body.
 *
 * <p>The module README's https benchmark is the measurement behind using the library instead of the
 * hand-written HTTP/1.1 client the engine had before.
 */
final class Http implements Closeable {

    /** Most redirects followed for one request. */
    static final int MAX_REDIRECTS = 5;

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
     * @param sslContext the TLS context, asked for when a client is made (the JVM's default context
     *     loads the CA store, about 0.2 s: a provider that never speaks https does not pay it)
     * @param proxySelector chooses an HTTP proxy per URI; null means always direct
     */
    record Settings(
            java.util.function.Supplier<SSLContext> sslContext,
            Duration connectTimeout,
            boolean followRedirects,
            ProxySelector proxySelector) {
        Settings {
            Objects.requireNonNull(sslContext, "sslContext");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
        }
    }

    private final Settings settings;
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;

    /**
     * A client whose pool holds at most {@code maxConnections} connections (one per thread that may
     * make requests at once).
     */
    Http(Settings settings, int maxConnections) {
        this.settings = settings;
        int max = Math.max(1, maxConnections);
        this.pool =
                PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(
                                ClientTlsStrategyBuilder.create()
                                        .setSslContext(settings.sslContext().get())
                                        // the JSSE checks the host name (endpoint identification
                                        // "HTTPS"), unless the context's X509ExtendedTrustManager
                                        // decides alone (a pinned thumbprint)
                                        .setHostVerificationPolicy(
                                                HostnameVerificationPolicy.BUILTIN)
                                        .buildClassic())
                        .setDefaultSocketConfig(
                                SocketConfig.custom()
                                        .setTcpNoDelay(true)
                                        .setSoTimeout(Timeout.DISABLED)
                                        .build())
                        .setDefaultConnectionConfig(
                                ConnectionConfig.custom()
                                        .setConnectTimeout(timeout(settings.connectTimeout()))
                                        // stalls are the engine's watchdog's to judge
                                        .setSocketTimeout(Timeout.DISABLED)
                                        .build())
                        .setMaxConnTotal(max)
                        .setMaxConnPerRoute(max)
                        .build();
        this.client =
                HttpClients.custom()
                        .setConnectionManager(pool)
                        .setRoutePlanner(
                                settings.proxySelector() == null
                                        ? new DefaultRoutePlanner(null)
                                        : new SystemDefaultRoutePlanner(settings.proxySelector()))
                        .setDefaultRequestConfig(
                                RequestConfig.custom()
                                        .setRedirectsEnabled(false)
                                        .setResponseTimeout(Timeout.DISABLED)
                                        .build())
                        .setUserAgent("hypersdk-java")
                        .disableAutomaticRetries()
                        .disableRedirectHandling()
                        .disableContentCompression()
                        .disableCookieManagement()
                        .disableAuthCaching()
                        .build();
    }

    /** Closes every pooled connection. */
    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
    }

    /** The status and headers of an answer, and its body as a channel-like reader. */
    static final class Response implements Closeable {
        private final HttpGet request;
        private final ClassicHttpResponse response;
        private final HttpHeaders headers;
        private final InputStream body;
        private final long length;
        private byte[] scratch;
        private boolean complete;

        private Response(HttpGet request, ClassicHttpResponse response) throws IOException {
            this.request = request;
            this.response = response;
            Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Header h : response.getHeaders()) {
                map.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
            }
            this.headers = HttpHeaders.of(map, (k, v) -> true);
            HttpEntity entity = response.getEntity();
            this.body = entity == null ? null : entity.getContent();
            this.length = entity == null ? 0 : entity.isChunked() ? -1 : entity.getContentLength();
            this.complete = body == null;
        }

        int statusCode() {
            return response.getCode();
        }

        HttpHeaders headers() {
            return headers;
        }

        /** The body length when the answer says it ({@code Content-Length} without chunking). */
        OptionalLong contentLength() {
            return length >= 0 ? OptionalLong.of(length) : OptionalLong.empty();
        }

        /**
         * Reads body bytes into {@code dst}; -1 once the body is complete.
         *
         * @throws IOException the connection ended before the body did (a dropped connection), or
         *     the body is malformed
         */
        int read(ByteBuffer dst) throws IOException {
            if (body == null) {
                return -1;
            }
            if (!dst.hasRemaining()) {
                return 0;
            }
            int n;
            if (dst.hasArray()) {
                n = body.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                if (scratch == null) {
                    scratch = new byte[64 * 1024];
                }
                n = body.read(scratch, 0, Math.min(scratch.length, dst.remaining()));
                if (n > 0) {
                    dst.put(scratch, 0, n);
                }
            }
            if (n < 0) {
                complete = true;
            }
            return n;
        }

        /**
         * Gives the connection back to the pool when the whole body was read; otherwise drops it at
         * once (the library would read the rest of the body first). Another thread may call this
         * while a read is blocked: the read fails at once.
         */
        @Override
        public void close() {
            if (!complete) {
                request.cancel();
            }
            try {
                response.close();
            } catch (IOException | RuntimeException e) {
                // the connection is gone anyway
            }
        }
    }

    /**
     * Sends {@code GET uri} and reads the answer's status and headers. {@code headers} are the
     * caller's (cookies, tickets) and go only to the first origin: a redirect to another scheme,
     * host or port drops them; {@code rangeHeaders} ({@code Range}, {@code If-Range}) always go.
     * {@code onConnection} receives, for each request, a handle whose {@code close()} aborts it at
     * once (cancellation, a stalled server) while this thread is blocked in it.
     *
     * @throws IOException connecting, the TLS handshake, sending or reading the headers failed, or
     *     the answer is not HTTP/1.x
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
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ProtocolException("URI has no host");
        }
        HttpGet get = new HttpGet(uri);
        headers.forEach(get::addHeader);
        rangeHeaders.forEach(get::addHeader);
        onConnection.accept(get::cancel);
        // a proxy's refusal of CONNECT (407 among them) arrives as this answer's status
        ClassicHttpResponse response = client.executeOpen(null, get, null);
        try {
            return new Response(get, response);
        } catch (IOException | RuntimeException e) {
            get.cancel();
            response.close();
            throw e;
        }
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

    private static Timeout timeout(Duration d) {
        return Timeout.ofMilliseconds(Math.max(1, d.toMillis()));
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
}
