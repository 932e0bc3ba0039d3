package io.hypersdk.transfer;

import static io.hypersdk.transfer.ScriptedHttpServer.ascii;
import static io.hypersdk.transfer.ScriptedHttpServer.concat;
import static io.hypersdk.transfer.testing.TestBytes.random;
import static io.hypersdk.transfer.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.transfer.testing.LoopbackFileServer;
import io.hypersdk.transfer.testing.LoopbackFileServer.Content;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine over its own HTTP/1.1 transport: framing, resume offsets with direct I/O, timeouts,
 * TLS.
 */
@Timeout(60)
class DownloadTransportTest {

    @TempDir Path dir;

    private static DownloadEngine.Builder fast() {
        return DownloadEngine.builder().backoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private static long rangeStart(LoopbackFileServer.Request r) {
        String v = r.range().orElseThrow();
        return Long.parseLong(v.substring("bytes=".length(), v.indexOf('-')));
    }

    @Test
    void aChunkedBodyIsDownloadedWholeWithItsSha256() throws Exception {
        byte[] a = random(1_500_000, 1);
        byte[] b = random(777, 2);
        byte[] wire =
                concat(
                        ascii(
                                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nETag: \"x\"\r\n\r\n"),
                        ascii(Integer.toHexString(a.length) + "\r\n"),
                        a,
                        ascii("\r\n"),
                        ascii(Integer.toHexString(b.length) + "\r\n"),
                        b,
                        ascii("\r\n0\r\n\r\n"));
        try (ScriptedHttpServer s = new ScriptedHttpServer(req -> wire)) {
            DownloadedFile f =
                    fast().build()
                            .download(
                                    DownloadRequest.of(s.uri("/c.vmdk"), dir.resolve("c.vmdk")),
                                    ProgressListener.NONE,
                                    Cancellation.none());
            assertThat(f.bytes()).isEqualTo(a.length + b.length);
            assertThat(f.sha256()).isEqualTo(sha256(concat(a, b)));
            assertThat(Files.readAllBytes(dir.resolve("c.vmdk"))).isEqualTo(concat(a, b));
        }
    }

    /**
     * Runs a first download that loses its connection after 1,000,003 bytes and gives up (one
     * attempt), then a second run of the same engine settings; returns {partial size after the
     * first run, the second run's range start}.
     */
    private long[] interruptedThenResumed(DownloadEngine.Builder settings, byte[] data)
            throws Exception {
        try (LoopbackFileServer server = LoopbackFileServer.start()) {
            server.serve("/d.vmdk", Content.of(data)).dropAfter(1_000_003, 1);
            Path target = dir.resolve("d.vmdk");
            DownloadRequest req = DownloadRequest.of(server.uri("/d.vmdk"), target);
            Throwable failed =
                    org.assertj.core.api.Assertions.catchThrowable(
                            () ->
                                    settings.maxAttempts(1)
                                            .build()
                                            .download(
                                                    req,
                                                    ProgressListener.NONE,
                                                    Cancellation.none()));
            long partial = Files.size(FileTransfer.partFileOf(target));
            assertThat(failed)
                    .isInstanceOf(DownloadException.class)
                    .hasMessageEndingWith(
                            "; the partial file ("
                                    + partial
                                    + " bytes) is kept, run again to resume");
            DownloadedFile f =
                    settings.maxAttempts(5)
                            .build()
                            .download(req, ProgressListener.NONE, Cancellation.none());
            assertThat(f.sha256()).isEqualTo(sha256(data));
            assertThat(Files.readAllBytes(target)).isEqualTo(data);
            List<LoopbackFileServer.Request> reqs = server.requests("/d.vmdk");
            assertThat(reqs).hasSize(2);
            assertThat(reqs.get(1).status()).isEqualTo(206);
            return new long[] {partial, rangeStart(reqs.get(1))};
        }
    }

    @Test
    void withDirectIoAResumeStartsAtTheBlockBoundaryBelowWhatArrived() throws Exception {
        Path target = dir.resolve("d.vmdk");
        int alignment = PartWriter.alignmentFor(target, true);
        long[] r = interruptedThenResumed(fast(), random(3_000_000, 3));
        assertThat(r[0]).as("bytes kept from the first run").isPositive();
        assertThat(r[1]).isEqualTo(r[0] - r[0] % alignment);
    }

    @Test
    void withoutDirectIoAResumeStartsExactlyWhereTheDataEnded() throws Exception {
        long[] r =
                interruptedThenResumed(
                        fast().directIo(false).bufferSize(16 * 1024), random(3_000_000, 4));
        assertThat(r[0]).as("bytes kept from the first run").isPositive();
        assertThat(r[1]).isEqualTo(r[0]);
    }

    @Test
    void aServerThatNeverAnswersIsDroppedAfterTheRequestTimeoutAndRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (ScriptedHttpServer s =
                new ScriptedHttpServer(
                        req -> {
                            calls.incrementAndGet();
                            try {
                                Thread.sleep(10_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return new byte[0];
                        })) {
            long t0 = System.nanoTime();
            assertThatThrownBy(
                            () ->
                                    fast().requestTimeout(Duration.ofMillis(300))
                                            .maxAttempts(2)
                                            .build()
                                            .download(
                                                    DownloadRequest.of(
                                                            s.uri("/x"), dir.resolve("x")),
                                                    ProgressListener.NONE,
                                                    Cancellation.none()))
                    .isInstanceOf(DownloadException.class)
                    .hasMessageContaining("failed after 2 attempts")
                    .hasMessageContaining("no answer within")
                    .satisfies(e -> assertThat(((DownloadException) e).retryable()).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
            assertThat(calls.get()).isEqualTo(2);
        }
    }

    /**
     * An HTTPS server on 127.0.0.1 whose certificate names only {@code localhost}, and a context
     * trusting it.
     */
    private record Tls(HttpsServer server, SSLContext trusting, AtomicInteger served)
            implements AutoCloseable {
        @Override
        public void close() {
            server.stop(0);
        }
    }

    private Tls tlsServer(byte[] body) throws Exception {
        Path ks = dir.resolve("server.p12");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-keystore",
                                ks.toString(),
                                "-storetype",
                                "PKCS12",
                                "-storepass",
                                "changeit",
                                "-alias",
                                "srv",
                                "-keyalg",
                                "EC",
                                "-dname",
                                "CN=localhost",
                                "-ext",
                                "SAN=dns:localhost",
                                "-validity",
                                "2")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext serverSsl = SSLContext.getInstance("TLS");
        serverSsl.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("srv", store.getCertificate("srv"));
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientSsl = SSLContext.getInstance("TLS");
        clientSsl.init(null, tmf.getTrustManagers(), null);

        AtomicInteger served = new AtomicInteger();
        HttpsServer server =
                HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverSsl));
        server.createContext(
                "/",
                ex -> {
                    served.incrementAndGet();
                    ex.sendResponseHeaders(200, body.length);
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(body);
                    }
                });
        server.start();
        return new Tls(server, clientSsl, served);
    }

    @Test
    void httpsWithATrustedCertificateAndMatchingHostNameDownloads() throws Exception {
        byte[] data = random(2_345_678, 5);
        try (Tls tls = tlsServer(data)) {
            URI uri =
                    URI.create(
                            "https://localhost:"
                                    + tls.server().getAddress().getPort()
                                    + "/disk.vmdk");
            DownloadedFile f =
                    fast().sslContext(tls.trusting())
                            .build()
                            .download(
                                    DownloadRequest.of(uri, dir.resolve("disk.vmdk")),
                                    ProgressListener.NONE,
                                    Cancellation.none());
            assertThat(f.sha256()).isEqualTo(sha256(data));
            assertThat(Files.readAllBytes(dir.resolve("disk.vmdk"))).isEqualTo(data);
        }
    }

    @Test
    void anUntrustedCertificateFailsAtOnceNamingTheFix() throws Exception {
        try (Tls tls = tlsServer(new byte[10])) {
            URI uri =
                    URI.create(
                            "https://localhost:"
                                    + tls.server().getAddress().getPort()
                                    + "/disk.vmdk");
            assertThatThrownBy(
                            () ->
                                    fast().build()
                                            .download(
                                                    DownloadRequest.of(
                                                            uri, dir.resolve("disk.vmdk")),
                                                    ProgressListener.NONE,
                                                    Cancellation.none()))
                    .isInstanceOf(DownloadException.class)
                    .hasMessageContaining("certificate of localhost is not trusted")
                    .hasMessageContaining("SSLContext that trusts it")
                    .satisfies(e -> assertThat(((DownloadException) e).retryable()).isFalse());
            assertThat(tls.served().get()).isZero();
            assertThat(Files.exists(dir.resolve("disk.vmdk"))).isFalse();
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostNameIsRefused() throws Exception {
        try (Tls tls = tlsServer(new byte[10])) {
            // the certificate names localhost only; 127.0.0.1 is the same server under a name it
            // does not carry
            URI uri =
                    URI.create(
                            "https://127.0.0.1:"
                                    + tls.server().getAddress().getPort()
                                    + "/disk.vmdk");
            assertThatThrownBy(
                            () ->
                                    fast().sslContext(tls.trusting())
                                            .build()
                                            .download(
                                                    DownloadRequest.of(
                                                            uri, dir.resolve("disk.vmdk")),
                                                    ProgressListener.NONE,
                                                    Cancellation.none()))
                    .isInstanceOf(DownloadException.class)
                    .hasMessageContaining("certificate of 127.0.0.1 is not trusted")
                    .satisfies(e -> assertThat(((DownloadException) e).retryable()).isFalse());
            assertThat(tls.served().get()).isZero();
        }
    }

    @Test
    void httpGoesThroughAnHttpProxyInAbsoluteForm() throws Exception {
        byte[] data = random(1_234_567, 6);
        try (LoopbackFileServer server = LoopbackFileServer.start();
                LoopbackProxy proxy = new LoopbackProxy()) {
            server.serve("/p.vmdk", Content.of(data));
            DownloadedFile f =
                    fast().proxy(java.net.ProxySelector.of(proxy.address()))
                            .build()
                            .download(
                                    DownloadRequest.of(
                                            server.uri("/p.vmdk"), dir.resolve("p.vmdk")),
                                    ProgressListener.NONE,
                                    Cancellation.none());
            assertThat(f.sha256()).isEqualTo(sha256(data));
            assertThat(proxy.requestLines())
                    .containsExactly("GET " + server.uri("/p.vmdk") + " HTTP/1.1");
            assertThat(server.requests("/p.vmdk")).hasSize(1);
        }
    }

    @Test
    void httpsGoesThroughAnHttpProxyWithConnectAndStillChecksTheCertificate() throws Exception {
        byte[] data = random(1_000_001, 7);
        try (Tls tls = tlsServer(data);
                LoopbackProxy proxy = new LoopbackProxy()) {
            int port = tls.server().getAddress().getPort();
            URI uri = URI.create("https://localhost:" + port + "/disk.vmdk");
            DownloadedFile f =
                    fast().proxy(java.net.ProxySelector.of(proxy.address()))
                            .sslContext(tls.trusting())
                            .build()
                            .download(
                                    DownloadRequest.of(uri, dir.resolve("disk.vmdk")),
                                    ProgressListener.NONE,
                                    Cancellation.none());
            assertThat(f.sha256()).isEqualTo(sha256(data));
            assertThat(proxy.requestLines())
                    .containsExactly("CONNECT localhost:" + port + " HTTP/1.1");

            URI byIp = URI.create("https://127.0.0.1:" + port + "/disk.vmdk");
            assertThatThrownBy(
                            () ->
                                    fast().proxy(java.net.ProxySelector.of(proxy.address()))
                                            .sslContext(tls.trusting())
                                            .build()
                                            .download(
                                                    DownloadRequest.of(
                                                            byIp, dir.resolve("other.vmdk")),
                                                    ProgressListener.NONE,
                                                    Cancellation.none()))
                    .isInstanceOf(DownloadException.class)
                    .hasMessageContaining("certificate of 127.0.0.1 is not trusted");
        }
    }

    @Test
    void aProxyThatWantsCredentialsFailsAtOnceSayingSo() throws Exception {
        try (Tls tls = tlsServer(new byte[10]);
                LoopbackProxy proxy = new LoopbackProxy()) {
            proxy.demandAuthentication(true);
            URI uri =
                    URI.create(
                            "https://localhost:"
                                    + tls.server().getAddress().getPort()
                                    + "/disk.vmdk");
            assertThatThrownBy(
                            () ->
                                    fast().proxy(java.net.ProxySelector.of(proxy.address()))
                                            .sslContext(tls.trusting())
                                            .build()
                                            .download(
                                                    DownloadRequest.of(
                                                            uri, dir.resolve("disk.vmdk")),
                                                    ProgressListener.NONE,
                                                    Cancellation.none()))
                    .isInstanceOf(DownloadException.class)
                    .hasMessageContaining("answered 407 (Proxy Authentication Required)")
                    .hasMessageContaining("which the download engine does not send")
                    .satisfies(e -> assertThat(((DownloadException) e).retryable()).isFalse());
            assertThat(proxy.requestLines()).hasSize(1);
            assertThat(tls.served().get()).isZero();
        }
        try (LoopbackFileServer server = LoopbackFileServer.start();
                LoopbackProxy proxy = new LoopbackProxy()) {
            server.serve("/h.vmdk", Content.of(new byte[10]));
            proxy.demandAuthentication(true);
            assertThatThrownBy(
                            () ->
                                    fast().proxy(java.net.ProxySelector.of(proxy.address()))
                                            .build()
                                            .download(
                                                    DownloadRequest.of(
                                                            server.uri("/h.vmdk"),
                                                            dir.resolve("h.vmdk")),
                                                    ProgressListener.NONE,
                                                    Cancellation.none()))
                    .isInstanceOf(DownloadException.class)
                    .hasMessageContaining(
                            "answered 407 (Proxy Authentication Required): the proxy wants credentials")
                    .satisfies(e -> assertThat(((DownloadException) e).retryable()).isFalse());
            assertThat(server.requests("/h.vmdk")).isEmpty();
        }
    }

    @Test
    void aSocksChoiceOfTheProxySelectorMeansDirectAsInJavaNetHttp() throws Exception {
        byte[] data = random(100_000, 8);
        try (LoopbackFileServer server = LoopbackFileServer.start();
                LoopbackProxy proxy = new LoopbackProxy()) {
            server.serve("/s.vmdk", Content.of(data));
            java.net.ProxySelector socks =
                    new java.net.ProxySelector() {
                        @Override
                        public List<java.net.Proxy> select(URI uri) {
                            return List.of(
                                    new java.net.Proxy(java.net.Proxy.Type.SOCKS, proxy.address()));
                        }

                        @Override
                        public void connectFailed(
                                URI uri, java.net.SocketAddress sa, java.io.IOException ioe) {}
                    };
            DownloadedFile f =
                    fast().proxy(socks)
                            .build()
                            .download(
                                    DownloadRequest.of(
                                            server.uri("/s.vmdk"), dir.resolve("s.vmdk")),
                                    ProgressListener.NONE,
                                    Cancellation.none());
            assertThat(f.sha256()).isEqualTo(sha256(data));
            assertThat(proxy.requestLines()).isEmpty();
        }
    }
}
