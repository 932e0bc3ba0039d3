package io.hypersdk.transfer;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads files over HTTP(S) the way disk exports need it. Build one with {@link #builder()},
 * then call {@link #downloadAll}; the engine is immutable and thread-safe.
 *
 * <ul>
 *   <li>Up to {@code parallelism} files at once, each over its own HTTP/1.1 connection (the
 *       engine's own client on blocking sockets; TLS through the given {@code SSLContext}); each
 *       streams into {@code .<name>.part} next to its target and is renamed into place (atomically)
 *       only when complete and verified.
 *   <li>Whole blocks are written with {@code O_DIRECT} where the file system allows it, from a
 *       writer thread, while the next buffer is received and hashed ({@link Builder#directIo}).
 *   <li>SHA-256 is computed while streaming; memory use is constant whatever the size.
 *   <li>Transient failures (connection errors, a stalled body, 408/429/5xx) are retried with
 *       exponential backoff and jitter, honouring {@code Retry-After}; others fail at once.
 *   <li>A partial file is resumed with {@code Range} + {@code If-Range}. A 200 answer starts the
 *       file over (never appends), a changed ETag starts over, a 416 checks whether the partial
 *       file is already complete, a 206 at the wrong offset starts over.
 *   <li>An optional bandwidth limit is shared by all files of one call.
 *   <li>{@link TransferProgress} per file (item = target file name): bytes done never exceed the
 *       total, and restart from the resume offset (or 0) on a new attempt.
 * </ul>
 */
public final class DownloadEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DownloadEngine.class);
    private static final AtomicInteger POOL_SEQ = new AtomicInteger();

    /**
     * The most connections per file the default ({@link Builder#adaptiveConnections(int)}) opens.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_FILE = 8;

    /**
     * With adaptive connections: bytes per second of the one connection over a probe window, by the
     * clock, below which ranged workers are added (when the second window is as slow as the first).
     * Above what an object store gives one connection (50-100 MiB/s), below what a JVM that has
     * just started takes from an uncapped loopback connection in the second window, two files on
     * two cores (147-410 MiB/s; 200 MiB/s was too close: module README, issue 15).
     */
    static final long ADAPTIVE_THRESHOLD = 128L << 20;

    /** With adaptive connections: how much of the body one connection brings before the choice. */
    static final long ADAPTIVE_PROBE = 2L * ParallelRanges.SEGMENT;

    final Http.Settings http;
    final boolean directIo;
    final int parallelism;
    final int maxAttempts;
    final Duration initialBackoff;
    final Duration maxBackoff;
    final OptionalLong bandwidthLimit;
    final Clock clock;
    final Duration idleTimeout;
    final Duration requestTimeout;
    final Duration progressInterval;
    final boolean resume;
    final int bufferSize;
    final boolean sparse;
    final int connectionsPerFile;
    final boolean adaptiveConnections;
    final long adaptiveThreshold;

    private DownloadEngine(Builder b) {
        this.http =
                new Http.Settings(
                        sslContextOf(b.sslContext),
                        b.connectTimeout,
                        b.followRedirects,
                        b.proxySelector);
        this.directIo = b.directIo;
        this.parallelism = b.parallelism;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.bandwidthLimit = b.bandwidthLimit;
        this.clock = b.clock;
        this.idleTimeout = b.idleTimeout;
        this.requestTimeout = b.requestTimeout;
        this.progressInterval = b.progressInterval;
        this.resume = b.resume;
        this.bufferSize = b.bufferSize;
        this.sparse = b.sparse;
        this.connectionsPerFile = b.connectionsPerFile;
        this.adaptiveConnections = b.adaptiveConnections;
        this.adaptiveThreshold = b.adaptiveThreshold;
    }

    private DownloadEngine(DownloadEngine base, int connectionsPerFile) {
        this.http = base.http;
        this.directIo = base.directIo;
        this.parallelism = base.parallelism;
        this.maxAttempts = base.maxAttempts;
        this.initialBackoff = base.initialBackoff;
        this.maxBackoff = base.maxBackoff;
        this.bandwidthLimit = base.bandwidthLimit;
        this.clock = base.clock;
        this.idleTimeout = base.idleTimeout;
        this.requestTimeout = base.requestTimeout;
        this.progressInterval = base.progressInterval;
        this.resume = base.resume;
        this.bufferSize = base.bufferSize;
        this.sparse = base.sparse;
        this.connectionsPerFile = connectionsPerFile;
        this.adaptiveConnections = false;
        this.adaptiveThreshold = base.adaptiveThreshold;
    }

    /**
     * This engine with exactly {@code n} connections per file (as {@link
     * Builder#connectionsPerFile(int)}), or this engine itself when {@code n} is empty: how a
     * provider built with one engine applies a request's setting (e.g. {@code hyperexport
     * --connections-per-file}).
     *
     * @throws IllegalArgumentException if {@code n} is outside 1-16
     */
    public DownloadEngine withConnectionsPerFile(java.util.OptionalInt n) {
        if (n.isEmpty()) {
            return this;
        }
        Builder.checkConnections("connectionsPerFile", n.getAsInt());
        return new DownloadEngine(this, n.getAsInt());
    }

    /** A builder with the defaults listed on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** The builder's context, or the JVM's default one, looked up only when a client is made. */
    private static java.util.function.Supplier<SSLContext> sslContextOf(SSLContext given) {
        return given != null ? () -> given : DownloadEngine::defaultSslContext;
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no default TLS context", e);
        }
    }

    /** Downloads one file; see {@link #downloadAll}. */
    public DownloadedFile download(
            DownloadRequest request, ProgressListener listener, Cancellation cancellation) {
        return downloadAll(List.of(request), listener, cancellation).get(0);
    }

    /**
     * Downloads only the byte ranges of one object that hold data into a sparse file of the
     * object's size (see {@link RangedDownloadRequest}): {@code parallelism} ranged GETs at once,
     * transient failures retried with backoff, a refused (401/403) time-limited URL renewed through
     * its {@link RangedDownloadRequest.UriSource}. The result's SHA-256 covers the whole file,
     * holes included. Not resumable across runs.
     *
     * @throws DownloadException a range could not be downloaded (the part file is left behind)
     * @throws CancelledException cancelled
     */
    public DownloadedFile downloadRanges(
            RangedDownloadRequest request, ProgressListener listener, Cancellation cancellation) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancellation, "cancellation");
        RangedTransfer t =
                new RangedTransfer(this, request, new SerialListener(listener), cancellation);
        try {
            return t.run();
        } catch (RangedTransfer.Stopped e) {
            throw new CancelledException("download cancelled");
        }
    }

    /**
     * Downloads every request, {@code parallelism} at a time, and returns the results in request
     * order. When one file fails for good the others are stopped and the first failure is thrown
     * (the others' failures are suppressed in it); completed files stay in place, partial files
     * stay resumable.
     *
     * @param requests files to download; targets must be distinct
     * @param listener receives {@link TransferProgress} events, one at a time
     * @param cancellation stops every transfer promptly
     * @throws DownloadException a file could not be downloaded
     * @throws CancelledException cancelled
     * @throws IllegalArgumentException two requests with the same target
     */
    public List<DownloadedFile> downloadAll(
            List<DownloadRequest> requests, ProgressListener listener, Cancellation cancellation) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancellation, "cancellation");
        Set<Path> targets = new HashSet<>();
        for (DownloadRequest r : requests) {
            if (!targets.add(r.target().toAbsolutePath().normalize())) {
                throw new IllegalArgumentException(
                        "two downloads write the same file "
                                + r.target()
                                + "; give each its own target");
            }
        }
        if (requests.isEmpty()) {
            return List.of();
        }
        cancellation.throwIfCancelled();

        ProgressListener serial = new SerialListener(listener);
        BandwidthLimiter limiter =
                bandwidthLimit.isPresent()
                        ? new BandwidthLimiter(bandwidthLimit.getAsLong())
                        : BandwidthLimiter.unlimited();
        AtomicBoolean abort = new AtomicBoolean();
        int threads = Math.min(parallelism, requests.size());
        // one pooled client per call: each file's first GET plus its ranged workers
        Http client = new Http(http, threads * connectionsPerFile);
        List<FileTransfer> transfers = new ArrayList<>();
        for (DownloadRequest r : requests) {
            transfers.add(
                    new FileTransfer(
                            this,
                            client,
                            r,
                            serial,
                            limiter,
                            () -> cancellation.isCancelled() || abort.get()));
        }
        int pool = POOL_SEQ.incrementAndGet();
        AtomicInteger seq = new AtomicInteger();
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t =
                                    new Thread(
                                            r,
                                            "hypersdk-download-"
                                                    + pool
                                                    + "-"
                                                    + seq.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        ScheduledExecutorService watchdog =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "hypersdk-download-watchdog-" + pool);
                            t.setDaemon(true);
                            return t;
                        });
        long period =
                Math.max(
                        10,
                        Math.min(
                                1000,
                                Math.min(idleTimeout.toMillis(), requestTimeout.toMillis()) / 4));
        watchdog.scheduleAtFixedRate(
                () -> transfers.forEach(FileTransfer::checkStalled),
                period,
                period,
                TimeUnit.MILLISECONDS);
        Cancellation.Registration registration =
                cancellation.onCancel(() -> transfers.forEach(FileTransfer::interrupt));
        try {
            List<Future<DownloadedFile>> futures = new ArrayList<>();
            for (FileTransfer t : transfers) {
                futures.add(
                        executor.submit(
                                () -> {
                                    try {
                                        return t.run();
                                    } catch (RuntimeException | Error e) {
                                        if (!(e instanceof FileTransfer.Stopped)
                                                && !abort.getAndSet(true)) {
                                            transfers.forEach(FileTransfer::interrupt);
                                        }
                                        throw e;
                                    }
                                }));
            }
            List<DownloadedFile> results = new ArrayList<>();
            RuntimeException failure = null;
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof FileTransfer.Stopped) {
                        continue;
                    }
                    RuntimeException re =
                            cause instanceof RuntimeException rte
                                    ? rte
                                    : new DownloadException(
                                            requests.get(i).target(),
                                            "download of "
                                                    + requests.get(i).target()
                                                    + " failed: "
                                                    + cause,
                                            false,
                                            cause);
                    if (failure == null) {
                        failure = re;
                        if (!abort.getAndSet(true)) {
                            transfers.forEach(FileTransfer::interrupt);
                        }
                    } else if (failure != re) {
                        failure.addSuppressed(re);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    abort.set(true);
                    transfers.forEach(FileTransfer::interrupt);
                    throw new CancelledException("download interrupted");
                }
            }
            if (failure != null) {
                throw failure;
            }
            if (cancellation.isCancelled() || results.size() != requests.size()) {
                throw new CancelledException(
                        "download cancelled; partial files are kept and a later run resumes them");
            }
            return List.copyOf(results);
        } finally {
            registration.close();
            executor.shutdownNow();
            watchdog.shutdownNow();
            client.close();
        }
    }

    /**
     * Calls the listener one event at a time and keeps a failing listener from failing transfers.
     */
    private static final class SerialListener implements ProgressListener {
        private final ProgressListener delegate;
        private boolean warned;

        SerialListener(ProgressListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized void onEvent(ProgressEvent event) {
            try {
                delegate.onEvent(event);
            } catch (RuntimeException e) {
                if (!warned) {
                    warned = true;
                    LOG.warn(
                            "progress listener {} failed; its events are still sent but failures are no longer logged",
                            delegate,
                            e);
                }
            }
        }
    }

    /** Builds a {@link DownloadEngine}; every value is checked here, not when downloading. */
    public static final class Builder {
        private SSLContext sslContext;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private boolean followRedirects = true;
        private boolean directIo = true;
        private java.net.ProxySelector proxySelector = java.net.ProxySelector.getDefault();
        private int parallelism = 3;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private OptionalLong bandwidthLimit = OptionalLong.empty();
        private Clock clock = Clock.systemUTC();
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration progressInterval = Duration.ofMillis(500);
        private boolean resume = true;
        private int bufferSize = 1024 * 1024;
        private boolean sparse = true;
        private int connectionsPerFile = DEFAULT_MAX_CONNECTIONS_PER_FILE;
        private boolean adaptiveConnections = true;
        private long adaptiveThreshold = ADAPTIVE_THRESHOLD;

        private Builder() {}

        /**
         * TLS for {@code https}: whom to trust (e.g. a vCenter's CA, or a pinned thumbprint). Host
         * names are checked unless the context's trust manager is an {@code
         * X509ExtendedTrustManager} that decides on its own. Default: the JVM's default context.
         */
        public Builder sslContext(SSLContext v) {
            this.sslContext = Objects.requireNonNull(v, "sslContext");
            return this;
        }

        /**
         * Chooses an HTTP proxy per URI (https through {@code CONNECT}); a selector that chooses
         * {@code DIRECT} means no proxy ({@code HttpClient.Builder.NO_PROXY}). Default: the JVM's
         * selector, which follows {@code https.proxyHost}, {@code http.proxyHost} and {@code
         * http.nonProxyHosts}, as {@code java.net.http} does (and, like it, connects directly where
         * the selector chooses SOCKS). A proxy that asks for authentication (407) is refused with
         * an error that says so.
         */
        public Builder proxy(java.net.ProxySelector v) {
            this.proxySelector = Objects.requireNonNull(v, "proxy");
            return this;
        }

        /** Time allowed to open a connection. Default 30 s. */
        public Builder connectTimeout(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(
                        "download connectTimeout must be positive (got " + v + ")");
            }
            this.connectTimeout = v;
            return this;
        }

        /**
         * Whether 301/302/303/307/308 are followed (at most 5, never from https to http; request
         * headers such as cookies go only to the first origin). Default true.
         */
        public Builder followRedirects(boolean v) {
            this.followRedirects = v;
            return this;
        }

        /**
         * Whether whole blocks are written with {@code O_DIRECT}, bypassing the page cache, where
         * the file system allows it (others get normal writes). Default true: a disk image of
         * hundreds of GiB then neither evicts the host's page cache nor pays for filling it, and
         * the final fsync has little left to do.
         */
        public Builder directIo(boolean v) {
            this.directIo = v;
            return this;
        }

        /**
         * Whether blocks of zeros are left as holes: every block of the file system's block size,
         * aligned in the file, that arrives holding only zeros is not written, so the file takes
         * only the space of its data (as {@code cp --sparse} and {@code qemu-img convert} do).
         * Content and SHA-256 are the same either way. Default true: disk images are mostly zeros.
         */
        public Builder sparse(boolean v) {
            this.sparse = v;
            return this;
        }

        /**
         * Exactly {@code v} connections per file, 1-16 (in place of the adaptive default). With
         * more than one, a file whose server announces its length, {@code Accept-Ranges: bytes} and
         * a validator (ETag or Last-Modified) is fetched as 4 MiB ranged GETs ({@code If-Range})
         * over that many kept-alive connections at once, for servers that cap each connection
         * (object stores); the bytes are still hashed and written in file order, so SHA-256, direct
         * I/O and resume work as with one. Costs {@code (n + 1) x 4 MiB} of memory outside the heap
         * per file.
         */
        public Builder connectionsPerFile(int v) {
            checkConnections("connectionsPerFile", v);
            this.connectionsPerFile = v;
            this.adaptiveConnections = false;
            return this;
        }

        /**
         * The default: each file starts on one connection; when its first 8 MiB (the first MiB not
         * counted) and then, if the file has more than 24 MiB, the next 8 MiB too arrived slower
         * than 128 MiB/s by the clock, and the file allows ranges (as for {@link
         * #connectionsPerFile(int)}) with more than 8 MiB still to come, the rest comes over {@code
         * max} connections. So a server that caps each connection gets up to {@code max}, and an
         * uncapped one (where extra connections only cost CPU) keeps one. Default max {@value
         * #DEFAULT_MAX_CONNECTIONS_PER_FILE}, 1-16 (module README: measured against a capped and an
         * uncapped server).
         */
        public Builder adaptiveConnections(int max) {
            checkConnections("adaptiveConnections", max);
            this.connectionsPerFile = max;
            this.adaptiveConnections = true;
            return this;
        }

        /** For tests: the rate below which adaptive connections add workers. */
        Builder adaptiveThreshold(long bytesPerSecond) {
            this.adaptiveThreshold = bytesPerSecond;
            return this;
        }

        private static void checkConnections(String what, int v) {
            if (v < 1 || v > 16) {
                throw new IllegalArgumentException(
                        "download " + what + " must be between 1 and 16 (got " + v + ")");
            }
        }

        /** Files transferred at once, 1-16. Default 3. */
        public Builder parallelism(int v) {
            if (v < 1 || v > 16) {
                throw new IllegalArgumentException(
                        "download parallelism must be between 1 and 16 (got " + v + ")");
            }
            this.parallelism = v;
            return this;
        }

        /** Attempts per file without progress before giving up, 1-100. Default 5. */
        public Builder maxAttempts(int v) {
            if (v < 1 || v > 100) {
                throw new IllegalArgumentException(
                        "download maxAttempts must be between 1 and 100 (got " + v + ")");
            }
            this.maxAttempts = v;
            return this;
        }

        /** First retry delay and the cap of the exponential backoff. Default 500 ms, 30 s. */
        public Builder backoff(Duration initial, Duration max) {
            if (initial.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException(
                        "download backoff must satisfy 0 <= initial <= max (got "
                                + initial
                                + ", "
                                + max
                                + ")");
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** Total bytes per second across all files of one call; default unlimited. */
        public Builder bandwidthLimit(long bytesPerSecond) {
            if (bytesPerSecond < 1024) {
                throw new IllegalArgumentException(
                        "download bandwidth limit must be at least 1024 bytes/s (got "
                                + bytesPerSecond
                                + ")");
            }
            this.bandwidthLimit = OptionalLong.of(bytesPerSecond);
            return this;
        }

        /** Removes the bandwidth limit. */
        public Builder unlimitedBandwidth() {
            this.bandwidthLimit = OptionalLong.empty();
            return this;
        }

        /** Time source for progress rates and ETAs. Default UTC system clock. */
        public Builder clock(Clock v) {
            this.clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /** A body that delivers nothing for this long is dropped and retried. Default 60 s. */
        public Builder idleTimeout(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(
                        "download idleTimeout must be positive (got " + v + ")");
            }
            this.idleTimeout = v;
            return this;
        }

        /** Time allowed until response headers arrive. Default 60 s. */
        public Builder requestTimeout(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(
                        "download requestTimeout must be positive (got " + v + ")");
            }
            this.requestTimeout = v;
            return this;
        }

        /** Minimum time between two progress events of one file. Default 500 ms. */
        public Builder progressInterval(Duration v) {
            if (v.isNegative()) {
                throw new IllegalArgumentException("progressInterval must be >= 0 (got " + v + ")");
            }
            this.progressInterval = v;
            return this;
        }

        /** Whether partial files left by an earlier run are resumed. Default true. */
        public Builder resume(boolean v) {
            this.resume = v;
            return this;
        }

        /**
         * Size of each of the 4 buffers per transfer (outside the heap), 16 KiB - 16 MiB. Default 1
         * MiB.
         */
        public Builder bufferSize(int v) {
            if (v < 16 * 1024 || v > 16 * 1024 * 1024) {
                throw new IllegalArgumentException(
                        "download bufferSize must be between 16 KiB and 16 MiB (got " + v + ")");
            }
            this.bufferSize = v;
            return this;
        }

        public DownloadEngine build() {
            return new DownloadEngine(this);
        }
    }
}
