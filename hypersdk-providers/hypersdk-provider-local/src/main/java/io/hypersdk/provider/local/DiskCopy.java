package io.hypersdk.provider.local;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.io.DecompressionLimit;
import io.hypersdk.core.io.DecompressionLimitException;
import io.hypersdk.core.io.FileNameProblems;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.IntegrityException;
import io.hypersdk.provider.spi.InvalidSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Copies one file into the output directory: streams into {@code .<name>.part}, computes SHA-256 of
 * what it writes and the {@code .mf} digest of what it reads, checks the digest, fsyncs and renames
 * into place. On any failure the partial file is removed: nothing half-written stays.
 */
final class DiskCopy {

    private static final int BUFFER = 1 << 20;

    /** What was written. */
    record Copied(Path path, long bytes, String sha256) {}

    private DiskCopy() {}

    /**
     * @param source opens the bytes as stored in the package
     * @param what the source's name in messages ({@code x.ova!disk1.vmdk})
     * @param target final path (in the output directory)
     * @param inflate present when the stored bytes are gzip-compressed: how far they may inflate
     * @param expected the {@code .mf} entry covering the stored bytes, if any
     * @param total the stored size for progress (-1 unknown)
     */
    static Copied copy(
            IoSupplier source,
            String what,
            Path target,
            Optional<DecompressionLimit> inflate,
            Optional<OvfManifestFile.Entry> expected,
            long total,
            String mfName,
            ProgressListener listener,
            Cancellation cancellation,
            Clock clock) {
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        MessageDigest out = digest("SHA-256");
        MessageDigest in = expected.map(e -> digest(e.jdkAlgorithm())).orElse(null);
        long written = 0;
        long read = 0;
        boolean ok = false;
        try {
            try (InputStream raw = source.open();
                    CountingDigestStream counted = new CountingDigestStream(raw, in);
                    OutputStream os =
                            Files.newOutputStream(
                                    part,
                                    StandardOpenOption.CREATE,
                                    StandardOpenOption.TRUNCATE_EXISTING,
                                    StandardOpenOption.WRITE)) {
                @SuppressWarnings(
                        "resource") // closing it closes 'counted', which the try closes anyway
                InputStream data =
                        inflate.isPresent()
                                ? inflate.get().bound(new GZIPInputStream(counted, 1 << 16))
                                : counted;
                byte[] buf = new byte[BUFFER];
                long lastEmit = clock.millis();
                long start = lastEmit;
                emit(listener, target, 0, total, 0);
                int n;
                while ((n = data.read(buf)) > 0) {
                    if (cancellation.isCancelled()) {
                        throw new CancelledException("export cancelled while copying " + what);
                    }
                    os.write(buf, 0, n);
                    out.update(buf, 0, n);
                    written += n;
                    long now = clock.millis();
                    if (now - lastEmit >= 500) {
                        lastEmit = now;
                        double rate = counted.count * 1000.0 / Math.max(1, now - start);
                        emit(
                                listener,
                                target,
                                Math.min(counted.count, total < 0 ? Long.MAX_VALUE : total),
                                total,
                                rate);
                    }
                }
                counted.drain();
                read = counted.count;
                if (inflate.isPresent()) {
                    data.close(); // releases the inflater now rather than at garbage collection
                }
            }
            if (in != null) {
                String got = HexFormat.of().formatHex(in.digest());
                if (!got.equals(expected.get().hex())) {
                    throw new IntegrityException(
                            what
                                    + " does not match its "
                                    + expected.get().algorithm()
                                    + " in "
                                    + mfName
                                    + " (expected "
                                    + expected.get().hex()
                                    + ", got "
                                    + got
                                    + "); the package is corrupt or was modified");
                }
            }
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(
                        part,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            emit(listener, target, written, written, 0);
            ok = true;
            return new Copied(target, written, HexFormat.of().formatHex(out.digest()));
        } catch (DecompressionLimitException e) {
            throw new InvalidSourceException(e.getMessage());
        } catch (ZipException e) {
            throw new InvalidSourceException(
                    what
                            + " is declared gzip-compressed but is not valid gzip: "
                            + e.getMessage()
                            + "; the package is corrupt");
        } catch (IOException e) {
            throw new ExportException(
                    "cannot copy "
                            + what
                            + " to "
                            + target
                            + ": "
                            + FileNameProblems.nameTooLong(part, e)
                                    .orElse(
                                            e.getMessage()
                                                    + "; check free space and permissions of "
                                                    + target.getParent()),
                    e);
        } finally {
            if (!ok) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException e) {
                    // best effort: the export already failed
                }
            }
        }
    }

    private static void emit(
            ProgressListener listener, Path target, long done, long total, double rate) {
        Optional<Duration> eta =
                total > 0 && rate > 0
                        ? Optional.of(Duration.ofMillis((long) ((total - done) * 1000 / rate)))
                        : Optional.empty();
        listener.onEvent(
                new TransferProgress(
                        target.getFileName().toString(), done, Math.max(-1, total), rate, eta));
    }

    static MessageDigest digest(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg + " is not available in this JVM", e);
        }
    }

    /** Opens a stream, may throw IOException. */
    @FunctionalInterface
    interface IoSupplier {
        InputStream open() throws IOException;
    }

    /** Counts and digests the stored bytes as they are read. */
    private static final class CountingDigestStream extends InputStream {
        private final InputStream in;
        private final MessageDigest md;
        long count;

        CountingDigestStream(InputStream in, MessageDigest md) {
            this.in = in;
            this.md = md;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
                if (md != null) {
                    md.update((byte) b);
                }
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (md != null) {
                    md.update(b, off, n);
                }
            }
            return n;
        }

        /** Reads what a decompressor left unread, so the digest covers the whole stored file. */
        void drain() throws IOException {
            byte[] buf = new byte[1 << 16];
            while (read(buf, 0, buf.length) > 0) {
                // digesting
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
