package io.hypersdk.cli.export;

import io.hypersdk.core.Cancellation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Build-time only: the training run for the class-data-sharing archive of {@code hyperexport} (run
 * by the package phase with {@code -XX:DumpLoadedClassList}, then {@code -Xshare:dump} archives the
 * listed classes; {@code bin/hyperexport} maps the archive). It walks the code paths of real
 * invocations (help, version, usage errors, and, when given the sample appliance, an export of it)
 * so that their classes land in the archive. It writes only under the directory it is given, and a
 * failing step (no qemu-img on the build host, say) only leaves classes out.
 */
public final class CdsTraining {

    private CdsTraining() {}

    /**
     * @param args a scratch directory (created), then optionally an OVA to export into it
     */
    public static void main(String[] args) throws IOException {
        Path scratch = Path.of(args.length > 0 ? args[0] : "target/cds-training").toAbsolutePath();
        Files.createDirectories(scratch);
        // a rebuild trains again: an earlier run's export would make these runs stop early (the
        // export refuses to overwrite, the conversion is refused before it starts), leaving the
        // export and conversion classes out of the archive
        for (String old : new String[] {"export", "converted"}) {
            deleteTree(scratch.resolve(old));
        }
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true);
        // PATH only (qemu-img): no credentials or settings of the build host reach the training run
        Map<String, String> env =
                Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Io io = new Io(sink, sink, new ByteArrayInputStream(new byte[0]), env, false);
        run(io, "--version");
        run(io, "--help");
        run(io, "--provider", "nope", "--vm", "x", "--output", scratch.toString());
        run(io, "--no-such-option");
        run(io, "--json", "--vm");
        if (args.length > 1) {
            Path ova = Path.of(args[1]);
            Path out = scratch.resolve("export");
            run(io, "--provider", "local", "--vm", ova.toString(), "--output", out.toString());
            run(
                    io,
                    "--provider",
                    "local",
                    "--vm",
                    ova.toString(),
                    "--output",
                    scratch.resolve("converted").toString(),
                    "--pipeline",
                    "--converter",
                    "qemu-img",
                    "--json");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void run(Io io, String... args) {
        try {
            HyperExport.run(args, io, Cancellation.create());
        } catch (RuntimeException e) {
            // a step that fails on this build host only leaves its classes out of the archive
        }
    }
}
