package io.hypersdk.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypersdk.core.io.ArchivedDisk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Zero-copy conversion of a disk that lives inside an archive ({@link ArchivedDisk}): qemu-img
 * reads the member in place through its {@code raw} driver with {@code offset}/{@code size} over
 * the archive (as virt-v2v does for OVAs), while a second thread hashes the same bytes.
 *
 * <p>DESIGN: the {@code json:} pseudo-filename is built with Jackson, never by concatenation, so an
 * archive path holding quotes, backslashes or control characters stays one JSON string; the member
 * name (untrusted) never reaches the argument vector at all. The byte range is checked against the
 * archive's real size before qemu-img starts. The digests (SHA-256, and the package's own algorithm
 * when it declares another) are computed from the page cache qemu-img fills, in parallel with it:
 * the conversion costs about one read of the member, not a copy plus a read.
 */
final class ArchiveMemberRead {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 1 << 20;

    private final ArchivedDisk disk;
    private final AtomicBoolean stop = new AtomicBoolean();
    private CompletableFuture<Map<String, String>> hashing;

    ArchiveMemberRead(ArchivedDisk disk) {
        this.disk = disk;
    }

    /**
     * The qemu-img source: {@code json:{"driver":<format>,"file":{"driver":"raw","offset":O,
     * "size":S,"file":{"driver":"file","filename":<archive>}}}}.
     */
    static String qemuSource(ArchivedDisk disk, String qemuFormat) {
        ObjectNode file = JSON.createObjectNode();
        file.put("driver", "file");
        file.put("filename", disk.archive().toString());
        ObjectNode slice = JSON.createObjectNode();
        slice.put("driver", "raw");
        slice.put("offset", disk.offset());
        slice.put("size", disk.size());
        slice.set("file", file);
        ObjectNode top = JSON.createObjectNode();
        top.put("driver", qemuFormat);
        top.set("file", slice);
        return "json:" + top;
    }

    /**
     * Refuses a member that lies outside the archive (a truncated or replaced file): empty when the
     * range fits, else the one-line reason.
     */
    Optional<String> outsideArchive() {
        long length;
        try {
            length = Files.size(disk.archive());
        } catch (IOException e) {
            return Optional.of(
                    "cannot read "
                            + disk.archive()
                            + ": "
                            + e.getMessage()
                            + "; the archive must stay in place until the conversion ends");
        }
        if (disk.offset() + disk.size() > length) {
            return Optional.of(
                    disk.what()
                            + " lies outside the archive (bytes "
                            + disk.offset()
                            + "-"
                            + (disk.offset() + disk.size())
                            + " of a "
                            + length
                            + "-byte file); the archive was truncated or replaced: copy it again");
        }
        return Optional.empty();
    }

    /** Starts hashing the member on its own thread. */
    void startHashing() {
        hashing = CompletableFuture.supplyAsync(this::hash, ArchiveMemberRead::startThread);
    }

    /** Stops hashing early (the conversion failed); waits for the thread to end. */
    void abandon() {
        stop.set(true);
        if (hashing != null) {
            hashing.handle((v, e) -> null).join();
        }
    }

    /**
     * Waits for the digests and compares the declared one.
     *
     * @return the member's SHA-256 (hex) when it matches what the package declares (or it declares
     *     nothing)
     * @throws IntegrityMismatch when it does not match (the message names the member, the digest
     *     file and both values)
     */
    String verify() {
        Map<String, String> got;
        try {
            got = hashing.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IntegrityMismatch(
                    "cannot read "
                            + disk.what()
                            + " to check its digest: "
                            + e.getCause().getMessage());
        }
        if (disk.expected().isPresent()) {
            ArchivedDisk.Digest d = disk.expected().get();
            String actual = got.get(d.algorithm());
            if (!d.hex().equals(actual)) {
                throw new IntegrityMismatch(
                        disk.what()
                                + " does not match its "
                                + d.algorithm()
                                + " in "
                                + d.declaredIn()
                                + " (expected "
                                + d.hex()
                                + ", got "
                                + actual
                                + "); the package is corrupt or was modified: the converted image"
                                + " was removed");
            }
        }
        return got.get("SHA-256");
    }

    private Map<String, String> hash() {
        Map<String, MessageDigest> digests = new LinkedHashMap<>();
        digests.put("SHA-256", digest("SHA-256"));
        disk.expected().ifPresent(d -> digests.computeIfAbsent(d.algorithm(), a -> digest(a)));
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        try (FileChannel ch = FileChannel.open(disk.archive(), StandardOpenOption.READ)) {
            long pos = disk.offset();
            long end = disk.offset() + disk.size();
            while (pos < end && !stop.get()) {
                buf.clear();
                buf.limit((int) Math.min(CHUNK, end - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new IOException(disk.archive() + " ended before the member's end");
                }
                pos += n;
                buf.flip();
                for (MessageDigest md : digests.values()) {
                    buf.rewind();
                    md.update(buf);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        digests.forEach((a, md) -> out.put(a, HexFormat.of().formatHex(md.digest())));
        return out;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }

    private static void startThread(Runnable r) {
        Thread t = new Thread(r, "hypersdk-member-hash");
        t.setDaemon(true);
        t.start();
    }

    /** The member's bytes do not match what the package declares. */
    static final class IntegrityMismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        IntegrityMismatch(String message) {
            super(message);
        }
    }
}
