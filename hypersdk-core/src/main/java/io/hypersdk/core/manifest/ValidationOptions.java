package io.hypersdk.core.manifest;

/**
 * How much {@link ManifestValidator} checks beyond the document's own rules.
 *
 * @param diskFiles check that every {@code local_path} is an existing regular file
 * @param checksums re-hash every disk that has a checksum and compare (implies {@code diskFiles})
 */
public record ValidationOptions(boolean diskFiles, boolean checksums) {
    /** Makes {@code checksums} imply {@code diskFiles}. */
    public ValidationOptions {
        diskFiles = diskFiles || checksums;
    }

    /**
     * The document's rules only; the disks need not exist (what reading does).
     *
     * @return structural checks
     */
    public static ValidationOptions structural() {
        return new ValidationOptions(false, false);
    }

    /**
     * Structural checks plus: every disk file exists.
     *
     * @return structural and disk-file checks
     */
    public static ValidationOptions withDiskFiles() {
        return new ValidationOptions(true, false);
    }

    /**
     * Structural and disk-file checks plus: every checksum matches the file (reads every disk).
     *
     * @return all checks
     */
    public static ValidationOptions withChecksums() {
        return new ValidationOptions(true, true);
    }
}
