package io.hypersdk.provider.hyperv;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream over a file read by offset (an SFTP handle, an SMB file), from a start offset.
 */
abstract class PositionalInputStream extends InputStream {
    private long position;

    PositionalInputStream(long offset) {
        this.position = offset;
    }

    /** Reads up to {@code len} bytes at {@code at}; -1 at the end of the file. */
    abstract int readAt(long at, byte[] b, int off, int len) throws IOException;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = readAt(position, b, off, len);
        if (n > 0) {
            position += n;
        }
        return n;
    }
}
