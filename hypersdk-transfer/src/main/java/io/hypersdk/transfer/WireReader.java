package io.hypersdk.transfer;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads an HTTP/1.1 response off a channel: lines (status, headers, chunk sizes) through a small
 * look-ahead buffer, body bytes straight into the caller's buffer once the look-ahead is drained,
 * so a body costs one copy (kernel to the caller's buffer).
 */
final class WireReader {

    private final ReadableByteChannel channel;
    private final ByteBuffer look;

    WireReader(ReadableByteChannel channel, int lookAhead) {
        this.channel = channel;
        this.look = ByteBuffer.allocate(lookAhead).flip();
    }

    /**
     * One line without its CRLF (a bare LF also ends it), ISO-8859-1.
     *
     * @throws EOFException the connection ended before a whole line
     * @throws ProtocolException the line is longer than {@code max} bytes
     */
    String readLine(int max, String what) throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = look.position() + scanned; i < look.limit(); i++) {
                if (look.get(i) == '\n') {
                    int start = look.position();
                    int end = i > start && look.get(i - 1) == '\r' ? i - 1 : i;
                    if (end - start > max) {
                        throw new ProtocolException(what + " is longer than " + max + " bytes");
                    }
                    byte[] b = new byte[end - start];
                    look.get(b);
                    look.position(i + 1);
                    return new String(b, StandardCharsets.ISO_8859_1);
                }
            }
            scanned = look.remaining();
            if (scanned > max) {
                throw new ProtocolException(what + " is longer than " + max + " bytes");
            }
            if (fill() < 0) {
                throw new EOFException("connection closed in the middle of the " + what);
            }
        }
    }

    /**
     * Reads at most {@code max} bytes into {@code dst}: first what the look-ahead holds, then
     * directly from the channel. Returns -1 at the end of the stream, else the count (> 0 unless
     * {@code dst} is full or {@code max} is 0).
     */
    int read(ByteBuffer dst, long max) throws IOException {
        int room = (int) Math.min(dst.remaining(), max);
        if (room <= 0) {
            return 0;
        }
        if (look.hasRemaining()) {
            int n = Math.min(room, look.remaining());
            ByteBuffer slice = look.slice(look.position(), n);
            dst.put(slice);
            look.position(look.position() + n);
            return n;
        }
        int limit = dst.limit();
        dst.limit(dst.position() + room);
        try {
            int n;
            do {
                n = channel.read(dst);
            } while (n == 0);
            return n;
        } finally {
            dst.limit(limit);
        }
    }

    /** Bytes read off the channel but not yet handed out. */
    int buffered() {
        return look.remaining();
    }

    /** Compacts the look-ahead and reads more into it; -1 at the end of the stream. */
    private int fill() throws IOException {
        look.compact();
        try {
            if (!look.hasRemaining()) {
                throw new ProtocolException("a line does not fit in " + look.capacity() + " bytes");
            }
            int n;
            do {
                n = channel.read(look);
            } while (n == 0);
            return n;
        } finally {
            look.flip();
        }
    }
}
