package io.hypersdk.transfer;

import static io.hypersdk.transfer.ScriptedHttpServer.ascii;
import static io.hypersdk.transfer.ScriptedHttpServer.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
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
 * The engine's HTTP/1.1 client ({@link Http}) against exact bytes on the wire: framing (length,
 * chunked, end of connection), interim answers, malformed and oversized answers, redirects and
 * request-header rules, an abort from another thread, kept-alive connections, and the address
 * fallback when connecting.
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
                            "\r\nRange: bytes=10-\r\n",
                            "\r\nAccept-Encoding: identity\r\n")
                    .doesNotContain("gzip", "Connection: close")
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
                    .isInstanceOf(EOFException.class)
                    .hasMessage("connection closed after 5 of 10 body bytes");
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

    @Test
    void aConnectionThatEndsInsideAChunkIsAnEofNotAShortFile() throws Exception {
        byte[] wire =
                concat(
                        ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n"),
                        random(100));
        try (ScriptedHttpServer s = new ScriptedHttpServer(req -> wire);
                Http.Response r = get(s.uri("/c"), Map.of(), Map.of(), FOLLOW)) {
            assertThatThrownBy(() -> body(r))
                    .isInstanceOf(EOFException.class)
                    .hasMessageContaining("chunk");
        }
    }

    @Test
    void aChunkLongerThanItsSizeLineIsAProtocolError() throws Exception {
        byte[] wire =
                concat(
                        ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n"),
                        ascii("abcdefgh\r\n0\r\n\r\n"));
        try (ScriptedHttpServer s = new ScriptedHttpServer(req -> wire);
                Http.Response r = get(s.uri("/c"), Map.of(), Map.of(), FOLLOW)) {
            assertThatThrownBy(() -> body(r))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("longer than its size line");
        }
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnection() throws Exception {
        byte[] data = random(70_001);
        try (ScriptedHttpServer s = ScriptedHttpServer.answering("HTTP/1.0 200 OK\r\n\r\n", data);
                Http.Response r = get(s.uri("/"), Map.of(), Map.of(), FOLLOW)) {
            assertThat(r.contentLength()).isEmpty();
            assertThat(body(r)).isEqualTo(data);
        }
    }

    @Test
    void bareLineFeedsAndFoldedHeadersAreAccepted() throws Exception {
        try (ScriptedHttpServer s =
                        ScriptedHttpServer.answering(
                                "HTTP/1.1 200 OK\nX-Long: one\n  two\nContent-Length: 2\n\n",
                                ascii("ok"));
                Http.Response r = get(s.uri("/"), Map.of(), Map.of(), FOLLOW)) {
            assertThat(r.headers().firstValue("X-Long")).hasValue("one two");
            assertThat(body(r)).isEqualTo(ascii("ok"));
        }
    }

    @Test
    void malformedAnswersAreProtocolErrorsThatShowWhatArrived() throws Exception {
        String[][] cases = {
            {"SSH-2.0-OpenSSH_9.2\r\n\r\n", "not an HTTP/1.x answer: 'SSH-2.0-OpenSSH_9.2'"},
            {"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "malformed header line 'no colon here'"},
            {"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "malformed header line 'Bad Name: x'"},
            {
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                "conflicting Content-Length"
            },
            {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "invalid Content-Length '-1'"},
            {
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\u0000\u0001\r\n\r\n",
                "malformed header line '??'"
            },
            {
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n",
                "connection closed in the middle of the header line"
            },
            {
                "HTTP/1.1 200 OK\r\nSet-Cookie vmware_soap_session=\"52a8-secret\"\r\n\r\n",
                "malformed header line 'Set-Cookie vmware_soap_session=****'"
            },
        };
        for (String[] c : cases) {
            try (ScriptedHttpServer s = ScriptedHttpServer.answering(c[0], new byte[0])) {
                assertThatThrownBy(() -> get(s.uri("/"), Map.of(), Map.of(), FOLLOW))
                        .as(c[0])
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining(c[1])
                        .hasMessageNotContaining("secret");
            }
        }
    }

    @Test
    void headersLargerThanTheLimitAreRefusedInsteadOfBuffered() throws Exception {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        String filler = "x".repeat(1000);
        for (int i = 0; i < 80; i++) {
            head.append("X-Filler-").append(i).append(": ").append(filler).append("\r\n");
        }
        try (ScriptedHttpServer s = ScriptedHttpServer.answering(head + "\r\n", new byte[0])) {
            assertThatThrownBy(() -> get(s.uri("/"), Map.of(), Map.of(), FOLLOW))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("larger than " + Http.MAX_HEADER_BYTES);
        }
        try (ScriptedHttpServer s =
                ScriptedHttpServer.answering(
                        "HTTP/1.1 200 OK\r\nX: " + "y".repeat(20_000) + "\r\n\r\n", new byte[0])) {
            assertThatThrownBy(() -> get(s.uri("/"), Map.of(), Map.of(), FOLLOW))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("longer than " + Http.MAX_LINE);
        }
    }

    private static int closedPort() throws IOException {
        try (java.net.ServerSocket s =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void whenTheFirstAddressOfAHostRefusesTheNextOneIsTried() throws Exception {
        java.net.InetAddress lo = java.net.InetAddress.getLoopbackAddress();
        try (ScriptedHttpServer s =
                ScriptedHttpServer.answering(
                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", new byte[0])) {
            for (boolean tls : new boolean[] {false, true}) {
                java.util.List<java.io.Closeable> opened = new java.util.ArrayList<>();
                java.io.Closeable c =
                        Http.connect(
                                tls,
                                java.util.List.of(
                                        new java.net.InetSocketAddress(lo, closedPort()),
                                        new java.net.InetSocketAddress(lo, s.port())),
                                5000,
                                "host:1",
                                opened::add);
                try {
                    assertThat(opened).as("tls %s", tls).hasSize(2).endsWith(c);
                    int port =
                            c instanceof java.net.Socket sock
                                    ? sock.getPort()
                                    : ((java.net.InetSocketAddress)
                                                    ((java.nio.channels.SocketChannel) c)
                                                            .getRemoteAddress())
                                            .getPort();
                    assertThat(port).isEqualTo(s.port());
                } finally {
                    c.close();
                }
            }
        }
    }

    @Test
    void whenNoAddressAnswersTheErrorNamesTheHostAndEveryAddressTried() throws Exception {
        java.net.InetAddress lo = java.net.InetAddress.getLoopbackAddress();
        java.net.InetAddress other = java.net.InetAddress.getByName("127.0.0.2");
        int port = closedPort();
        assertThatThrownBy(
                        () ->
                                Http.connect(
                                        false,
                                        java.util.List.of(
                                                new java.net.InetSocketAddress(lo, port),
                                                new java.net.InetSocketAddress(other, port)),
                                        5000,
                                        "vcenter.example:" + port,
                                        c -> {}))
                .isInstanceOf(java.net.ConnectException.class)
                .hasMessageStartingWith(
                        "cannot connect to vcenter.example:"
                                + port
                                + " (tried 127.0.0.1, 127.0.0.2): ")
                .satisfies(e -> assertThat(e.getCause().getSuppressed()).hasSize(1));
    }

    @Test
    void aConnectionWhoseAnswerWasReadToTheEndCarriesTheNextRequestToTheSameOrigin()
            throws Exception {
        byte[] data = random(300_000);
        try (io.hypersdk.transfer.testing.LoopbackFileServer s =
                        io.hypersdk.transfer.testing.LoopbackFileServer.start();
                Http http = new Http(FOLLOW, 2)) {
            s.serve("/d", io.hypersdk.transfer.testing.LoopbackFileServer.Content.of(data));
            for (int i = 0; i < 3; i++) {
                try (Http.Response r =
                        http.get(
                                s.uri("/d"),
                                Map.of(),
                                Map.of("Range", "bytes=" + i + "-"),
                                c -> {})) {
                    assertThat(r.statusCode()).isEqualTo(206);
                    assertThat(body(r))
                            .isEqualTo(java.util.Arrays.copyOfRange(data, i, data.length));
                }
            }
            // an answer closed before its end gives its connection up: the next request opens one
            try (Http.Response r = http.get(s.uri("/d"), Map.of(), Map.of(), c -> {})) {
                assertThat(r.read(ByteBuffer.allocate(10))).isEqualTo(10);
            }
            try (Http.Response r = http.get(s.uri("/d"), Map.of(), Map.of(), c -> {})) {
                assertThat(body(r)).isEqualTo(data);
            }
            assertThat(http.reusedConnections()).isEqualTo(3);
            assertThat(s.requests().stream().map(q -> q.clientPort()).distinct())
                    .as("client ports (connections) of the five requests")
                    .hasSize(2);
        }
    }

    @Test
    void closingARequestsHandleAfterItsConnectionWentBackToThePoolLeavesTheNextRequestAlone()
            throws Exception {
        byte[] data = random(200_000);
        try (io.hypersdk.transfer.testing.LoopbackFileServer s =
                        io.hypersdk.transfer.testing.LoopbackFileServer.start();
                Http http = new Http(FOLLOW, 1)) {
            s.serve("/d", io.hypersdk.transfer.testing.LoopbackFileServer.Content.of(data));
            java.io.Closeable[] first = new java.io.Closeable[1];
            try (Http.Response r = http.get(s.uri("/d"), Map.of(), Map.of(), c -> first[0] = c)) {
                assertThat(body(r)).isEqualTo(data);
            }
            try (Http.Response r = http.get(s.uri("/d"), Map.of(), Map.of(), c -> {})) {
                assertThat(http.reusedConnections()).isEqualTo(1);
                // a stale handle (a watchdog or cancellation that fires late) must not cut this one
                first[0].close();
                assertThat(body(r)).isEqualTo(data);
            }
            // while the request holds it, the handle does close the connection
            java.io.Closeable[] third = new java.io.Closeable[1];
            try (Http.Response r = http.get(s.uri("/d"), Map.of(), Map.of(), c -> third[0] = c)) {
                third[0].close();
                assertThatThrownBy(() -> body(r)).isInstanceOf(IOException.class);
            }
        }
    }
}
