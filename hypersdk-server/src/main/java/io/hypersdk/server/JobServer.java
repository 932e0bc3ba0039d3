package io.hypersdk.server;

import io.hypersdk.pipeline.PipelineExecutor;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.systemd.SystemdClient;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The job server: runs web-API job definitions through the providers and the pipeline (the same SDK
 * path as {@code hyperexport}), keeps job state in SQLite under the state directory, and serves the
 * HTTP API, Server-Sent Events and the dashboard.
 *
 * <pre>{@code
 * try (JobServer server = JobServer.builder(Path.of("/var/lib/hypersdk-server"))
 *         .provider("local", ProviderConfig.builder().set("directory", "/srv/vms").build())
 *         .build()
 *         .start()) {
 *     System.out.println("listening on " + server.url());
 * }
 * }</pre>
 *
 * <p>It listens on 127.0.0.1 by default. Any other address needs TLS ({@link Builder#tls(Path,
 * Path)}) and a bearer token ({@link Builder#bearerTokenFile(Path)}): {@link Builder#build()}
 * refuses otherwise.
 */
public final class JobServer implements AutoCloseable {
    private final Builder config;
    private final Optional<String> token;
    private JobStore store;
    private JobService service;
    private Javalin app;
    private int port;

    private JobServer(Builder b, Optional<String> token) {
        this.config = b;
        this.token = token;
    }

    /**
     * A builder.
     *
     * @param stateDir where the job database ({@code jobs.db}) lives; created when missing
     * @return the builder
     */
    public static Builder builder(Path stateDir) {
        return new Builder(stateDir);
    }

    /**
     * Opens the job database (migrating its schema, marking jobs that were running as interrupted,
     * queueing pending ones) and starts listening.
     *
     * @return this server, running
     * @throws JobStoreException when the database cannot be opened
     */
    public synchronized JobServer start() {
        store = JobStore.open(config.stateDir);
        PipelineExecutor executor =
                config.executor.orElseGet(() -> PipelineExecutor.builder().build());
        JobRunner runner =
                new JobRunner(
                        new ProviderRegistry(config.providers),
                        executor,
                        config.exportRoot.orElse(config.stateDir.resolve("exports")));
        service = new JobService(store, runner, config.maxConcurrent, config.clock);
        RequestGuard guard = new RequestGuard(token, config.tls.isPresent());
        ApiRoutes api =
                new ApiRoutes(
                        service,
                        new ProviderRegistry(config.providers),
                        () -> config.systemd.orElseGet(SystemdClient::create),
                        config.clock);
        Dashboard dashboard = new Dashboard(guard.csrfToken());
        app = Javalin.create(c -> configure(c, guard, api, dashboard));
        app.start(config.host, config.port);
        port = app.port();
        return this;
    }

    private void configure(
            JavalinConfig c, RequestGuard guard, ApiRoutes api, Dashboard dashboard) {
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.jsonMapper(new Json());
        c.http.maxRequestSize = 4L * 1024 * 1024;
        config.tls.ifPresent(
                t ->
                        c.jetty.addConnector(
                                (server, http) -> {
                                    HttpConfiguration https = new HttpConfiguration(http);
                                    https.addCustomizer(new SecureRequestCustomizer());
                                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                                    char[] password = randomPassword();
                                    KeyStore ks = Pem.keyStore(t.certificate(), t.key(), password);
                                    ssl.setKeyStore(ks);
                                    ssl.setKeyStorePassword(new String(password));
                                    ServerConnector connector =
                                            new ServerConnector(
                                                    server,
                                                    new SslConnectionFactory(ssl, "http/1.1"),
                                                    new HttpConnectionFactory(https));
                                    connector.setHost(config.host);
                                    connector.setPort(config.port);
                                    return connector;
                                }));
        c.routes.before(guard::check);
        c.routes.post("/login", guard::login);
        api.register(c.routes);
        dashboard.register(c.routes);
        c.routes.exception(ApiException.class, (e, ctx) -> ctx.status(e.status).json(e.body()));
        c.routes.exception(
                IllegalArgumentException.class,
                (e, ctx) -> ctx.status(400).json(Map.of("error", String.valueOf(e.getMessage()))));
    }

    private static char[] randomPassword() {
        SecureRandom r = new SecureRandom();
        char[] p = new char[24];
        for (int i = 0; i < p.length; i++) {
            p[i] = (char) ('a' + r.nextInt(26));
        }
        return p;
    }

    /** The routes served, as {@code "GET /jobs/{id}"}, filters left out (for the OpenAPI check). */
    java.util.List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(e -> e.endpoint.method.isHttpMethod())
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
                .sorted()
                .toList();
    }

    /** The job service (for the benchmark in the tests). */
    JobService service() {
        return service;
    }

    /**
     * The port the server listens on (useful with port 0).
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The server's base URL, for example {@code http://127.0.0.1:8080}.
     *
     * @return the URL
     */
    public String url() {
        String host = config.host.contains(":") ? "[" + config.host + "]" : config.host;
        return (config.tls.isPresent() ? "https" : "http") + "://" + host + ":" + port;
    }

    /** Stops listening, stops running jobs (they end interrupted) and closes the database. */
    @Override
    public synchronized void close() {
        if (app != null) {
            app.stop();
        }
        if (service != null) {
            service.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** The TLS certificate chain and private key, both PEM files. */
    private record Tls(Path certificate, Path key) {}

    /** Builds a {@link JobServer}; {@link #build()} checks the whole configuration. */
    public static final class Builder {
        private final Path stateDir;
        private String host = "127.0.0.1";
        private int port = 8080;
        private int maxConcurrent = 2;
        private Optional<Tls> tls = Optional.empty();
        private Optional<Path> tokenFile = Optional.empty();
        private Optional<Path> exportRoot = Optional.empty();
        private Optional<PipelineExecutor> executor = Optional.empty();
        private Optional<SystemdClient> systemd = Optional.empty();
        private final Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();

        private Builder(Path stateDir) {
            this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        }

        /**
         * The address and port to listen on (default 127.0.0.1:8080; port 0 picks a free one).
         *
         * @param host an IP address or host name
         * @param port 0-65535
         * @return this builder
         */
        public Builder listen(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /**
         * How many jobs run at once (default 2, 1-64); the others wait in the queue.
         *
         * @param n the limit
         * @return this builder
         */
        public Builder maxConcurrent(int n) {
            this.maxConcurrent = n;
            return this;
        }

        /**
         * Serve HTTPS with this PEM certificate (chain) and PKCS#8 PEM private key.
         *
         * @param certificate the certificate file
         * @param key the key file
         * @return this builder
         */
        public Builder tls(Path certificate, Path key) {
            this.tls = Optional.of(new Tls(certificate, key));
            return this;
        }

        /**
         * Require {@code Authorization: Bearer <token>} on every request; the token is the file's
         * content (surrounding blanks removed).
         *
         * @param file the token file
         * @return this builder
         */
        public Builder bearerTokenFile(Path file) {
            this.tokenFile = Optional.of(file);
            return this;
        }

        /**
         * Where jobs without an absolute {@code output_dir} export to (default {@code
         * <stateDir>/exports}).
         *
         * @param dir the directory
         * @return this builder
         */
        public Builder exportRoot(Path dir) {
            this.exportRoot = Optional.of(dir);
            return this;
        }

        /**
         * A provider jobs may use, with its configuration (credentials included: jobs never carry
         * them). The first one added is the default; a job picks another with {@code
         * metadata.provider}.
         *
         * @param id the provider id, e.g. {@code local} or {@code vsphere}
         * @param config its configuration
         * @return this builder
         */
        public Builder provider(String id, ProviderConfig config) {
            providers.put(
                    Objects.requireNonNull(id, "id"), Objects.requireNonNull(config, "config"));
            return this;
        }

        /**
         * The pipeline executor jobs convert with (default: {@code
         * PipelineExecutor.builder().build()}).
         *
         * @param v the executor
         * @return this builder
         */
        public Builder executor(PipelineExecutor v) {
            this.executor = Optional.of(v);
            return this;
        }

        /**
         * The systemd client {@code GET /daemons} asks (default: {@code SystemdClient.create()}).
         *
         * @param v the client
         * @return this builder
         */
        public Builder systemdClient(SystemdClient v) {
            this.systemd = Optional.of(v);
            return this;
        }

        /**
         * The clock for timestamps.
         *
         * @param v the clock
         * @return this builder
         */
        public Builder clock(Clock v) {
            this.clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /**
         * Checks the configuration and builds the server (not yet started).
         *
         * @return the server
         * @throws ServerConfigException naming the setting and the fix: a non-loopback address
         *     without TLS or without a bearer token, an unreadable or empty token file, a port or
         *     concurrency out of range
         */
        public JobServer build() {
            if (port < 0 || port > 65535) {
                throw new ServerConfigException(
                        "listen port " + port + " must be between 0 and 65535");
            }
            if (maxConcurrent < 1 || maxConcurrent > 64) {
                throw new ServerConfigException(
                        "max concurrent jobs " + maxConcurrent + " must be between 1 and 64");
            }
            if (!isLoopback(host) && (tls.isEmpty() || tokenFile.isEmpty())) {
                throw new ServerConfigException(
                        "listen address "
                                + host
                                + " is not a loopback address: it needs"
                                + " TLS (--tls-cert and --tls-key, PEM files) and a bearer token (--token-file); give both, or"
                                + " listen on 127.0.0.1");
            }
            tls.ifPresent(
                    t -> {
                        for (Path p : new Path[] {t.certificate(), t.key()}) {
                            if (!Files.isReadable(p)) {
                                throw new ServerConfigException(
                                        "TLS file " + p + " is not readable");
                            }
                        }
                        Pem.keyStore(t.certificate(), t.key(), "check".toCharArray());
                    });
            Optional<String> token = tokenFile.map(Builder::readToken);
            return new JobServer(this, token);
        }

        private static String readToken(Path file) {
            String t;
            try {
                t = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ServerConfigException(
                        "--token-file " + file + " cannot be read: " + e.getMessage());
            }
            if (t.length() < 16) {
                throw new ServerConfigException(
                        "--token-file "
                                + file
                                + " holds fewer than 16 characters: put a long random token in it (e.g. openssl rand -hex 32)");
            }
            return t;
        }

        static boolean isLoopback(String host) {
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    if (!a.isLoopbackAddress()) {
                        return false;
                    }
                }
                return true;
            } catch (UnknownHostException e) {
                throw new ServerConfigException(
                        "listen address " + host + " cannot be resolved: give an IP address");
            }
        }
    }
}
