package io.hypersdk.provider.aws;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.IntegrityException;
import io.hypersdk.provider.spi.TransferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ebs.EbsClient;
import software.amazon.awssdk.services.ebs.model.Block;
import software.amazon.awssdk.services.ebs.model.GetSnapshotBlockResponse;
import software.amazon.awssdk.services.ebs.model.ListSnapshotBlocksResponse;

/**
 * Reads one snapshot with the EBS direct APIs into a sparse raw image of the volume's size:
 * ListSnapshotBlocks page by page, GetSnapshotBlock for only the listed (written) blocks, many at
 * once, each block's SHA-256 ({@code x-amz-Checksum}) checked before it is written at its offset. A
 * block that fails its check is read again, up to the tuning's attempts. The image is written as
 * {@code .<name>.part} and renamed into place when complete; a failed or cancelled read deletes the
 * partial file (block tokens expire, so it could not be resumed).
 */
final class SnapshotBlockReader {
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(500);

    private final EbsClient ebs;
    private final int parallel;
    private final int blockAttempts;

    /**
     * One block buffer per reading thread: the heap holds {@code parallel} blocks, not one per
     * block read.
     */
    private final ThreadLocal<byte[]> buffer = ThreadLocal.withInitial(() -> new byte[0]);

    SnapshotBlockReader(EbsClient ebs, int parallel, int blockAttempts) {
        this.ebs = ebs;
        this.parallel = parallel;
        this.blockAttempts = blockAttempts;
    }

    /** What was read. */
    record Result(Path path, long volumeBytes, long bytesTransferred, int blocks) {}

    Result read(
            String snapshotId, Path target, ProgressListener listener, Cancellation cancellation) {
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        String item = target.getFileName().toString();
        AtomicInteger seq = new AtomicInteger();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        parallel,
                        r -> {
                            Thread t =
                                    new Thread(
                                            r,
                                            "hypersdk-ebs-"
                                                    + snapshotId
                                                    + "-"
                                                    + seq.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        Cancellation.Registration reg = cancellation.onCancel(pool::shutdownNow);
        boolean ok = false;
        try (RandomAccessFile raf = new RandomAccessFile(part.toFile(), "rw")) {
            raf.setLength(0);
            FileChannel ch = raf.getChannel();
            AtomicLong done = new AtomicLong();
            long[] lastEvent = {0};
            String token = null;
            long volumeBytes = -1;
            int blocks = 0;
            do {
                cancellation.throwIfCancelled();
                ListSnapshotBlocksResponse page;
                String next = token;
                try {
                    page = ebs.listSnapshotBlocks(b -> b.snapshotId(snapshotId).nextToken(next));
                } catch (SdkException e) {
                    throw AwsErrors.wrap(e, "ListSnapshotBlocks for " + snapshotId);
                }
                int blockSize = page.blockSize();
                if (volumeBytes < 0) {
                    volumeBytes = page.volumeSize() * (1L << 30);
                    raf.setLength(volumeBytes); // sparse: only written blocks take space
                }
                List<Future<?>> futures = new ArrayList<>();
                for (Block block : page.blocks()) {
                    long offset = (long) block.blockIndex() * blockSize;
                    if (offset + blockSize > volumeBytes) {
                        throw new ExportException(
                                "snapshot "
                                        + snapshotId
                                        + " lists block "
                                        + block.blockIndex()
                                        + " beyond its volume size of "
                                        + page.volumeSize()
                                        + " GiB; the snapshot listing is inconsistent");
                    }
                    futures.add(
                            pool.submit(
                                    () -> {
                                        readBlock(snapshotId, block, blockSize, ch, offset);
                                        long d = done.addAndGet(blockSize);
                                        progress(listener, item, d, lastEvent);
                                        return null;
                                    }));
                }
                blocks += futures.size();
                awaitAll(futures, cancellation);
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
            ch.force(true);
            listener.onEvent(
                    new TransferProgress(item, done.get(), done.get(), 0, Optional.empty()));
            raf.close();
            move(part, target);
            ok = true;
            return new Result(target, volumeBytes, done.get(), blocks);
        } catch (IOException e) {
            throw new TransferException(
                    "cannot write "
                            + part
                            + ": "
                            + e.getMessage()
                            + "; check the free space and"
                            + " permissions of the output directory",
                    e);
        } finally {
            reg.close();
            pool.shutdownNow();
            if (!ok) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException e) {
                    // best effort; the next run truncates it
                }
            }
        }
    }

    /**
     * Waits for every block of a page; the first failure stops the others. Cancellation is noticed
     * within 100 ms even while a block read hangs in the network (the read is abandoned).
     */
    private void awaitAll(List<Future<?>> futures, Cancellation cancellation) {
        RuntimeException failure = null;
        for (Future<?> f : futures) {
            while (failure == null) {
                if (cancellation.isCancelled()) {
                    futures.forEach(x -> x.cancel(true));
                    throw new CancelledException(
                            "EBS block reads cancelled; the snapshots the export created are deleted");
                }
                try {
                    f.get(100, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    // check the cancellation again
                } catch (ExecutionException e) {
                    failure =
                            e.getCause() instanceof RuntimeException r
                                    ? r
                                    : new TransferException(
                                            "reading a snapshot block failed: " + e.getCause(),
                                            e.getCause());
                    futures.forEach(x -> x.cancel(true));
                } catch (java.util.concurrent.CancellationException e) {
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(x -> x.cancel(true));
                    throw new CancelledException("EBS block reads interrupted");
                }
            }
        }
        cancellation.throwIfCancelled();
        if (failure != null) {
            throw failure;
        }
    }

    private void readBlock(
            String snapshotId, Block block, int blockSize, FileChannel ch, long offset)
            throws IOException {
        byte[] buf = buffer.get();
        if (buf.length != blockSize) {
            buf = new byte[blockSize];
            buffer.set(buf);
        }
        String expected = null;
        String got = null;
        for (int attempt = 1; attempt <= blockAttempts; attempt++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancelledException("EBS block reads cancelled");
            }
            int n;
            MessageDigest sha = sha256();
            try (ResponseInputStream<GetSnapshotBlockResponse> in =
                    ebs.getSnapshotBlock(
                            b ->
                                    b.snapshotId(snapshotId)
                                            .blockIndex(block.blockIndex())
                                            .blockToken(block.blockToken()))) {
                n = readFully(in, buf);
                GetSnapshotBlockResponse r = in.response();
                expected = r.checksum();
                if (r.checksumAlgorithm() != null
                        && !"SHA256".equals(r.checksumAlgorithmAsString())) {
                    throw new IntegrityException(
                            "block "
                                    + block.blockIndex()
                                    + " of "
                                    + snapshotId
                                    + " came with a "
                                    + r.checksumAlgorithmAsString()
                                    + " checksum, which this reader cannot verify (it knows SHA256)");
                }
                if (r.dataLength() != null && r.dataLength() != n) {
                    got =
                            "a body of "
                                    + n
                                    + " bytes where x-amz-Data-Length says "
                                    + r.dataLength();
                    continue;
                }
            } catch (SdkException e) {
                throw AwsErrors.wrap(
                        e, "GetSnapshotBlock " + block.blockIndex() + " of " + snapshotId);
            }
            sha.update(buf, 0, n);
            got = Base64.getEncoder().encodeToString(sha.digest());
            if (expected != null && expected.equals(got)) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                long pos = offset;
                while (bb.hasRemaining()) {
                    pos += ch.write(bb, pos);
                }
                return;
            }
        }
        throw new IntegrityException(
                "block "
                        + block.blockIndex()
                        + " of snapshot "
                        + snapshotId
                        + " failed its SHA-256"
                        + " check "
                        + blockAttempts
                        + " times (x-amz-Checksum "
                        + expected
                        + ", received "
                        + got
                        + "); nothing was converted: run the export again, and if it repeats, read the snapshot with method=export-task");
    }

    private static int readFully(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        if (n == buf.length && in.read() >= 0) {
            throw new IOException(
                    "a snapshot block is longer than the block size of " + buf.length + " bytes");
        }
        return n;
    }

    private static synchronized void progress(
            ProgressListener listener, String item, long done, long[] last) {
        long now = System.nanoTime();
        if (now - last[0] >= PROGRESS_EVERY.toNanos()) {
            last[0] = now;
            listener.onEvent(new TransferProgress(item, done, -1, 0, Optional.empty()));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(
                    from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
