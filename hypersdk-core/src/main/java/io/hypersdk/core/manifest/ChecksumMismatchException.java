package io.hypersdk.core.manifest;

import io.hypersdk.core.HypersdkException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** One or more disks do not match the checksum the manifest records. */
public class ChecksumMismatchException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    private final transient List<Mismatch> mismatches;

    /**
     * Creates the exception.
     *
     * @param mismatches every mismatching disk, at least one
     */
    public ChecksumMismatchException(List<Mismatch> mismatches) {
        super(
                mismatches.stream().map(Mismatch::toString).collect(Collectors.joining("; "))
                        + "; re-export the disk or recompute the checksum");
        this.mismatches = List.copyOf(mismatches);
    }

    /**
     * Every mismatching disk.
     *
     * @return the mismatches, never empty
     */
    public List<Mismatch> mismatches() {
        return mismatches;
    }

    /**
     * A disk whose content does not match its recorded checksum.
     *
     * @param diskId the disk's id
     * @param path the disk file
     * @param expected the recorded {@code sha256:<hex>}
     * @param actual the computed {@code sha256:<hex>}
     */
    public record Mismatch(String diskId, Path path, String expected, String actual) {
        /** Checks for nulls. */
        public Mismatch {
            Objects.requireNonNull(diskId, "diskId");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(actual, "actual");
        }

        @Override
        public String toString() {
            return "checksum mismatch for disk \""
                    + diskId
                    + "\" ("
                    + path
                    + "): expected "
                    + expected
                    + ", got "
                    + actual;
        }
    }
}
