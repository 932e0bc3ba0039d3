package io.hypersdk.provider.local;

import io.hypersdk.core.io.FileType;
import io.hypersdk.provider.spi.InvalidSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a VMDK on disk consists of: a sparse file with an embedded descriptor (monolithicSparse,
 * streamOptimized: one file), or a text descriptor plus extent files (monolithicFlat, split, vmfs).
 * Gives the virtual capacity and every file to copy; extents must sit next to the descriptor (a
 * path with a directory or {@code ..} is refused).
 */
record VmdkFile(Path descriptor, long capacityBytes, String createType, List<Path> extents) {

    private static final Pattern EXTENT =
            Pattern.compile(
                    "\\s*(?:RW|RDONLY|NOACCESS)\\s+(\\d+)\\s+(\\w+)(?:\\s+\"([^\"]*)\"(?:\\s+\\d+)?)?\\s*");
    private static final Pattern CREATE_TYPE =
            Pattern.compile("\\s*createType\\s*=\\s*\"([^\"]*)\"\\s*");

    /** Every file of this disk: the descriptor first, then the extents. */
    List<Path> files() {
        List<Path> all = new ArrayList<>();
        all.add(descriptor);
        all.addAll(extents);
        return all;
    }

    static VmdkFile read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(512);
            if (head.length >= 4
                    && head[0] == 'K'
                    && head[1] == 'D'
                    && head[2] == 'M'
                    && head[3] == 'V') {
                if (head.length < 512) {
                    throw new InvalidSourceException(
                            file + " is truncated: its VMDK header is incomplete");
                }
                ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
                long capacity = b.getLong(12) * 512;
                long descOffset = b.getLong(28) * 512;
                long descSize = b.getLong(36) * 512;
                String createType = "monolithicSparse";
                if (descOffset > 0 && descSize > 0 && descSize <= 1 << 20) {
                    byte[] desc = new byte[(int) descSize];
                    try (InputStream d = Files.newInputStream(file)) {
                        d.skipNBytes(descOffset);
                        int n = d.readNBytes(desc, 0, desc.length);
                        String embedded = new String(desc, 0, n, StandardCharsets.ISO_8859_1);
                        rejectSnapshot(file, embedded);
                        createType = createType(embedded).orElse(createType);
                    }
                }
                return new VmdkFile(file, capacity, createType, List.of());
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            if (!text.startsWith("# Disk DescriptorFile")) {
                throw new InvalidSourceException(
                        file
                                + " is not a VMDK: it has neither a sparse header nor a text descriptor");
            }
            if (Files.size(file) > 1 << 20) {
                throw new InvalidSourceException(
                        file
                                + " is not a VMDK descriptor: a text descriptor is never larger than 1 MiB");
            }
            String all = Files.readString(file, StandardCharsets.ISO_8859_1);
            rejectSnapshot(file, all);
            long capacity = 0;
            List<Path> extents = new ArrayList<>();
            for (String line : all.split("\r?\n")) {
                Matcher m = EXTENT.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                capacity += Long.parseLong(m.group(1)) * 512;
                String name = m.group(3);
                if (name == null || m.group(2).equals("ZERO")) {
                    continue;
                }
                if (name.isEmpty()
                        || name.contains("/")
                        || name.contains("\\")
                        || name.equals("..")
                        || name.equals(".")) {
                    throw new InvalidSourceException(
                            file
                                    + " refers to extent '"
                                    + name
                                    + "' outside its directory; only extents next to the descriptor are supported");
                }
                Path extent = file.resolveSibling(name);
                if (!Files.isRegularFile(extent)) {
                    FileType type = FileType.of(extent);
                    throw new InvalidSourceException(
                            file
                                    + " refers to extent '"
                                    + name
                                    + "', which "
                                    + type.phrase()
                                    + (type == FileType.MISSING
                                            ? " next to it; copy the whole VM directory"
                                            : ", not a regular file; the extent must be a disk image file"));
                }
                extents.add(extent);
            }
            return new VmdkFile(file, capacity, createType(all).orElse("unknown"), extents);
        } catch (IOException e) {
            throw new InvalidSourceException(
                    "cannot read disk "
                            + file
                            + ": "
                            + e.getMessage()
                            + "; check that it exists and is readable",
                    e);
        }
    }

    private static void rejectSnapshot(Path file, String descriptor) {
        if (descriptor.contains("parentFileNameHint")) {
            throw new InvalidSourceException(
                    file
                            + " is a snapshot (delta) disk that needs its parent; delete or consolidate"
                            + " the VM's snapshots in VMware before exporting it");
        }
    }

    private static java.util.Optional<String> createType(String descriptor) {
        for (String line : descriptor.split("\r?\n")) {
            Matcher m = CREATE_TYPE.matcher(line);
            if (m.matches()) {
                return java.util.Optional.of(m.group(1));
            }
        }
        return java.util.Optional.empty();
    }
}
