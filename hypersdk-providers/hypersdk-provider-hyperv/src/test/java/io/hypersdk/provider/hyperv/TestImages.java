package io.hypersdk.provider.hyperv;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Real disk images for the tests: a raw source with data, converted with {@code qemu-img convert -O
 * vhdx}.
 */
final class TestImages {
    private TestImages() {}

    /** A raw image of {@code mib} MiB with seeded data at a few places. */
    static Path raw(Path dir, String name, int mib, long seed) throws IOException {
        Path raw = dir.resolve(name + ".raw");
        Random r = new Random(seed);
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength((long) mib << 20);
            byte[] block = new byte[256 * 1024];
            for (long at :
                    new long[] {0, ((long) mib << 20) / 2, ((long) mib << 20) - block.length}) {
                r.nextBytes(block);
                f.seek(at);
                f.write(block);
            }
            f.seek(512);
            f.write(("disk " + name).getBytes(StandardCharsets.UTF_8));
        }
        return raw;
    }

    /** {@code qemu-img convert -O vhdx raw <name>.vhdx} (or {@code -O vpc} for {@code .vhd}). */
    static Path convert(Path raw, Path target) throws IOException, InterruptedException {
        String fmt = target.toString().endsWith(".vhd") ? "vpc" : "vhdx";
        run("qemu-img", "convert", "-f", "raw", "-O", fmt, raw.toString(), target.toString());
        return target;
    }

    /** Runs {@code qemu-img compare}; true when the guest-visible contents are identical. */
    static boolean identical(Path a, Path b) throws IOException, InterruptedException {
        return run(List.of("qemu-img", "compare", a.toString(), b.toString()), false) == 0;
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        run(List.of(cmd), true);
    }

    private static int run(List<String> cmd, boolean check)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " did not finish");
        }
        if (check && p.exitValue() != 0) {
            throw new IOException(cmd + " failed: " + out);
        }
        return p.exitValue();
    }
}
