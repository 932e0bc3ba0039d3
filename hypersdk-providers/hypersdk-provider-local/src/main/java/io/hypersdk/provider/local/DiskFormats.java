package io.hypersdk.provider.local;

import io.hypersdk.core.manifest.DiskFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Disk formats by file name, OVF format URI and magic bytes. */
final class DiskFormats {
    private DiskFormats() {}

    /** By extension; empty when the name says nothing. */
    static Optional<DiskFormat> byName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        if (n.endsWith(".vmdk")) {
            return Optional.of(DiskFormat.VMDK);
        } else if (n.endsWith(".qcow2") || n.endsWith(".qcow")) {
            return Optional.of(DiskFormat.QCOW2);
        } else if (n.endsWith(".vhdx")) {
            return Optional.of(DiskFormat.VHDX);
        } else if (n.endsWith(".vhd")) {
            return Optional.of(DiskFormat.VHD);
        } else if (n.endsWith(".vdi")) {
            return Optional.of(DiskFormat.VDI);
        } else if (n.endsWith(".img") || n.endsWith(".raw")) {
            return Optional.of(DiskFormat.RAW);
        }
        return Optional.empty();
    }

    /** By the OVF {@code ovf:format} URI (e.g. {@code ...vmdk.html#streamOptimized}). */
    static Optional<DiskFormat> byOvfFormat(String uri) {
        String u = uri.toLowerCase(Locale.ROOT);
        if (u.contains("vmdk")) {
            return Optional.of(DiskFormat.VMDK);
        } else if (u.contains("qcow2") || u.contains("qemu")) {
            return Optional.of(DiskFormat.QCOW2);
        } else if (u.contains("vhdx")) {
            return Optional.of(DiskFormat.VHDX);
        } else if (u.contains("vhd")) {
            return Optional.of(DiskFormat.VHD);
        } else if (u.contains("vdi") || u.contains("virtualbox")) {
            return Optional.of(DiskFormat.VDI);
        } else if (u.contains("raw")) {
            return Optional.of(DiskFormat.RAW);
        }
        return Optional.empty();
    }

    /** By the first bytes of the file; empty when they match no known format (raw has no magic). */
    static Optional<DiskFormat> byMagic(byte[] head, int len) {
        if (startsWith(head, len, "KDMV") || startsWith(head, len, "# Disk DescriptorFile")) {
            return Optional.of(DiskFormat.VMDK);
        } else if (len >= 4
                && head[0] == 'Q'
                && head[1] == 'F'
                && head[2] == 'I'
                && (head[3] & 0xff) == 0xfb) {
            return Optional.of(DiskFormat.QCOW2);
        } else if (startsWith(head, len, "vhdxfile")) {
            return Optional.of(DiskFormat.VHDX);
        } else if (startsWith(head, len, "conectix")) {
            return Optional.of(DiskFormat.VHD);
        } else if (startsWith(head, len, "<<< ")) {
            String s = new String(head, 0, Math.min(len, 64), StandardCharsets.ISO_8859_1);
            if (s.contains("VirtualBox") || s.contains("innotek")) {
                return Optional.of(DiskFormat.VDI);
            }
        }
        return Optional.empty();
    }

    static Optional<DiskFormat> byMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64);
            return byMagic(head, head.length);
        }
    }

    private static boolean startsWith(byte[] b, int len, String s) {
        if (len < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
