package io.hypersdk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Listen address rules, TLS from PEM files, the bearer token and the dashboard's CSRF token. */
@Timeout(120)
class SecurityTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir Path tmp;

    @Test
    void aNonLoopbackAddressWithoutTlsAndTokenIsRefusedAtStart() throws Exception {
        assertThatThrownBy(() -> Fixtures.server(tmp).listen("0.0.0.0", 0).build())
                .isInstanceOf(ServerConfigException.class)
                .hasMessageContaining("0.0.0.0")
                .hasMessageContaining("TLS")
                .hasMessageContaining("--token-file");
        Path token = Files.writeString(tmp.resolve("token"), TOKEN);
        assertThatThrownBy(
                        () ->
                                Fixtures.server(tmp)
                                        .listen("0.0.0.0", 0)
                                        .bearerTokenFile(token)
                                        .build())
                .isInstanceOf(ServerConfigException.class)
                .hasMessageContaining("TLS");
        assertThat(Files.exists(tmp.resolve("jobs.db"))).isFalse();
    }

    @Test
    void aShortTokenFileIsRefused() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "short\n");
        assertThatThrownBy(() -> Fixtures.server(tmp).bearerTokenFile(token).build())
                .isInstanceOf(ServerConfigException.class)
                .hasMessageContaining("fewer than 16 characters");
    }

    @Test
    void withATokenEveryRequestNeedsItAndAWrongOneIsRefused() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
        try (JobServer server =
                Fixtures.server(tmp.resolve("state")).bearerTokenFile(token).build().start()) {
            Api api = new Api(server);
            assertThat(api.get("/health").status()).isEqualTo(401);
            assertThat(
                            api.send(
                                            HttpRequest.newBuilder(
                                                    URI.create(api.base + "/health")),
                                            Map.of(
                                                    "Authorization",
                                                    "Bearer " + TOKEN.replace('0', '1')))
                                    .status())
                    .isEqualTo(401);
            Api.Response ok =
                    api.send(
                            HttpRequest.newBuilder(URI.create(api.base + "/health")),
                            Map.of("Authorization", "Bearer " + TOKEN));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(api.get("/health").body()).doesNotContain(TOKEN);
        }
    }

    @Test
    void aBrowserPostNeedsTheDashboardsCsrfToken() {
        try (JobServer server = Fixtures.server(tmp.resolve("state")).build().start()) {
            Api api = new Api(server);
            String job = "{\"vm_path\": \"x\"}";
            Api.Response forged =
                    api.post(
                            "/jobs/submit",
                            job,
                            Map.of(
                                    "Content-Type",
                                    "application/json",
                                    "Origin",
                                    "http://evil.example"));
            assertThat(forged.status()).isEqualTo(403);
            assertThat(forged.json().path("error").asText()).contains("CSRF");
            Api.Response wrong =
                    api.post(
                            "/jobs/submit",
                            job,
                            Map.of(
                                    "Content-Type",
                                    "application/json",
                                    "Origin",
                                    api.base,
                                    RequestGuard.CSRF_HEADER,
                                    "guess"));
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(api.get("/jobs/query").json().path("total").asInt()).isZero();

            Matcher m =
                    Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"")
                            .matcher(api.get("/").body());
            assertThat(m.find()).isTrue();
            Api.Response ok =
                    api.post(
                            "/jobs/submit",
                            job,
                            Map.of(
                                    "Content-Type",
                                    "application/json",
                                    "Origin",
                                    api.base,
                                    RequestGuard.CSRF_HEADER,
                                    m.group(1)));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().path("accepted").asInt()).isEqualTo(1);
        }
    }

    @Test
    void tlsFromPemFilesServesHttpsOnly() throws Exception {
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Process p =
                new ProcessBuilder(
                                "openssl",
                                "req",
                                "-x509",
                                "-newkey",
                                "rsa:2048",
                                "-nodes",
                                "-days",
                                "1",
                                "-subj",
                                "/CN=127.0.0.1",
                                "-addext",
                                "subjectAltName=IP:127.0.0.1",
                                "-keyout",
                                key.toString(),
                                "-out",
                                cert.toString())
                        .redirectErrorStream(true)
                        .start();
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor() == 0, "openssl could not make a test certificate");
        Path token = Files.writeString(tmp.resolve("token"), TOKEN);

        try (JobServer server =
                Fixtures.server(tmp.resolve("state"))
                        .tls(cert, key)
                        .bearerTokenFile(token)
                        .build()
                        .start()) {
            assertThat(server.url()).startsWith("https://127.0.0.1:");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry(
                        "server", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> r =
                    https.send(
                            HttpRequest.newBuilder(URI.create(server.url() + "/health"))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("healthy");

            HttpClient plain = HttpClient.newHttpClient();
            assertThatThrownBy(
                            () ->
                                    plain.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    "http://127.0.0.1:"
                                                                            + server.port()
                                                                            + "/health"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
