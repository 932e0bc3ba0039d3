package io.hypersdk.provider.gcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real disk images as the tests need them: a sparse raw disk written with qemu-io, the native
 * Compute Engine export of it ({@code disk.raw} in {@code tar --format=oldgnu -Sczf}, as Google
 * documents for image import/export), and a stream-optimized VMDK made by qemu-img. Public for the
 * CLI's end-to-end tests.
 */
public final class GceImages {
    private GceImages() {}

    public static boolean toolsAvailable() {
        try {
            run("qemu-img", "--version");
            run("qemu-io", "--version");
            run("tar", "--version");
            return true;
        } catch (IOException | InterruptedException | AssertionError e) {
            return false;
        }
    }

    /** A raw disk of {@code gib} GiB with a pattern of {@code length} bytes at each offset. */
    public static Path raw(Path file, int gib, long[] offsets, long length)
            throws IOException, InterruptedException {
        run("qemu-img", "create", "-q", "-f", "raw", file.toString(), gib + "G");
        List<String> io = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
        int pattern = 0x21;
        for (long off : offsets) {
            io.add("-c");
            io.add("write -P 0x" + Integer.toHexString(pattern) + " " + off + " " + length);
            pattern = (pattern * 7 + 13) & 0xff;
        }
        io.add(file.toString());
        run(io.toArray(String[]::new));
        return file;
    }

    /** {@code raw} as {@code disk.raw} in an old-GNU sparse gzip'd tarball. */
    public static Path tarball(Path raw, Path tarball) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(tarball.getParent(), "tar");
        Path member = dir.resolve("disk.raw");
        run("cp", "--sparse=always", raw.toString(), member.toString());
        run(
                "tar",
                "--format=oldgnu",
                "-S",
                "-C",
                dir.toString(),
                "-czf",
                tarball.toString(),
                "disk.raw");
        Files.delete(member);
        Files.delete(dir);
        return tarball;
    }

    /** {@code raw} as a stream-optimized VMDK. */
    public static Path vmdk(Path raw, Path vmdk) throws IOException, InterruptedException {
        run(
                "qemu-img",
                "convert",
                "-f",
                "raw",
                "-O",
                "vmdk",
                "-o",
                "subformat=streamOptimized",
                raw.toString(),
                vmdk.toString());
        return vmdk;
    }

    /** Runs a command; its output, or an AssertionError with it when it fails. */
    public static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
