package io.hypersdk.provider.gcp;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Reads a file while the download engine is still writing it: the engine streams {@code target}
 * into {@code .<name>.part} next to it (its documented layout) and renames it into place when
 * complete. This stream reads the part file up to the bytes already written and waits for more
 * (woken by the engine's progress events, or after {@value #WAIT_MS} ms), until {@code length}
 * bytes were read.
 *
 * <p>It is correct only for an object that cannot change under it: a Cloud Storage object of one
 * {@code generation}, whose part file carries that generation in its name. When the engine starts
 * over (it deletes the part file and writes a new one from byte 0) the stream reopens the new file
 * and waits until it has grown past the position already read: every byte at a given offset is the
 * same byte of the same immutable object, whichever attempt wrote it. Bytes mangled on the wire are
 * caught by the CRC32C and MD5 over exactly the bytes this stream returned ({@link #digests}).
 */
final class FollowingStream extends InputStream {
    static final long WAIT_MS = 100;

    private final Path target;
    private final Path part;
    private final long length;
    private final Cancellation cancellation;
    private final StorageObject.Digests digests = new StorageObject.Digests();
    private final Object lock = new Object();
    private FileChannel channel;
    private Object fileKey;
    private long position;
    private boolean ended;
    private Throwable failure;

    FollowingStream(Path target, long length, Cancellation cancellation) {
        this.target = target;
        this.part = target.resolveSibling("." + target.getFileName() + ".part");
        this.length = length;
        this.cancellation = cancellation;
    }

    /** CRC32C and MD5 of every byte returned so far. */
    StorageObject.Digests digests() {
        return digests;
    }

    /** Wakes a waiting reader: the engine wrote more. */
    void progressed() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** The download ended, {@code failure} null when it completed. */
    void ended(Throwable failure) {
        synchronized (lock) {
            this.ended = true;
            this.failure = failure;
            lock.notifyAll();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (position >= length) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            cancellation.throwIfCancelled();
            follow();
            if (channel != null && channel.size() > position) {
                int want = (int) Math.min(len, Math.min(channel.size(), length) - position);
                int n = channel.read(ByteBuffer.wrap(b, off, want), position);
                if (n > 0) {
                    digests.update(b, off, n);
                    position += n;
                    return n;
                }
            }
            synchronized (lock) {
                if (ended && failure != null) {
                    throw new DownloadEnded(failure);
                }
                if (ended && channel != null && !reopenable()) {
                    throw new IOException(
                            target
                                    + " ended at byte "
                                    + channel.size()
                                    + " of "
                                    + length
                                    + " while it was unpacked");
                }
                try {
                    lock.wait(WAIT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancelledException("interrupted while unpacking " + target);
                }
            }
        }
    }

    /** Opens the part file (or the finished target), reopening when the engine started over. */
    private void follow() throws IOException {
        if (channel != null && channel.size() > position) {
            return;
        }
        if (channel == null || reopenable()) {
            for (Path p : new Path[] {part, target}) {
                try {
                    FileChannel c = FileChannel.open(p);
                    Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
                    if (channel != null) {
                        channel.close();
                    }
                    channel = c;
                    fileKey = key;
                    return;
                } catch (NoSuchFileException e) {
                    // not written yet, or renamed between the two looks: try the other one
                }
            }
        }
    }

    /** Whether the file now at the part or target path is another one than the one read. */
    private boolean reopenable() throws IOException {
        for (Path p : new Path[] {part, target}) {
            try {
                Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
                return !Objects.equals(key, fileKey);
            } catch (NoSuchFileException e) {
                // look at the other one
            }
        }
        return false;
    }

    /** Reads whatever is left, so that the digests cover the whole object. */
    void drain() throws IOException {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
            // only the digests want these bytes
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * The download failed; its exception is the cause. Unchecked, so that it passes through the
     * reader's own handling of I/O errors.
     */
    static final class DownloadEnded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DownloadEnded(Throwable cause) {
            super("the download failed", cause);
        }
    }
}
