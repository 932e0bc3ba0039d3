package io.hypersdk.core.manifest;

import io.hypersdk.core.Cancellation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SHA-256 of disk files in the manifest's {@code sha256:<hex>} form.
 *
 * <p>Hashing streams the file through one fixed 256 KiB buffer, so memory use does not depend on
 * the file size.
 */
public final class DiskChecksums {
    /** The prefix of a manifest checksum. */
    public static final String PREFIX = "sha256:";

    private static final Pattern FORMAT = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final int BUFFER_BYTES = 256 * 1024;

    private DiskChecksums() {}

    /**
     * Streams the file through SHA-256.
     *
     * @param file the file to hash
     * @return {@code sha256:} followed by 64 lower-case hex digits
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public static String sha256(Path file) {
        return sha256(file, Cancellation.none());
    }

    /**
     * Streams the file through SHA-256, checking the token between buffers.
     *
     * @param file the file to hash
     * @param cancellation checked after every buffer
     * @return {@code sha256:} followed by 64 lower-case hex digits
     * @throws UncheckedIOException naming the file when it cannot be read
     * @throws io.hypersdk.core.CancelledException when cancelled
     */
    public static String sha256(Path file, Cancellation cancellation) {
        MessageDigest digest = newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
                cancellation.throwIfCancelled();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file + ": " + describe(e), e);
        }
        return PREFIX + HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Whether a text is a well-formed manifest checksum ({@code sha256:} + 64 lower-case hex).
     *
     * @param checksum the text
     * @return true if well-formed
     */
    public static boolean isWellFormed(String checksum) {
        return checksum != null && FORMAT.matcher(checksum).matches();
    }

    /**
     * Re-hashes every disk of the manifest that records a checksum and compares.
     *
     * @param manifest the manifest whose disks to verify
     * @throws ChecksumMismatchException listing every disk that does not match
     * @throws UncheckedIOException naming a disk file that cannot be read
     */
    public static void verify(ArtifactManifest manifest) {
        List<ChecksumMismatchException.Mismatch> mismatches = new ArrayList<>();
        for (DiskArtifact disk : manifest.disks()) {
            mismatch(disk).ifPresent(mismatches::add);
        }
        if (!mismatches.isEmpty()) {
            throw new ChecksumMismatchException(mismatches);
        }
    }

    static Optional<ChecksumMismatchException.Mismatch> mismatch(DiskArtifact disk) {
        if (disk.checksum().isEmpty()) {
            return Optional.empty();
        }
        String expected = disk.checksum().get();
        String actual = sha256(disk.localPath());
        return expected.equals(actual)
                ? Optional.empty()
                : Optional.of(
                        new ChecksumMismatchException.Mismatch(
                                disk.id(), disk.localPath(), expected, actual));
    }

    static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
