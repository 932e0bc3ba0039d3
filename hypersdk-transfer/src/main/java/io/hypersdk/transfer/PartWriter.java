package io.hypersdk.transfer;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a partial file behind the network, on a thread of its own, so that receiving and hashing
 * one buffer overlaps with writing the previous one.
 *
 * <p>The caller {@link #take()}s an empty buffer (direct, aligned), fills it, and {@link #submit}s
 * it; buffers are written in submission order. With direct I/O on and a file system that takes
 * {@code O_DIRECT}, whole blocks bypass the page cache: a disk image of hundreds of GiB neither
 * evicts the host's cache nor pays for it, and the final {@code fsync} has almost nothing left to
 * flush. A tail that is not a whole block (the end of the file, or what arrived before a connection
 * dropped) goes through a normal buffered channel; nothing is ever padded. A file system that
 * refuses {@code O_DIRECT} gets buffered writes throughout.
 *
 * <p>Memory: {@code slots} buffers of {@code slotSize} bytes, outside the heap, whatever the file
 * size.
 */
final class PartWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartWriter.class);
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private static final long JOIN_MILLIS = 30_000;

    private final Path path;
    private final int alignment;
    private final BlockingQueue<ByteBuffer> free;
    private final BlockingQueue<ByteBuffer> full;
    private final Thread thread;
    private FileChannel directChannel;
    private FileChannel bufferedChannel;
    private long position;
    private volatile IOException failure;
    private boolean ended;

    /**
     * The alignment a resume offset must have for {@code path}'s file system: its block size when
     * direct I/O is wanted, else 1.
     */
    static int alignmentFor(Path path, boolean directIo) {
        if (!directIo) {
            return 1;
        }
        try {
            long b = Files.getFileStore(path.getParent()).getBlockSize();
            return b > 0 && b <= (1 << 16) && Long.bitCount(b) == 1 ? (int) b : 4096;
        } catch (IOException | UnsupportedOperationException e) {
            return 4096;
        }
    }

    /**
     * Opens (creating) {@code path}, truncates it to {@code offset} and starts the writer thread.
     *
     * @param offset where writing starts; direct I/O needs a multiple of {@code alignment}, from
     *     anywhere else the writes go through the page cache
     * @param slotSize bytes per buffer, a multiple of {@code alignment}
     * @throws IOException the file cannot be opened or truncated
     */
    PartWriter(Path path, long offset, int slotSize, int slots, int alignment, String threadName)
            throws IOException {
        if (slotSize % alignment != 0) {
            throw new IllegalArgumentException(
                    "slot size " + slotSize + " must be a multiple of " + alignment);
        }
        this.path = path;
        this.alignment = alignment;
        this.position = offset;
        if (alignment > 1) {
            try {
                directChannel =
                        FileChannel.open(
                                path,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE,
                                ExtendedOpenOption.DIRECT);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.debug(
                        "{}: no direct I/O on this file system ({}); writing through the page cache",
                        path.getFileName(),
                        e.toString());
            }
        }
        try {
            (directChannel != null ? directChannel : buffered()).truncate(offset);
        } catch (IOException | RuntimeException e) {
            Http11.closeQuietly(directChannel);
            Http11.closeQuietly(bufferedChannel);
            throw e;
        }
        this.free = new ArrayBlockingQueue<>(slots);
        this.full = new ArrayBlockingQueue<>(slots + 1);
        for (int i = 0; i < slots; i++) {
            free.add(
                    ByteBuffer.allocateDirect(slotSize + alignment)
                            .alignedSlice(alignment)
                            .limit(slotSize)
                            .slice());
        }
        this.thread = new Thread(this::writeLoop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether whole blocks bypass the page cache. */
    boolean direct() {
        return directChannel != null;
    }

    /**
     * An empty buffer to fill; blocks while every buffer is queued for writing.
     *
     * @throws IOException an earlier write failed (no later buffer is written)
     * @throws InterruptedException the caller was interrupted
     */
    ByteBuffer take() throws IOException, InterruptedException {
        ByteBuffer b = free.take();
        IOException f = failure;
        if (f != null) {
            free.add(b);
            throw f;
        }
        return b.clear();
    }

    /** Queues a filled buffer (position 0, limit = bytes to write) for writing. */
    void submit(ByteBuffer filled) {
        if (!full.offer(filled)) {
            throw new IllegalStateException("more buffers submitted than taken");
        }
    }

    /** Gives back a buffer taken but not filled. */
    void giveBack(ByteBuffer unused) {
        free.add(unused);
    }

    /**
     * Writes everything submitted, then makes it durable ({@code fsync}).
     *
     * @throws IOException a write or the fsync failed
     */
    void finish() throws IOException, InterruptedException {
        end();
        thread.join();
        IOException f = failure;
        if (f != null) {
            throw f;
        }
        if (directChannel != null) {
            directChannel.force(true);
        }
        if (bufferedChannel != null) {
            bufferedChannel.force(true);
        }
    }

    /**
     * Writes what was submitted (it is valid data a later attempt resumes from), stops the thread
     * and closes the file. Waits at most 30 s for a stuck disk, then interrupts the writer.
     */
    @Override
    public void close() {
        end();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        while (thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn(
                        "{}: the disk did not finish a write within {} s; abandoning it",
                        path.getFileName(),
                        JOIN_MILLIS / 1000);
                thread.interrupt();
                break;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted =
                        true; // finish closing first; the caller sees the interrupt afterwards
            }
        }
        Http11.closeQuietly(directChannel);
        Http11.closeQuietly(bufferedChannel);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void end() {
        if (!ended) {
            ended = true;
            full.add(END);
        }
    }

    private void writeLoop() {
        while (true) {
            ByteBuffer b;
            try {
                b = full.take();
            } catch (InterruptedException e) {
                failure = new IOException("writer of " + path.getFileName() + " interrupted");
                return;
            }
            if (b == END) {
                return;
            }
            if (failure == null) {
                try {
                    write(b);
                } catch (IOException e) {
                    failure = e;
                }
            }
            free.add(b); // after a failure buffers still circulate, so take() wakes up and reports
            // it
        }
    }

    private void write(ByteBuffer b) throws IOException {
        int length = b.remaining();
        if (directChannel != null && position % alignment == 0) {
            int whole = length - length % alignment;
            if (whole > 0) {
                ByteBuffer blocks = b.duplicate().limit(b.position() + whole);
                try {
                    while (blocks.hasRemaining()) {
                        position += directChannel.write(blocks, position);
                    }
                } catch (IOException e) {
                    // EINVAL from a file system that opens with O_DIRECT but will not write so, or
                    // an
                    // alignment the JDK wants larger than the block size: the same bytes go through
                    // the
                    // page cache below, and a real disk error (no space) fails there again
                    LOG.debug(
                            "{}: direct write refused ({}); writing through the page cache from now on",
                            path.getFileName(),
                            e.toString());
                    Http11.closeQuietly(directChannel);
                    directChannel = null;
                }
                b.position(blocks.position());
            }
        }
        FileChannel c = b.hasRemaining() ? buffered() : null;
        while (b.hasRemaining()) {
            position += c.write(b, position);
        }
    }

    private FileChannel buffered() throws IOException {
        if (bufferedChannel == null) {
            bufferedChannel =
                    FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        return bufferedChannel;
    }
}
