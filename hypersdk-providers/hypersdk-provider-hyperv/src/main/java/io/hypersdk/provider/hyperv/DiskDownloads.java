package io.hypersdk.provider.hyperv;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.provider.spi.IntegrityException;
import io.hypersdk.provider.spi.TransferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies exported disk files to the output directory: several at once, each into {@code
 * .<name>.part} first and renamed when complete. A {@code .part} left by an earlier run is resumed
 * at its length (its bytes are hashed first), so the SHA-256 always covers the whole file and is
 * computed while streaming.
 */
final class DiskDownloads {
    private static final Logger LOG = LoggerFactory.getLogger(DiskDownloads.class);
    private static final int BUFFER = 1 << 20;
    static final int ATTEMPTS = 3;

    private DiskDownloads() {}

    /** A file to fetch: its host path, its size on the host, and where it goes. */
    record Planned(String windowsPath, long bytes, Path target) {}

    /** A fetched file. */
    record Fetched(Path path, long bytes, String sha256) {
        String checksum() {
            return "sha256:" + sha256;
        }
    }

    /**
     * Fetches every planned file, {@code parallel} at a time, each through its own {@link
     * RemoteFiles} from {@code opener}.
     */
    static List<Fetched> fetch(
            List<Planned> plan,
            int parallel,
            Supplier<RemoteFiles> opener,
            ProgressListener listener,
            Cancellation cancellation) {
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        Math.max(1, Math.min(parallel, plan.size())),
                        r -> {
                            Thread t = new Thread(r, "hyperv-download");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            List<Future<Fetched>> futures = new ArrayList<>();
            for (Planned p : plan) {
                futures.add(
                        pool.submit(
                                () -> {
                                    Fetched f = fetchResuming(p, opener, cancellation);
                                    synchronized (
                                            listener) { // the SPI promises one event at a time
                                        listener.onEvent(
                                                new TransferProgress(
                                                        p.target().getFileName().toString(),
                                                        f.bytes(),
                                                        f.bytes(),
                                                        0,
                                                        java.util.Optional.empty()));
                                    }
                                    return f;
                                }));
            }
            List<Fetched> out = new ArrayList<>();
            for (Future<Fetched> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new TransferException(
                            "copying an exported disk failed: "
                                    + c.getMessage()
                                    + "; run the export again to resume",
                            c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancelledException("interrupted while copying the exported disks");
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Up to {@link #ATTEMPTS} tries, each resuming where the last one stopped. */
    static Fetched fetchResuming(Planned p, Supplier<RemoteFiles> opener, Cancellation cancellation)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (RemoteFiles files = opener.get()) {
                return fetchOne(p, files, cancellation);
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                LOG.info(
                        "copying {} failed ({}); resuming, attempt {} of {}",
                        p.windowsPath(),
                        e.toString(),
                        attempt + 1,
                        ATTEMPTS);
            }
        }
    }

    static Fetched fetchOne(Planned p, RemoteFiles files, Cancellation cancellation)
            throws IOException {
        Path part = p.target().resolveSibling("." + p.target().getFileName() + ".part");
        MessageDigest sha = sha256();
        long have = 0;
        if (Files.exists(part)) {
            have = Files.size(part);
            if (have > p.bytes()) {
                Files.delete(part); // larger than the source: not a prefix of it
                have = 0;
            } else {
                try (InputStream in = Files.newInputStream(part)) {
                    byte[] buf = new byte[BUFFER];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, n);
                    }
                }
                LOG.info(
                        "resuming {} at byte {} of {} over {}",
                        p.windowsPath(),
                        have,
                        p.bytes(),
                        files.name());
            }
        }
        long total = have;
        try (InputStream in = files.open(p.windowsPath(), have);
                OutputStream out =
                        Files.newOutputStream(
                                part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) > 0; ) {
                cancellation.throwIfCancelled();
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                total += n;
            }
        }
        if (total != p.bytes()) {
            throw new IntegrityException(
                    "copied "
                            + total
                            + " bytes of "
                            + p.windowsPath()
                            + " over "
                            + files.name()
                            + " but the host reported "
                            + p.bytes()
                            + "; run the export again to resume");
        }
        Files.move(
                part,
                p.target(),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        return new Fetched(p.target(), total, HexFormat.of().formatHex(sha.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
