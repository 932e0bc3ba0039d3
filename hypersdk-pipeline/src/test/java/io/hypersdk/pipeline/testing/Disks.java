package io.hypersdk.pipeline.testing;

import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestVm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real disk images made with qemu-img / qemu-io, and manifests pointing at them. */
public final class Disks {
    private Disks() {}

    private static Process start(String... argv) throws IOException {
        try {
            return new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            if (argv[0].startsWith("qemu-")) {
                org.junit.jupiter.api.Assumptions.abort(
                        argv[0]
                                + " is not installed (Debian: qemu-utils;"
                                + " scripts/install-test-deps.sh installs it): "
                                + e.getMessage());
            }
            throw e;
        }
    }

    /** Runs a command, failing the test with its output when it fails. */
    public static String run(String... argv) throws IOException, InterruptedException {
        Process p = start(argv);
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", argv) + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", argv) + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }

    /** The exit status of a command (for {@code qemu-img compare}). */
    public static int status(String... argv) throws IOException, InterruptedException {
        Process p = start(argv);
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    /**
     * A {@code format} image of {@code sizeMiB} MiB whose first 64 KiB (and a block at 512 KiB) are
     * filled with {@code pattern}.
     */
    public static Path create(Path file, String format, int sizeMiB, int pattern)
            throws IOException, InterruptedException {
        run("qemu-img", "create", "-q", "-f", format, file.toString(), sizeMiB + "M");
        run("qemu-io", "-f", format, "-c", "write -P " + pattern + " 0 64k", file.toString());
        if (sizeMiB >= 1) {
            run(
                    "qemu-io",
                    "-f",
                    format,
                    "-c",
                    "write -P " + ((pattern + 1) & 0xff) + " 512k 4k",
                    file.toString());
        }
        return file;
    }

    /** Whether qemu-img finds the images identical. */
    public static boolean identical(Path a, String formatA, Path b, String formatB)
            throws IOException, InterruptedException {
        return status(
                        "qemu-img",
                        "compare",
                        "-q",
                        "-f",
                        formatA,
                        "-F",
                        formatB,
                        a.toString(),
                        b.toString())
                == 0;
    }

    /** A disk entry. */
    public static DiskArtifact disk(String id, Path path, DiskFormat format, int bootOrder)
            throws IOException {
        return DiskArtifact.builder()
                .id(id)
                .sourceFormat(format)
                .bytes(Files.size(path))
                .localPath(path)
                .bootOrderHint(bootOrder)
                .diskType(bootOrder == 0 ? DiskType.BOOT : DiskType.DATA)
                .build();
    }

    /** A manifest for VM {@code vmName} with these disks. */
    public static ArtifactManifest manifest(String vmName, List<DiskArtifact> disks) {
        return ArtifactManifest.builder()
                .source(ManifestSource.of("local").withVmName(vmName))
                .vm(ManifestVm.of(2, 1, Firmware.BIOS))
                .disks(disks)
                .build();
    }
}
