package io.hypersdk.core.io;

import io.hypersdk.core.manifest.DiskFormat;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The most bytes a compressed member may inflate to, from what its descriptor declares: a gzip'd
 * OVF disk, a cloud image tarball, a gzip'd VHD. Every provider that decompresses wraps the
 * decompressed stream with {@link #bound(InputStream)}, so a small member that claims to be a 1 MiB
 * disk can never fill the output directory with gigabytes (a decompression bomb).
 *
 * <pre>{@code
 * DecompressionLimit limit = DecompressionLimit.forDisk("x.ova!disk1.vmdk.gz", capacity, DiskFormat.VMDK);
 * try (InputStream in = limit.bound(new GZIPInputStream(raw))) { ... }   // throws DecompressionLimitException
 * }</pre>
 *
 * @param member the member's name in messages ({@code x.ova!disk1.vmdk.gz}); never null
 * @param declaredBytes the most bytes the member may inflate to; at least 0
 * @param basis what the bound was derived from, for messages ({@code "ovf:size"}, {@code "capacity
 *     1048576 bytes + vmdk overhead"}); never null
 */
public record DecompressionLimit(String member, long declaredBytes, String basis) {

    /**
     * Metadata a container format may add to a disk's capacity, beyond {@link #overheadFraction()}.
     */
    private static final long FIXED_OVERHEAD = 4L << 20;

    public DecompressionLimit {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(basis, "basis");
        if (declaredBytes < 0) {
            throw new IllegalArgumentException("declaredBytes " + declaredBytes + " must be >= 0");
        }
    }

    /**
     * The bound for a file whose uncompressed size the descriptor states exactly (for example an
     * {@code ovf:size} of the uncompressed file, or a tarball member's size).
     *
     * @param member the member's name in messages
     * @param declaredBytes the uncompressed size the descriptor declares
     * @return the bound
     */
    public static DecompressionLimit ofDeclaredSize(String member, long declaredBytes) {
        return new DecompressionLimit(
                member, declaredBytes, "declared size " + declaredBytes + " bytes");
    }

    /**
     * The bound for a disk image of the given virtual capacity: the capacity plus what the format
     * may add (none for raw; for the container formats 1/64 of the capacity plus 4 MiB, which
     * covers VMDK grain tables and stream markers, qcow2 L2 and refcount tables, VHD/VHDX block
     * maps).
     *
     * @param member the member's name in messages
     * @param capacityBytes the disk's virtual capacity as declared; at least 1
     * @param format the disk's format
     * @return the bound
     * @throws IllegalArgumentException when the capacity is not positive: nothing bounds such a
     *     member
     */
    public static DecompressionLimit forDisk(String member, long capacityBytes, DiskFormat format) {
        Objects.requireNonNull(format, "format");
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException(
                    member + " declares no capacity, so its decompressed size cannot be bounded");
        }
        long overhead = format == DiskFormat.RAW ? 0 : capacityBytes / 64 + FIXED_OVERHEAD;
        long limit =
                capacityBytes > Long.MAX_VALUE - overhead
                        ? Long.MAX_VALUE
                        : capacityBytes + overhead;
        return new DecompressionLimit(
                member,
                limit,
                "capacity "
                        + capacityBytes
                        + " bytes"
                        + (overhead == 0
                                ? ""
                                : " + " + overhead + " bytes of " + format.id() + " metadata"));
    }

    /**
     * Wraps a decompressing stream so that reading past {@link #declaredBytes()} throws.
     *
     * @param decompressed the stream of inflated bytes; closed when the result is closed
     * @return a stream of the same bytes that throws {@link DecompressionLimitException} (an {@link
     *     IOException}) on the first byte past the bound
     */
    public InputStream bound(InputStream decompressed) {
        return new Bounded(Objects.requireNonNull(decompressed, "decompressed"), this);
    }

    /** The one-line message for a member that inflated to at least {@code bytesSeen} bytes. */
    String message(long bytesSeen) {
        return member
                + " inflates past the size its descriptor declares: at most "
                + declaredBytes
                + " bytes ("
                + basis
                + "), but "
                + bytesSeen
                + " bytes were seen before stopping; the package is corrupt or hostile"
                + " (a decompression bomb), nothing was kept";
    }

    private static final class Bounded extends FilterInputStream {
        private final DecompressionLimit limit;
        private long count;

        Bounded(InputStream in, DecompressionLimit limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                seen(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                seen(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            if (s > 0) {
                seen(s);
            }
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void seen(long n) throws DecompressionLimitException {
            count += n;
            if (count > limit.declaredBytes()) {
                throw new DecompressionLimitException(limit, count);
            }
        }
    }
}
