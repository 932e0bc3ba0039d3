package io.hypersdk.core.manifest;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One disk of the manifest ({@code disks[]}).
 *
 * <p>The record holds what a document says; rules such as the id pattern or a non-negative size are
 * checked by {@link ManifestValidator}, so an invalid document can still be represented and
 * reported in full.
 *
 * @param id unique disk id ({@code id}, pattern {@code ^[a-zA-Z0-9_-]+$})
 * @param sourceFormat image format ({@code source_format})
 * @param bytes file size in bytes ({@code bytes})
 * @param localPath absolute path of the disk file ({@code local_path})
 * @param checksum {@code sha256:<64 hex>} ({@code checksum}), empty when not computed
 * @param bootOrderHint 0 = primary boot disk ({@code boot_order_hint}, always written; 999 when a
 *     document omits it)
 * @param label free text ({@code label})
 * @param diskType role of the disk ({@code disk_type})
 */
public record DiskArtifact(
        String id,
        DiskFormat sourceFormat,
        long bytes,
        Path localPath,
        Optional<String> checksum,
        int bootOrderHint,
        Optional<String> label,
        DiskType diskType) {

    /** The documented default of {@code boot_order_hint} when a document omits it. */
    public static final int DEFAULT_BOOT_ORDER_HINT = 999;

    /** Checks for nulls. */
    public DiskArtifact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sourceFormat, "sourceFormat");
        Objects.requireNonNull(localPath, "localPath");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(diskType, "diskType");
    }

    /**
     * A builder; {@code id}, {@code sourceFormat} and {@code localPath} are required, {@code
     * bootOrderHint} defaults to 999, {@code diskType} to {@code UNKNOWN}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this disk's values.
     *
     * @return a pre-filled builder
     */
    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .sourceFormat(sourceFormat)
                .bytes(bytes)
                .localPath(localPath)
                .checksum(checksum)
                .bootOrderHint(bootOrderHint)
                .label(label)
                .diskType(diskType);
    }

    /** Builds a {@link DiskArtifact}. */
    public static final class Builder {
        private String id;
        private DiskFormat sourceFormat;
        private long bytes;
        private Path localPath;
        private Optional<String> checksum = Optional.empty();
        private int bootOrderHint = DEFAULT_BOOT_ORDER_HINT;
        private Optional<String> label = Optional.empty();
        private DiskType diskType = DiskType.UNKNOWN;

        private Builder() {}

        /**
         * Sets disk id.
         *
         * @param v disk id
         * @return this builder
         */
        public Builder id(String v) {
            this.id = v;
            return this;
        }

        /**
         * Sets format.
         *
         * @param v format
         * @return this builder
         */
        public Builder sourceFormat(DiskFormat v) {
            this.sourceFormat = v;
            return this;
        }

        /**
         * Sets size in bytes.
         *
         * @param v size in bytes
         * @return this builder
         */
        public Builder bytes(long v) {
            this.bytes = v;
            return this;
        }

        /**
         * Sets path of the disk file.
         *
         * @param v path of the disk file
         * @return this builder
         */
        public Builder localPath(Path v) {
            this.localPath = v;
            return this;
        }

        /**
         * Sets {@code sha256:<hex>}.
         *
         * @param v {@code sha256:<hex>}
         * @return this builder
         */
        public Builder checksum(String v) {
            this.checksum = Optional.of(v);
            return this;
        }

        /**
         * Sets checksum or empty.
         *
         * @param v checksum or empty
         * @return this builder
         */
        public Builder checksum(Optional<String> v) {
            this.checksum = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Sets boot order, 0 = boot disk.
         *
         * @param v boot order, 0 = boot disk
         * @return this builder
         */
        public Builder bootOrderHint(int v) {
            this.bootOrderHint = v;
            return this;
        }

        /**
         * Sets label.
         *
         * @param v label
         * @return this builder
         */
        public Builder label(String v) {
            this.label = Optional.of(v);
            return this;
        }

        /**
         * Sets label or empty.
         *
         * @param v label or empty
         * @return this builder
         */
        public Builder label(Optional<String> v) {
            this.label = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Sets disk role.
         *
         * @param v disk role
         * @return this builder
         */
        public Builder diskType(DiskType v) {
            this.diskType = v;
            return this;
        }

        /**
         * Builds the disk.
         *
         * @return the disk
         * @throws NullPointerException naming a missing required value
         */
        public DiskArtifact build() {
            return new DiskArtifact(
                    id, sourceFormat, bytes, localPath, checksum, bootOrderHint, label, diskType);
        }
    }
}
