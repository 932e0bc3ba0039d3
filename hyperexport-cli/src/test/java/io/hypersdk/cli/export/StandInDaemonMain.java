package io.hypersdk.cli.export;

import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.ManifestCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in hyper2kvm daemon of the {@code workflow} layout, run as a plain process on a
 * "conversion host" of {@link MultiHostHarness} (not under systemd: one systemd fixture per machine
 * is possible, two conversion hosts need two daemons). It claims from its own host's spool (on that
 * host's disk, never over sshfs) by renaming into {@code processing/}, converts each disk with the
 * real {@code qemu-img}, answers in {@code processed/<date>/}. A job it claimed and did not finish
 * (it was SIGKILLed) is taken up again when it restarts: an owner marker next to the claimed file
 * says whose it is. Every finished conversion is appended to its log as {@code DONE <job>}, which
 * the tests count for duplicates.
 *
 * <p>Arguments: spool output name log workers work-millis
 */
public final class StandInDaemonMain {
    private StandInDaemonMain() {}

    public static void main(String[] args) throws Exception {
        Path spool = Path.of(args[0]);
        Path output = Path.of(args[1]);
        String name = args[2];
        Path log = Path.of(args[3]);
        int workers = Integer.parseInt(args[4]);
        long workMillis = Long.parseLong(args[5]);
        Path inbox = spool.resolve("to_be_processed");
        Path processing = spool.resolve("processing");
        for (Path d :
                new Path[] {
                    inbox, processing, spool.resolve("processed"), spool.resolve("failed")
                }) {
            Files.createDirectories(d);
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        // restart: finish what this daemon had claimed
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(processing, ".*.owner")) {
            for (Path marker : ds) {
                if (Files.readString(marker).strip().equals(name)) {
                    String job = marker.getFileName().toString();
                    job = job.substring(1, job.length() - ".owner".length());
                    Path claimed = processing.resolve(job);
                    if (Files.exists(claimed)) {
                        append(log, "RESUME " + job);
                        pool.submit(() -> process(spool, output, claimed, name, log, workMillis));
                    } else {
                        Files.deleteIfExists(marker); // killed between marker and move: free it
                    }
                }
            }
        }
        append(log, "STARTED " + name);
        while (true) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(inbox, "*.json")) {
                for (Path p : ds) {
                    if (p.getFileName().toString().startsWith(".")) {
                        continue;
                    }
                    Path claimed = processing.resolve(p.getFileName());
                    // The claim is an O_EXCL marker, not the rename alone: OpenSSH's sftp-server
                    // renames by link()+unlink(), and rename(2) of two links to one inode is a
                    // successful no-op, so a local rename racing an sftp rename lets both
                    // daemons "win" (seen in this test before the marker). O_EXCL is atomic on
                    // the server for both.
                    Path marker = processing.resolve("." + p.getFileName() + ".owner");
                    try {
                        Files.writeString(
                                marker,
                                name + "\n",
                                StandardOpenOption.CREATE_NEW,
                                StandardOpenOption.WRITE);
                    } catch (IOException e) {
                        continue; // the other daemon has it
                    }
                    try {
                        Files.move(p, claimed, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        Files.deleteIfExists(marker);
                        continue;
                    }
                    append(log, "CLAIM " + p.getFileName());
                    pool.submit(() -> process(spool, output, claimed, name, log, workMillis));
                }
            } catch (IOException e) {
                // a network file system hiccup: look again
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static void process(
            Path spool, Path output, Path claimed, String name, Path log, long workMillis) {
        String file = claimed.getFileName().toString();
        String job = file.substring(0, file.length() - ".json".length());
        String date = LocalDate.now(ZoneOffset.UTC).toString();
        try {
            ArtifactManifest m = ManifestCodec.read(claimed);
            String fmt = m.output().flatMap(o -> o.format()).orElse("qcow2");
            Path dir = Files.createDirectories(output.resolve(date).resolve(job));
            for (DiskArtifact d : m.disks()) {
                Path part = dir.resolve(d.id() + "." + fmt + ".part");
                Process q =
                        new ProcessBuilder(
                                        "qemu-img",
                                        "convert",
                                        "-f",
                                        d.sourceFormat().id(),
                                        "-O",
                                        fmt,
                                        d.localPath().toString(),
                                        part.toString())
                                .redirectErrorStream(true)
                                .start();
                String out = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (q.waitFor() != 0) {
                    throw new IOException("qemu-img convert failed: " + out.strip());
                }
                TimeUnit.MILLISECONDS.sleep(workMillis); // the guest repair a real converter does
                Files.move(
                        part, dir.resolve(d.id() + "." + fmt), StandardCopyOption.REPLACE_EXISTING);
            }
            Path done = Files.createDirectories(spool.resolve("processed").resolve(date));
            Files.writeString(done.resolve(file + ".report.json"), "{\"status\": \"completed\"}");
            Files.move(claimed, done.resolve(file), StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(claimed.resolveSibling("." + file + ".owner"));
            append(log, "DONE " + job);
        } catch (Exception e) {
            try {
                Path f = Files.createDirectories(spool.resolve("failed").resolve(date));
                Files.writeString(
                        f.resolve(file + ".error.json"),
                        "{\"job_id\": \""
                                + job
                                + "\", \"error\": \""
                                + e.toString().replace('"', '\'')
                                + "\"}");
                Files.move(claimed, f.resolve(file), StandardCopyOption.ATOMIC_MOVE);
                append(log, "FAILED " + job + " " + e);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static synchronized void append(Path log, String line) throws IOException {
        Files.writeString(
                log,
                line + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }
}
