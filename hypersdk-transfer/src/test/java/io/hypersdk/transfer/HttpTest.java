package io.hypersdk.transfer;

import static io.hypersdk.transfer.ScriptedHttpServer.ascii;
import static io.hypersdk.transfer.ScriptedHttpServer.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's HTTP layer ({@link Http}, Apache HttpClient underneath) against exact bytes on the
 * wire: the rules that are the engine's own (redirects, request headers, an abort from another
 * thread), and a few proofs that what the library now does (chunked bodies, interim answers, a body
 * cut short) reaches the engine as it must.
 */
@Timeout(30)
class HttpTest {

    private static final Http.Settings FOLLOW = settings(true);

    private static Http.Settings settings(boolean follow) {
        try {
            SSLContext tls = SSLContext.getDefault();
            return new Http.Settings(() -> tls, Duration.ofSeconds(5), follow, null);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Http.Response get(
            URI uri, Map<String, String> headers, Map<String, String> range, Http.Settings s)
            throws IOException {
        return new Http(s, 2).get(uri, headers, range, c -> {});
    }

    /** Reads the whole body through a small direct buffer, as the engine does with its slots. */
    private static byte[] body(Http.Response r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocateDirect(7000);
        while (true) {
            b.clear();
            int n = r.read(b);
            if (n < 0) {
                return out.toByteArray();
            }
            b.flip();
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.writeBytes(chunk);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void sendsAMinimalGetAndReadsAContentLengthBodyExactly() throws Exception {
        byte[] data = random(100_000);
        try (ScriptedHttpServer s =
                        ScriptedHttpServer.answering(
                                "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nETag: \"v1\"\r\nX-Two: a\r\nx-two: b\r\n\r\n",
                                data);
                Http.Response r =
                        get(
                                s.uri("/disk%20one.vmdk?ticket=abc"),
                                Map.of("Cookie", "vmware_soap_session=\"s\""),
                                Map.of("Range", "bytes=10-"),
                                FOLLOW)) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.contentLength()).hasValue(100_000);
            assertThat(r.headers().firstValue("etag")).hasValue("\"v1\"");
            assertThat(r.headers().allValues("X-TWO")).containsExactly("a", "b");
            assertThat(body(r)).isEqualTo(data);
            String req = s.requests().get(0);
            assertThat(req)
                    .startsWith("GET /disk%20one.vmdk?ticket=abc HTTP/1.1\r\n")
                    .contains(
                            "\r\nHost: 127.0.0.1:" + s.port() + "\r\n",
                            "\r\nCookie: vmware_soap_session=\"s\"\r\n",
                            "\r\nRange: bytes=10-\r\n")
                    .doesNotContain("Accept-Encoding", "gzip")
                    .endsWith("\r\n\r\n");
        }
    }

    @Test
    void decodesAChunkedBodyWithExtensionsAndTrailers() throws Exception {
        byte[] a = random(30_000);
        byte[] b = random(5);
        byte[] wire =
                concat(
                        ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
                        ascii(Integer.toHexString(a.length) + ";name=value\r\n"),
                        a,
                        ascii("\r\n"),
                        ascii("5\r\n"),
                        b,
                        ascii("\r\n"),
                        ascii("0\r\nX-Checksum: none\r\n\r\n"));
        try (ScriptedHttpServer s = new ScriptedHttpServer(req -> wire);
                Http.Response r = get(s.uri("/c"), Map.of(), Map.of(), FOLLOW)) {
            assertThat(r.contentLength()).isEmpty();
            assertThat(body(r)).isEqualTo(concat(a, b));
            assertThat(r.read(ByteBuffer.allocate(10))).isEqualTo(-1);
        }
    }

    @Test
    void aConnectionClosedBeforeContentLengthIsReachedIsAnEofThatSaysHowFarItGot()
            throws Exception {
        try (ScriptedHttpServer s =
                        ScriptedHttpServer.answering(
                                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", ascii("12345"));
                Http.Response r = get(s.uri("/"), Map.of(), Map.of(), FOLLOW)) {
            assertThatThrownBy(() -> body(r))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("10")
                    .hasMessageContaining("5");
        }
    }

    @Test
    void interimAnswersAreSkipped() throws Exception {
        try (ScriptedHttpServer s =
                        ScriptedHttpServer.answering(
                                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 206 Partial Content\r\nContent-Length: 3\r\n\r\n",
                                ascii("abc"));
                Http.Response r = get(s.uri("/"), Map.of(), Map.of(), FOLLOW)) {
            assertThat(r.statusCode()).isEqualTo(206);
            assertThat(body(r)).isEqualTo(ascii("abc"));
        }
    }

    @Test
    void redirectsOnTheSameOriginKeepTheCallersHeaders() throws Exception {
        try (ScriptedHttpServer s =
                        new ScriptedHttpServer(
                                req ->
                                        req.startsWith("GET /old ")
                                                ? ascii(
                                                        "HTTP/1.1 302 Found\r\nLocation: /new?x=1\r\nContent-Length: 0\r\n\r\n")
                                                : ascii(
                                                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
                Http.Response r =
                        get(
                                s.uri("/old"),
                                Map.of("Cookie", "c=1"),
                                Map.of("Range", "bytes=0-"),
                                FOLLOW)) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(body(r)).isEqualTo(ascii("ok"));
            assertThat(s.requests()).hasSize(2);
            assertThat(s.requests().get(1))
                    .startsWith("GET /new?x=1 HTTP/1.1")
                    .contains("Cookie: c=1", "Range: bytes=0-");
        }
    }

    @Test
    void aRedirectToAnotherOriginDropsTheCallersHeadersButKeepsTheRange() throws Exception {
        try (ScriptedHttpServer other =
                        ScriptedHttpServer.answering(
                                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", ascii("ok"));
                ScriptedHttpServer first =
                        ScriptedHttpServer.answering(
                                "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:"
                                        + other.port()
                                        + "/elsewhere\r\n\r\n",
                                new byte[0]);
                Http.Response r =
                        get(
                                first.uri("/a"),
                                Map.of("Cookie", "secret=1"),
                                Map.of("Range", "bytes=5-"),
                                FOLLOW)) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(other.requests().get(0))
                    .startsWith("GET /elsewhere HTTP/1.1")
                    .contains("Range: bytes=5-")
                    .doesNotContain("secret");
        }
    }

    @Test
    void redirectsStopAfterFiveHopsOrWhenNotWanted() throws Exception {
        try (ScriptedHttpServer s =
                ScriptedHttpServer.answering(
                        "HTTP/1.1 301 Moved Permanently\r\nLocation: /loop\r\n\r\n", new byte[0])) {
            try (Http.Response r = get(s.uri("/loop"), Map.of(), Map.of(), FOLLOW)) {
                assertThat(r.statusCode()).isEqualTo(301);
                assertThat(s.requests()).hasSize(1 + Http.MAX_REDIRECTS);
            }
            try (Http.Response r = get(s.uri("/loop"), Map.of(), Map.of(), settings(false))) {
                assertThat(r.statusCode()).isEqualTo(301);
                assertThat(s.requests()).hasSize(2 + Http.MAX_REDIRECTS);
            }
        }
    }

    @Test
    void headersThatWouldSplitTheRequestOrThatTheClientSetsAreRefusedBeforeConnecting()
            throws Exception {
        try (ScriptedHttpServer s =
                ScriptedHttpServer.answering("HTTP/1.1 200 OK\r\n\r\n", new byte[0])) {
            assertThatThrownBy(
                            () ->
                                    get(
                                            s.uri("/"),
                                            Map.of("Cookie", "a\r\nX-Injected: 1"),
                                            Map.of(),
                                            FOLLOW))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("line break")
                    .hasMessageNotContaining("X-Injected");
            assertThatThrownBy(() -> get(s.uri("/"), Map.of("Host", "evil"), Map.of(), FOLLOW))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("set by the download engine");
            assertThatThrownBy(() -> get(s.uri("/"), Map.of("Bad Name", "x"), Map.of(), FOLLOW))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a valid HTTP token");
            assertThat(s.requests()).isEmpty();
        }
    }

    @Test
    void closingTheConnectionFromAnotherThreadEndsABlockedRead() throws Exception {
        java.util.concurrent.atomic.AtomicReference<java.io.Closeable> conn =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (ScriptedHttpServer s =
                new ScriptedHttpServer(
                        req -> {
                            try {
                                Thread.sleep(20_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return new byte[0];
                        })) {
            Thread closer =
                    new Thread(
                            () -> {
                                try {
                                    Thread.sleep(300);
                                } catch (InterruptedException e) {
                                    return;
                                }
                                Http.closeQuietly(conn.get());
                            });
            closer.start();
            long t0 = System.nanoTime();
            assertThatThrownBy(
                            () ->
                                    new Http(FOLLOW, 1)
                                            .get(s.uri("/"), Map.of(), Map.of(), conn::set))
                    .isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }
}
