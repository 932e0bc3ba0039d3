package io.hypersdk.provider.spi.ova;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Packs exported files into an OVA: a tar archive of the files, in the order given, each under its
 * file name (no directories). The OVF specification wants the descriptor ({@code .ovf}) first, then
 * the manifest ({@code .mf}) if any, then the disks: callers pass them in that order.
 *
 * <p>The archive is POSIX ustar (mode 0644, uid/gid 0, the member's modification time), with two
 * GNU extensions that GNU tar, libarchive, Python's {@code tarfile} and the local provider read: a
 * {@code ././@LongLink} entry before a member whose name exceeds 100 bytes, and a base-256 size for
 * members of 8 GiB and more.
 *
 * <p>Nothing is half-written: the archive streams into {@code .<name>.part} next to the target (one
 * 1 MiB buffer, constant memory), is fsynced, and is renamed over the target only when complete; on
 * any failure or cancellation the part file is removed and an existing target is left as it was.
 */
public final class OvaWriter {
    private static final int BLOCK = 512;
    private static final int NAME_FIELD = 100;

    private OvaWriter() {}

    /**
     * Writes {@code ova} holding {@code members}, in that order.
     *
     * @param ova the archive to write; replaced if it exists
     * @param members regular files to pack, descriptor first; each is stored under its file name
     * @param cancellation checked between buffers
     * @throws IOException a member cannot be read or changed size while being packed, or the
     *     archive cannot be written or renamed into place (message names the file)
     * @throws CancelledException when {@code cancellation} is cancelled before the rename
     */
    public static void write(Path ova, List<Path> members, Cancellation cancellation)
            throws IOException {
        Path part = ova.resolveSibling("." + ova.getFileName() + ".part");
        try {
            pack(part, members, cancellation);
            try {
                Files.move(
                        part,
                        ova,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, ova, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void pack(Path part, List<Path> members, Cancellation cancellation)
            throws IOException {
        try (FileChannel ch =
                        FileChannel.open(
                                part,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING,
                                StandardOpenOption.WRITE);
                OutputStream out = Channels.newOutputStream(ch)) {
            byte[] buf = new byte[1 << 20];
            for (Path m : members) {
                String name = m.getFileName().toString();
                long size = Files.size(m);
                long mtime = Math.max(0, Files.getLastModifiedTime(m).toMillis() / 1000);
                byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
                if (nameBytes.length > NAME_FIELD) {
                    out.write(header("././@LongLink", nameBytes.length + 1, 0, 'L'));
                    out.write(nameBytes);
                    out.write(new byte[pad(nameBytes.length + 1) + 1]);
                }
                out.write(header(name, size, mtime, '0'));
                try (InputStream in = Files.newInputStream(m)) {
                    long copied = 0;
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        if (cancellation.isCancelled()) {
                            throw new CancelledException(
                                    "export cancelled while writing " + part.getFileName());
                        }
                        out.write(buf, 0, n);
                        copied += n;
                    }
                    if (copied != size) {
                        throw new IOException(m + " changed size while being packed");
                    }
                }
                out.write(new byte[pad(size)]);
            }
            out.write(new byte[2 * BLOCK]);
            ch.force(true);
        }
    }

    private static int pad(long size) {
        return (int) ((BLOCK - size % BLOCK) % BLOCK);
    }

    /**
     * One tar header block; a name longer than the field is cut (a long-name entry precedes it).
     */
    static byte[] header(String name, long size, long mtime, char type) {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(NAME_FIELD, n.length));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        if (size > 077777777777L) { // GNU base-256 for members of 8 GiB and more
            h[124] = (byte) 0x80;
            for (int i = 0; i < 8; i++) {
                h[135 - i] = (byte) (size >>> (8 * i));
            }
        } else {
            octal(h, 124, 12, size);
        }
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 257, magic.length);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        if (s.length() > len - 1) {
            throw new IllegalArgumentException("value " + v + " does not fit a tar header field");
        }
        s = "0".repeat(len - 1 - s.length()) + s;
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }
}
