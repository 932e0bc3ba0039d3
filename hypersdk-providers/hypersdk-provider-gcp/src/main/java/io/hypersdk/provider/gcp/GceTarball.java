package io.hypersdk.provider.gcp;

import io.hypersdk.core.io.DecompressionLimit;
import io.hypersdk.core.io.DecompressionLimitException;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.UnsafeArchiveException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The native Compute Engine export: {@code disk.raw} in a gzip'd GNU tarball, as {@code tar
 * --format=oldgnu -Sczf} writes it (a plain member, or an old-GNU sparse member, type {@code S},
 * with its sparse map and extension headers). Unpacks {@code disk.raw} into a sparse raw image:
 * holes stay holes and all-zero blocks are not written. The decompressed stream is bounded by the
 * disk's size (plus room for the tar headers), and a member larger than the disk is refused, so a
 * small tarball can never fill the output directory.
 */
final class GceTarball {
    static final String MEMBER = "disk.raw";
    private static final int BLOCK = 512;
    private static final int ZERO_RUN = 64 * 1024;

    /** Tar headers, sparse maps and padding the stream may carry beyond the disk's bytes. */
    private static final long HEADER_ROOM = 1L << 20;

    private GceTarball() {}

    /** A data region of a sparse member: {@code length} bytes at {@code offset} of the disk. */
    private record Region(long offset, long length) {}

    /**
     * Unpacks {@code disk.raw} of {@code tarball} into {@code target}; returns the disk's size.
     *
     * @param what the tarball's name in messages ({@code gs://bucket/x.tar.gz})
     * @param capacityBytes the disk's size: the most the image may hold
     */
    static long unpack(Path tarball, Path target, long capacityBytes, String what) {
        try (InputStream in = Files.newInputStream(tarball)) {
            return unpack(in, target, capacityBytes, what);
        } catch (IOException e) {
            throw new io.hypersdk.provider.spi.ExportException(
                    "cannot read " + tarball + ": " + e.getMessage(), e);
        }
    }

    /**
     * Unpacks {@code disk.raw} of the gzip'd tarball read from {@code compressed} (which stays
     * open: the caller may read the rest) into {@code target}; returns the disk's size.
     *
     * @param what the tarball's name in messages ({@code gs://bucket/x.tar.gz})
     * @param capacityBytes the disk's size: the most the image may hold
     */
    static long unpack(InputStream compressed, Path target, long capacityBytes, String what) {
        DecompressionLimit limit =
                new DecompressionLimit(
                        what + "!" + MEMBER,
                        capacityBytes + HEADER_ROOM,
                        "disk size " + capacityBytes + " bytes + 1 MiB of tar headers");
        InputStream keptOpen =
                new FilterInputStream(compressed) {
                    @Override
                    public void close() {
                        // the caller owns the stream
                    }
                };
        try (InputStream in =
                        limit.bound(
                                new GZIPInputStream(
                                        new BufferedInputStream(keptOpen, 1 << 16), 1 << 16));
                FileChannel out =
                        FileChannel.open(
                                target,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE,
                                StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] header = new byte[BLOCK];
            while (true) {
                if (!readBlock(in, header)) {
                    break;
                }
                if (allZero(header, 0, BLOCK)) {
                    break; // end-of-archive marker
                }
                String name = text(header, 0, 100);
                char type = (char) header[156];
                long size = number(header, 124, 12);
                if (type == 'L' || type == 'x' || type == 'g' || type == 'K') {
                    if (type == 'x'
                            && text(readAll(in, size), 0, (int) Math.min(size, Integer.MAX_VALUE))
                                    .contains("GNU.sparse")) {
                        throw new InvalidSourceException(
                                what
                                        + " holds a PAX sparse member, which this exporter does not read;"
                                        + " Compute Engine writes old-GNU tarballs: use --provider-option format=vmdk instead");
                    } else if (type != 'x') {
                        skip(in, size);
                    }
                    continue;
                }
                String base = name.startsWith("./") ? name.substring(2) : name;
                if (!base.equals(MEMBER)) {
                    skip(in, size);
                    continue;
                }
                if (type == 'S') {
                    return sparse(in, header, size, out, capacityBytes, what);
                }
                if (type != '0' && type != '\0') {
                    throw new InvalidSourceException(
                            what
                                    + ": member "
                                    + MEMBER
                                    + " has tar type '"
                                    + type
                                    + "', not a file");
                }
                checkSize(size, capacityBytes, what);
                copy(in, out, 0, size);
                skip(in, pad(size));
                setLength(out, size);
                return size;
            }
            throw new InvalidSourceException(
                    what
                            + " holds no "
                            + MEMBER
                            + "; it is not a Compute Engine image export:"
                            + " check the object, or export with --provider-option format=vmdk");
        } catch (DecompressionLimitException e) {
            throw new UnsafeArchiveException(e.getMessage(), e);
        } catch (ZipException e) {
            throw new InvalidSourceException(
                    what
                            + " is not valid gzip ("
                            + e.getMessage()
                            + "); the export is corrupt:"
                            + " export again");
        } catch (EOFException e) {
            throw new InvalidSourceException(
                    what
                            + " ends in the middle of "
                            + MEMBER
                            + "; the export is truncated:"
                            + " export again");
        } catch (IOException e) {
            throw new io.hypersdk.provider.spi.ExportException(
                    "cannot unpack "
                            + what
                            + " into "
                            + target
                            + ": "
                            + e.getMessage()
                            + "; check free space and permissions of "
                            + target.getParent(),
                    e);
        }
    }

    /**
     * An old-GNU sparse member: its map (in the header and extension headers), then the regions'
     * data.
     */
    private static long sparse(
            InputStream in, byte[] header, long stored, FileChannel out, long capacity, String what)
            throws IOException {
        List<Region> regions = new ArrayList<>();
        readMap(header, 386, 4, regions);
        long realSize = number(header, 483, 12);
        boolean extended = header[482] != 0;
        byte[] ext = new byte[BLOCK];
        while (extended) {
            if (!readBlock(in, ext)) {
                throw new EOFException();
            }
            readMap(ext, 0, 21, regions);
            extended = ext[504] != 0;
        }
        checkSize(realSize, capacity, what);
        long total = 0;
        for (Region r : regions) {
            if (r.offset() < 0 || r.length() < 0 || r.offset() + r.length() > realSize) {
                throw new UnsafeArchiveException(
                        what
                                + ": a sparse region of "
                                + MEMBER
                                + " ("
                                + r.length()
                                + " bytes at "
                                + r.offset()
                                + ") lies outside its size "
                                + realSize
                                + "; the export is corrupt");
            }
            copy(in, out, r.offset(), r.length());
            total += r.length();
        }
        if (total != stored) {
            throw new InvalidSourceException(
                    what
                            + ": the sparse map of "
                            + MEMBER
                            + " covers "
                            + total
                            + " bytes but the member stores "
                            + stored
                            + "; the export is corrupt");
        }
        skip(in, pad(stored));
        setLength(out, realSize);
        return realSize;
    }

    /** Truncates, or extends with a final zero byte (the rest stays a hole). */
    private static void setLength(FileChannel out, long size) throws IOException {
        if (out.size() > size) {
            out.truncate(size);
        } else if (out.size() < size) {
            out.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    private static void readMap(byte[] b, int at, int entries, List<Region> regions) {
        for (int i = 0; i < entries; i++) {
            int o = at + i * 24;
            if (b[o] == 0) {
                return;
            }
            regions.add(new Region(number(b, o, 12), number(b, o + 12, 12)));
        }
    }

    private static void checkSize(long size, long capacity, String what) {
        if (size > capacity) {
            throw new UnsafeArchiveException(
                    what
                            + ": "
                            + MEMBER
                            + " declares "
                            + size
                            + " bytes, more than the disk's "
                            + capacity
                            + "; refusing to unpack it");
        }
    }

    /** Copies {@code length} bytes to {@code offset}, leaving runs of zeros as holes. */
    private static void copy(InputStream in, FileChannel out, long offset, long length)
            throws IOException {
        byte[] buf = new byte[ZERO_RUN];
        long done = 0;
        while (done < length) {
            int want = (int) Math.min(buf.length, length - done);
            int n = in.readNBytes(buf, 0, want);
            if (n < want) {
                throw new EOFException();
            }
            if (!allZero(buf, 0, n)) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                long pos = offset + done;
                while (bb.hasRemaining()) {
                    pos += out.write(bb, pos);
                }
            }
            done += n;
        }
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException();
        }
        return true;
    }

    private static byte[] readAll(InputStream in, long size) throws IOException {
        if (size > (1 << 20)) {
            throw new InvalidSourceException(
                    "a tar extended header of " + size + " bytes is too large");
        }
        byte[] b = in.readNBytes((int) size);
        skip(in, pad(size));
        return b;
    }

    private static void skip(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
    }

    private static long pad(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] b, int at, int len) {
        int end = at;
        while (end < at + len && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, at, end - at, StandardCharsets.UTF_8);
    }

    /** A tar number: octal text, or GNU base-256 when the first byte has its high bit set. */
    static long number(byte[] b, int at, int len) {
        if ((b[at] & 0x80) != 0) {
            long v = b[at] & 0x7f;
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (b[at + i] & 0xff);
            }
            return v;
        }
        String s = text(b, at, len).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new InvalidSourceException(
                    "a tar header number '" + s + "' is not octal; the export is corrupt");
        }
    }
}
