package io.hypersdk.provider.azure;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Real disk images made with qemu-img: a raw image with data in a few places, as a fixed VHD. */
final class TestDisks {
    private TestDisks() {}

    static boolean qemuImgPresent() {
        return Files.isExecutable(Path.of("/usr/bin/qemu-img"));
    }

    /**
     * A raw image of {@code sizeMib} MiB with {@code chunks} pseudo-random data runs of {@code
     * chunkKib} KiB each at spread offsets, converted to a fixed VHD; returns the VHD path.
     */
    static Path fixedVhd(Path dir, String name, int sizeMib, int chunks, int chunkKib)
            throws IOException, InterruptedException {
        assumeThat(qemuImgPresent()).as("qemu-img (Debian qemu-utils)").isTrue();
        Path raw = dir.resolve(name + ".raw");
        long size = (long) sizeMib << 20;
        Random random = new Random(name.hashCode());
        try (FileChannel ch =
                FileChannel.open(
                        raw,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.SPARSE)) {
            ch.truncate(size);
            ch.write(ByteBuffer.wrap(new byte[] {0}), size - 1);
            byte[] data = new byte[chunkKib << 10];
            for (int i = 0; i < chunks; i++) {
                random.nextBytes(data);
                long at = (size / chunks) * i + (i == 0 ? 0 : 4096L * (i * 7 % 13));
                ch.write(ByteBuffer.wrap(data), at);
            }
        }
        Path vhd = dir.resolve(name + ".vhd");
        run(
                List.of(
                        "qemu-img",
                        "convert",
                        "-f",
                        "raw",
                        "-O",
                        "vpc",
                        "-o",
                        "subformat=fixed,force_size=on",
                        raw.toString(),
                        vhd.toString()));
        return vhd;
    }

    static Path raw(Path vhd) {
        return vhd.resolveSibling(vhd.getFileName().toString().replaceAll("\\.vhd$", ".raw"));
    }

    /**
     * {@code qemu-img compare} of a raw image and a fixed VHD (a fixed VHD has no header, only a
     * footer: without {@code -F vpc} qemu-img would take it for raw).
     */
    static String compareRawWithVhd(Path raw, Path vhd) throws IOException, InterruptedException {
        return run(
                List.of(
                        "qemu-img",
                        "compare",
                        "-f",
                        "raw",
                        "-F",
                        "vpc",
                        raw.toString(),
                        vhd.toString()));
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
