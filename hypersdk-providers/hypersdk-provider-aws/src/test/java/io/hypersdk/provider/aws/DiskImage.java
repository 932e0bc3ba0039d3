package io.hypersdk.provider.aws;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A real sparse raw disk image made with qemu-img and written with qemu-io, and which of its 512
 * KiB EBS blocks hold data. Public for the CLI's end-to-end tests.
 */
public final class DiskImage {
    /** The EBS direct APIs' block size. */
    public static final int BLOCK = 512 * 1024;

    private final Path path;
    private final long size;
    private final TreeSet<Integer> blocks;

    private DiskImage(Path path, long size, TreeSet<Integer> blocks) {
        this.path = path;
        this.size = size;
        this.blocks = blocks;
    }

    /**
     * {@code qemu-img create -f raw} of {@code gib} GiB, then {@code qemu-io} writes a pattern at
     * each offset (bytes), {@code length} bytes each.
     */
    public static DiskImage create(Path file, int gib, long[] offsets, long length)
            throws IOException, InterruptedException {
        run("qemu-img", "create", "-q", "-f", "raw", file.toString(), gib + "G");
        List<String> io = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        TreeSet<Integer> blocks = new TreeSet<>();
        int pattern = 0x11;
        for (long off : offsets) {
            io.add("-c");
            io.add("write -P 0x" + Integer.toHexString(pattern) + " " + off + " " + length);
            pattern = (pattern * 7 + 13) & 0xff;
            for (long b = off / BLOCK; b * BLOCK < off + length; b++) {
                blocks.add((int) b);
            }
        }
        io.add(file.toString());
        run(io.toArray(String[]::new));
        return new DiskImage(file, (long) gib << 30, blocks);
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    /** The indexes of the written 512 KiB blocks, ascending. */
    public List<Integer> writtenBlocks() {
        return List.copyOf(blocks);
    }

    /** The bytes of one block. */
    public byte[] block(int index) throws IOException {
        byte[] b = new byte[BLOCK];
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            f.seek((long) index * BLOCK);
            f.readFully(b);
        }
        return b;
    }

    /** Runs a command, failing with its output when it exits non-zero; returns its output. */
    public static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /** Whether qemu-img and qemu-io are on the PATH. */
    public static boolean toolsAvailable() {
        for (String tool : new String[] {"qemu-img", "qemu-io"}) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                found |= Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
