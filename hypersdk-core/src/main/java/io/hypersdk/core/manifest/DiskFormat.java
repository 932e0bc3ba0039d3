package io.hypersdk.core.manifest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Disk image format of a manifest disk ({@code disks[].source_format}). */
public enum DiskFormat {
    /** VMware VMDK ({@code vmdk}). */
    VMDK("vmdk"),
    /** QEMU copy-on-write v2 ({@code qcow2}). */
    QCOW2("qcow2"),
    /** Raw image ({@code raw}). */
    RAW("raw"),
    /** Hyper-V / Azure VHD ({@code vhd}). */
    VHD("vhd"),
    /** Hyper-V VHDX ({@code vhdx}). */
    VHDX("vhdx"),
    /** VirtualBox VDI ({@code vdi}). */
    VDI("vdi");

    private final String id;

    DiskFormat(String id) {
        this.id = id;
    }

    /**
     * The JSON string of this value.
     *
     * @return for example {@code "vmdk"}
     */
    public String id() {
        return id;
    }

    /**
     * Parses the JSON string (case-insensitive, surrounding blanks ignored).
     *
     * @param text the text to parse
     * @return the value
     * @throws IllegalArgumentException naming the text and the allowed values
     */
    public static DiskFormat parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (DiskFormat v : values()) {
            if (v.id.equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" must be one of: " + allowed());
    }

    /**
     * The allowed JSON strings, comma separated.
     *
     * @return for example {@code "vmdk, ..."}
     */
    public static String allowed() {
        return Arrays.stream(values()).map(DiskFormat::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
