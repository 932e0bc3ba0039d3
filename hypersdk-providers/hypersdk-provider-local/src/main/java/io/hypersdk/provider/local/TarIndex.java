package io.hypersdk.provider.local;

import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.UnsafeArchiveException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The members of a tar archive (an OVA), read from the headers only, and checked before anything is
 * extracted: a member whose name is absolute, contains a {@code ..} component, a backslash or a
 * NUL, or a link (symbolic or hard) whose target leaves the archive's root, makes the whole archive
 * unsafe. Understands ustar, GNU long names ({@code L}/{@code K}) and pax headers ({@code x}: path,
 * linkpath, size). Member data is read later by offset, so several members can be streamed in
 * parallel.
 */
final class TarIndex {

    private static final int BLOCK = 512;

    /** Kind of a tar member. */
    enum Kind {
        FILE,
        DIRECTORY,
        SYMLINK,
        HARDLINK,
        OTHER
    }

    /** One member: its normalised name, where its data starts, its size. */
    record Member(
            String name, Kind kind, long dataOffset, long size, Optional<String> linkTarget) {}

    private final Path archive;
    private final Map<String, Member> members;

    private TarIndex(Path archive, Map<String, Member> members) {
        this.archive = archive;
        this.members = members;
    }

    Path archive() {
        return archive;
    }

    List<Member> members() {
        return List.copyOf(members.values());
    }

    Optional<Member> member(String name) {
        return Optional.ofNullable(members.get(name));
    }

    /**
     * Reads every header of {@code archive} and checks every member.
     *
     * @throws UnsafeArchiveException a member would escape the extraction directory
     * @throws InvalidSourceException the file is not a readable tar archive
     */
    static TarIndex read(Path archive) {
        Map<String, Member> members = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            long pos = 0;
            String longName = null;
            String longLink = null;
            Map<String, String> pax = Map.of();
            ByteBuffer header = ByteBuffer.allocate(BLOCK);
            int zeroBlocks = 0;
            while (true) {
                header.clear();
                int n = readFully(ch, header, pos);
                if (n == 0 && pos == fileSize) {
                    break; // EOF without the end-of-archive blocks: accepted, as GNU tar does
                }
                if (n < BLOCK) {
                    throw new InvalidSourceException(
                            archive
                                    + " is truncated: a tar header at byte "
                                    + pos
                                    + " is incomplete; download or copy the OVA again");
                }
                byte[] h = header.array();
                if (isZero(h)) {
                    if (++zeroBlocks == 2) {
                        break;
                    }
                    pos += BLOCK;
                    continue;
                }
                zeroBlocks = 0;
                if (pos == 0 && !looksLikeTar(h)) {
                    throw new InvalidSourceException(
                            archive
                                    + " is not an OVA: it is not a tar archive; give an .ova made by"
                                    + " an OVF tool (or the .ovf file itself)");
                }
                verifyChecksum(archive, h, pos);
                char type = (char) h[156];
                long size =
                        pax.containsKey("size")
                                ? parseLong(archive, pax.get("size"), pos)
                                : parseNumber(archive, h, 124, 12, pos);
                long dataOffset = pos + BLOCK;
                long next = dataOffset + roundUp(size);
                if (size < 0 || dataOffset + size > fileSize) {
                    throw new InvalidSourceException(
                            archive
                                    + " is truncated: member at byte "
                                    + pos
                                    + " declares "
                                    + size
                                    + " bytes but the file ends at "
                                    + fileSize
                                    + "; download or copy the OVA again");
                }
                if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
                    if (size > 1 << 20) {
                        throw new InvalidSourceException(
                                archive
                                        + ": tar extension header at byte "
                                        + pos
                                        + " is larger than 1 MiB");
                    }
                    byte[] data = new byte[(int) size];
                    readFully(ch, ByteBuffer.wrap(data), dataOffset);
                    if (type == 'L') {
                        longName = cString(data, 0, data.length);
                    } else if (type == 'K') {
                        longLink = cString(data, 0, data.length);
                    } else if (type == 'x') {
                        pax = parsePax(archive, data, pos);
                    }
                    pos = next;
                    continue;
                }
                String rawName =
                        pax.getOrDefault("path", longName != null ? longName : ustarName(h));
                String rawLink =
                        pax.getOrDefault(
                                "linkpath", longLink != null ? longLink : cString(h, 157, 100));
                longName = null;
                longLink = null;
                pax = Map.of();

                Kind kind =
                        switch (type) {
                            case '0', '\0', '7' -> Kind.FILE;
                            case '5' -> Kind.DIRECTORY;
                            case '2' -> Kind.SYMLINK;
                            case '1' -> Kind.HARDLINK;
                            default -> Kind.OTHER;
                        };
                String name = safeName(archive, rawName);
                Optional<String> link = Optional.empty();
                if (kind == Kind.SYMLINK) {
                    link = Optional.of(checkSymlink(archive, name, rawLink));
                } else if (kind == Kind.HARDLINK) {
                    link = Optional.of(safeName(archive, rawLink));
                }
                if (!name.isEmpty() && kind != Kind.DIRECTORY) {
                    members.put(
                            name,
                            new Member(name, kind, dataOffset, kind == Kind.FILE ? size : 0, link));
                }
                pos = next;
            }
        } catch (IOException e) {
            throw new InvalidSourceException(
                    "cannot read "
                            + archive
                            + ": "
                            + e.getMessage()
                            + "; check that it exists and is readable",
                    e);
        }
        return new TarIndex(archive, members);
    }

    /** A stream over a member's data (positional reads; safe to use from several threads). */
    InputStream open(Member m) throws IOException {
        FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ);
        return new InputStream() {
            private long pos = m.dataOffset();
            private final long end = m.dataOffset() + m.size();

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= end) {
                    return -1;
                }
                int want = (int) Math.min(len, end - pos);
                int n = ch.read(ByteBuffer.wrap(b, off, want), pos);
                if (n < 0) {
                    throw new IOException(archive + " ended inside member " + m.name());
                }
                pos += n;
                return n;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    /** Normalises a member name; rejects absolute names and any {@code ..} component. */
    static String safeName(Path archive, String raw) {
        if (raw.indexOf('\0') >= 0 || raw.indexOf('\\') >= 0) {
            throw new UnsafeArchiveException(
                    archive
                            + " is unsafe: member name '"
                            + printable(raw)
                            + "' contains a NUL or a backslash; nothing was extracted");
        }
        if (raw.startsWith("/")) {
            throw new UnsafeArchiveException(
                    archive
                            + " is unsafe: member '"
                            + printable(raw)
                            + "' has an absolute path; nothing was extracted");
        }
        List<String> parts = new ArrayList<>();
        for (String p : raw.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                throw new UnsafeArchiveException(
                        archive
                                + " is unsafe: member '"
                                + printable(raw)
                                + "' climbs out with '..'; nothing was extracted");
            }
            parts.add(p);
        }
        return String.join("/", parts);
    }

    /**
     * A symlink's target, resolved against the link's directory, must stay inside the archive root.
     */
    private static String checkSymlink(Path archive, String name, String target) {
        if (target.isEmpty()
                || target.startsWith("/")
                || target.indexOf('\0') >= 0
                || target.indexOf('\\') >= 0) {
            throw new UnsafeArchiveException(
                    archive
                            + " is unsafe: symlink '"
                            + printable(name)
                            + "' points to '"
                            + printable(target)
                            + "', outside the archive; nothing was extracted");
        }
        List<String> resolved = new ArrayList<>(List.of(name.split("/")));
        resolved.remove(resolved.size() - 1);
        for (String p : target.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (resolved.isEmpty()) {
                    throw new UnsafeArchiveException(
                            archive
                                    + " is unsafe: symlink '"
                                    + printable(name)
                                    + "' points to '"
                                    + printable(target)
                                    + "', outside the archive; nothing was extracted");
                }
                resolved.remove(resolved.size() - 1);
            } else {
                resolved.add(p);
            }
        }
        return String.join("/", resolved);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.length() > 200 ? sb.substring(0, 200) + "…" : sb.toString();
    }

    private static String ustarName(byte[] h) {
        String name = cString(h, 0, 100);
        String magic = new String(h, 257, 6, StandardCharsets.US_ASCII);
        if (magic.equals("ustar\0")) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private static boolean looksLikeTar(byte[] h) {
        String magic = new String(h, 257, 5, StandardCharsets.US_ASCII);
        if (magic.equals("ustar")) {
            return true;
        }
        // pre-POSIX (v7) tar: no magic, but the checksum field is octal digits
        for (int i = 148; i < 154; i++) {
            byte c = h[i];
            if (!(c == ' ' || c == 0 || (c >= '0' && c <= '7'))) {
                return false;
            }
        }
        return true;
    }

    private static void verifyChecksum(Path archive, byte[] h, long pos) {
        long stored = parseNumber(archive, h, 148, 8, pos);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += (byte) b;
        }
        if (stored != unsigned && stored != signed) {
            throw new InvalidSourceException(
                    archive
                            + " is corrupt: tar header at byte "
                            + pos
                            + " has a bad checksum; download or copy the OVA again");
        }
    }

    private static long parseNumber(Path archive, byte[] h, int off, int len, long pos) {
        if ((h[off] & 0x80) != 0) { // GNU base-256
            long v = h[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    throw new InvalidSourceException(
                            archive
                                    + ": tar header at byte "
                                    + pos
                                    + " has a size that does not fit");
                }
                v = (v << 8) | (h[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        boolean digits = false;
        for (int i = off; i < off + len; i++) {
            byte c = h[i];
            if (c == 0 || (c == ' ' && digits)) {
                break;
            }
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '7') {
                throw new InvalidSourceException(
                        archive
                                + " is corrupt: tar header at byte "
                                + pos
                                + " has a malformed number field; download or copy the OVA again");
            }
            digits = true;
            v = (v << 3) | (c - '0');
        }
        return v;
    }

    private static long parseLong(Path archive, String s, long pos) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSourceException(
                    archive + ": pax header at byte " + pos + " has a malformed size '" + s + "'");
        }
    }

    private static Map<String, String> parsePax(Path archive, byte[] data, long pos) {
        Map<String, String> m = new LinkedHashMap<>();
        int i = 0;
        while (i < data.length) {
            int sp = i;
            while (sp < data.length && data[sp] != ' ') {
                sp++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new InvalidSourceException(archive + ": malformed pax header at byte " + pos);
            }
            if (len <= 0 || i + len > data.length || data[i + len - 1] != '\n') {
                throw new InvalidSourceException(archive + ": malformed pax header at byte " + pos);
            }
            String rec = new String(data, sp + 1, i + len - sp - 2, StandardCharsets.UTF_8);
            int eq = rec.indexOf('=');
            if (eq > 0) {
                m.put(rec.substring(0, eq), rec.substring(eq + 1));
            }
            i += len;
        }
        return m;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static long roundUp(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static int readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
