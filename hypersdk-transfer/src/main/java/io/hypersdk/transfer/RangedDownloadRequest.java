package io.hypersdk.transfer;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One file assembled from byte ranges of a remote object: only {@code ranges} are fetched (with
 * {@code Range} requests, in parallel) and written at their offsets into a sparse file of {@code
 * size} bytes; everything else stays a hole (reads as zeros). For disks whose source knows which
 * ranges hold data (an Azure page blob's page ranges, an EBS snapshot's blocks).
 *
 * @param source where the object is; a source whose URL expires renews it when refused
 * @param target final path; written only by an atomic rename once every range arrived
 * @param size the object's (and the file's) size in bytes
 * @param ranges the ranges to fetch, within {@code [0, size)}; sorted and merged on build
 * @param headers extra request headers (redacted in {@link #toString()})
 */
public record RangedDownloadRequest(
        UriSource source, Path target, long size, List<Range> ranges, Map<String, String> headers) {

    /** A byte range: {@code length} bytes from {@code offset}. */
    public record Range(long offset, long length) {
        public Range {
            if (offset < 0 || length <= 0) {
                throw new IllegalArgumentException(
                        "a byte range needs offset >= 0 and length > 0 (got "
                                + offset
                                + "+"
                                + length
                                + ")");
            }
        }

        /** The offset just past the range. */
        public long end() {
            return offset + length;
        }
    }

    /**
     * The object's current URL. A URL that carries a time-limited grant (a SAS, a presigned URL) is
     * renewed through {@link #renew(URI, int)} when the server refuses it.
     */
    public interface UriSource {
        /** The URL to request now. */
        URI uri();

        /**
         * Called (from one thread at a time) when the server answered {@code status} (401 or 403)
         * to {@code refused}; returns a new URL to continue with, or empty to fail. The default
         * never renews.
         */
        default Optional<URI> renew(URI refused, int status) {
            return Optional.empty();
        }

        /** A fixed URL that is never renewed. */
        static UriSource of(URI uri) {
            return () -> uri;
        }
    }

    public RangedDownloadRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        headers = Map.copyOf(headers);
        if (target.getFileName() == null) {
            throw new IllegalArgumentException("download target '" + target + "' has no file name");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0 (got " + size + ")");
        }
        ranges = merged(ranges, size);
    }

    /** A request with no extra headers. */
    public static RangedDownloadRequest of(
            UriSource source, Path target, long size, List<Range> ranges) {
        return new RangedDownloadRequest(source, target, size, ranges, Map.of());
    }

    /** The bytes the ranges hold together: what is transferred. */
    public long rangeBytes() {
        return ranges.stream().mapToLong(Range::length).sum();
    }

    /** Sorted, overlapping and touching ranges joined; refuses a range past {@code size}. */
    private static List<Range> merged(List<Range> in, long size) {
        List<Range> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparingLong(Range::offset));
        List<Range> out = new ArrayList<>();
        for (Range r : sorted) {
            if (r.end() > size) {
                throw new IllegalArgumentException(
                        "byte range "
                                + r.offset()
                                + "+"
                                + r.length()
                                + " ends past the size "
                                + size);
            }
            if (!out.isEmpty() && out.get(out.size() - 1).end() >= r.offset()) {
                Range last = out.remove(out.size() - 1);
                out.add(new Range(last.offset(), Math.max(last.end(), r.end()) - last.offset()));
            } else {
                out.add(r);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "RangedDownloadRequest[uri="
                + DownloadRequest.redact(source.uri())
                + ", target="
                + target
                + ", size="
                + size
                + ", ranges="
                + ranges.size()
                + " ("
                + rangeBytes()
                + " bytes), headers="
                + headers.keySet()
                + "]";
    }
}
