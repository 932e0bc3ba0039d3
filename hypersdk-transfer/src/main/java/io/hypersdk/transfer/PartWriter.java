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
 * <p>Sparse output: with a hole block size ({@link #PartWriter(Path, long, int, int, int, int,
 * String)}), every block of that size, aligned in the file, that holds only zeros is skipped
 * instead of written: it stays a hole that reads as zeros and takes no space. The file still gets
 * its full length ({@code ftruncate}) when the writer finishes or closes, so its size is always the
 * bytes accepted so far, and a resume offset taken from it stays exact.
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
    private final int holeBlock;
    private final BlockingQueue<ByteBuffer> free;
    private final BlockingQueue<ByteBuffer> full;
    private final Thread thread;
    private FileChannel directChannel;
    private FileChannel bufferedChannel;
    private long position;
    private long holeBytes;
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
        this(path, offset, slotSize, slots, alignment, 0, threadName);
    }

    /**
     * As above, and with {@code holeBlock > 0} every all-zero block of {@code holeBlock} bytes
     * (aligned in the file) becomes a hole instead of a write.
     *
     * @param holeBlock 0 (write every byte) or a power of two, normally the file system's block
     *     size
     */
    PartWriter(
            Path path,
            long offset,
            int slotSize,
            int slots,
            int alignment,
            int holeBlock,
            String threadName)
            throws IOException {
        if (holeBlock < 0 || holeBlock > 0 && Integer.bitCount(holeBlock) != 1) {
            throw new IllegalArgumentException(
                    "hole block " + holeBlock + " must be 0 or a power of two");
        }
        this.holeBlock = holeBlock;
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
            Http.closeQuietly(directChannel);
            Http.closeQuietly(bufferedChannel);
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

    /** Bytes skipped as holes so far (all-zero blocks not written). */
    long holeBytes() {
        return holeBytes;
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
        extendToPosition();
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
        if (!thread.isAlive() && failure == null) {
            try {
                extendToPosition(); // a trailing hole is accepted data a resume starts after
            } catch (IOException e) {
                LOG.debug("{}: cannot set the length: {}", path.getFileName(), e.toString());
            }
        }
        Http.closeQuietly(directChannel);
        Http.closeQuietly(bufferedChannel);
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

    /** Gives the file its full length when it ends in a hole (nothing else extends it). */
    private void extendToPosition() throws IOException {
        if (holeBytes > 0) {
            FileChannel c = directChannel != null ? directChannel : buffered();
            if (c.size() < position) {
                try (java.io.RandomAccessFile f =
                        new java.io.RandomAccessFile(path.toFile(), "rw")) {
                    f.setLength(position); // ftruncate: the new bytes are a hole
                }
            }
        }
    }

    /**
     * Writes {@code b} at the current position; with holes on, the aligned all-zero blocks in it
     * are skipped and only the runs between them are written.
     */
    private void write(ByteBuffer b) throws IOException {
        if (holeBlock == 0) {
            writeRun(b);
            return;
        }
        int end = b.limit();
        int runStart = b.position();
        int i = b.position();
        // bytes before the first block boundary in the file are data whatever they hold
        int head = (int) Math.min(end - i, (holeBlock - position % holeBlock) % holeBlock);
        i += head;
        long at = position;
        while (i + holeBlock <= end) {
            if (isZero(b, i, holeBlock)) {
                if (i > runStart) {
                    writeRun(b.duplicate().limit(i).position(runStart));
                }
                int zeroEnd = i + holeBlock;
                while (zeroEnd + holeBlock <= end && isZero(b, zeroEnd, holeBlock)) {
                    zeroEnd += holeBlock;
                }
                position = at + (zeroEnd - b.position());
                holeBytes += zeroEnd - i;
                runStart = zeroEnd;
                i = zeroEnd;
            } else {
                i += holeBlock;
            }
        }
        if (end > runStart) {
            writeRun(b.duplicate().limit(end).position(runStart));
        }
        b.position(end);
    }

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 16);

    private static boolean isZero(ByteBuffer b, int from, int length) {
        for (int o = 0; o < length; o += ZEROS.capacity()) {
            int n = Math.min(ZEROS.capacity(), length - o);
            if (b.slice(from + o, n).mismatch(ZEROS.slice(0, n)) != -1) {
                return false;
            }
        }
        return true;
    }

    private void writeRun(ByteBuffer b) throws IOException {
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
                    Http.closeQuietly(directChannel);
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
