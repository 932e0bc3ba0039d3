package io.hypersdk.core.io;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A disk image that lives, uncompressed, inside an archive and was not copied out of it: the bytes
 * {@code [offset, offset + size)} of {@code archive} (for example a VMDK member of an OVA). A
 * provider that leaves a disk in its archive says so with this value; the pipeline's qemu-img path
 * then reads the member in place (qemu's {@code raw} driver with {@code offset}/{@code size}) and
 * checks {@link #expected} on the same bytes while it converts.
 *
 * <p>DESIGN: one value in core, because the provider SPI (which writes it) and the pipeline (which
 * reads it) do not depend on each other. The Artifact Manifest is not extended: a manifest handed
 * to hyper2kvm always names a real copy (a run that hands disks to hyper2kvm asks for copies).
 *
 * @param diskId the manifest disk id ({@code disk-0}); never null
 * @param archive the archive file, absolute; never null
 * @param member the member's name inside the archive, for messages only (untrusted: show it with
 *     {@link io.hypersdk.core.text.TerminalText#escape}); never null
 * @param offset the first byte of the member's data in {@code archive}; at least 0
 * @param size the member's length in bytes; at least 0
 * @param expected the digest the package declares for the member (its {@code .mf} line), when it
 *     declares one
 */
public record ArchivedDisk(
        String diskId,
        Path archive,
        String member,
        long offset,
        long size,
        Optional<Digest> expected) {

    public ArchivedDisk {
        Objects.requireNonNull(diskId, "diskId");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(expected, "expected");
        if (!archive.isAbsolute()) {
            throw new IllegalArgumentException("archive " + archive + " must be absolute");
        }
        if (offset < 0 || size < 0 || offset > Long.MAX_VALUE - size) {
            throw new IllegalArgumentException(
                    "member "
                            + member
                            + " of "
                            + archive
                            + ": offset "
                            + offset
                            + " and size "
                            + size
                            + " must be >= 0 and fit a file");
        }
    }

    /** {@code archive!member}, the name used in messages, with control characters escaped. */
    public String what() {
        return archive + "!" + io.hypersdk.core.text.TerminalText.escape(member);
    }

    /**
     * A declared digest.
     *
     * @param algorithm the JDK name ({@code SHA-1}, {@code SHA-256}, {@code SHA-512}); never null
     * @param hex lower-case hex; never null
     * @param declaredIn where it was declared ({@code x.ova!x.mf}), for messages; never null
     */
    public record Digest(String algorithm, String hex, String declaredIn) {
        private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

        public Digest {
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(hex, "hex");
            Objects.requireNonNull(declaredIn, "declaredIn");
            if (!HEX.matcher(hex).matches()) {
                throw new IllegalArgumentException(
                        "digest of " + declaredIn + " must be lower-case hex (got " + hex + ")");
            }
        }
    }
}
