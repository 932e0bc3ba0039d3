package io.hypersdk.pipeline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in hyper2kvm under {@code src/test/standin/hyper2kvm}, found through the {@code
 * hypersdk.repo.dir} system property (set by the parent pom), and a running stand-in daemon.
 */
public final class StandIn {
    private StandIn() {}

    /**
     * @return the stand-in executable
     */
    public static Path executable() {
        String repo = System.getProperty("hypersdk.repo.dir");
        Path p =
                repo != null
                        ? Path.of(repo, "hypersdk-pipeline", "src", "test", "standin", "hyper2kvm")
                        : Path.of("src", "test", "standin", "hyper2kvm");
        if (!Files.isExecutable(p)) {
            p = Path.of("src", "test", "standin", "hyper2kvm").toAbsolutePath();
        }
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("stand-in hyper2kvm not found at " + p);
        }
        return p.toAbsolutePath();
    }

    /**
     * Copies the stand-in to {@code dir/hyper2kvm}, for units whose sandbox hides the checkout (a
     * clone under /tmp is invisible with PrivateTmp=yes, one under /root or /home with
     * ProtectHome=yes).
     *
     * @return the executable copy
     */
    public static Path copyInto(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path copy = dir.resolve("hyper2kvm");
        Files.copy(
                executable(),
                copy,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        return copy;
    }

    /** A stand-in daemon process started by a test; {@link #close()} stops it by its PID. */
    public static final class Daemon implements AutoCloseable {
        private final Process process;
        private final Path log;

        private Daemon(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        /**
         * Starts {@code hyper2kvm --cmd daemon --layout L --watch-dir Q --output-dir O --to-output
         * disk.qcow2 --scan-interval 0.05}.
         */
        public static Daemon start(
                String layout, Path watch, Path output, Path log, Map<String, String> env)
                throws IOException {
            List<String> argv =
                    new ArrayList<>(
                            List.of(
                                    executable().toString(),
                                    "--cmd",
                                    "daemon",
                                    "--layout",
                                    layout,
                                    "--watch-dir",
                                    watch.toString(),
                                    "--output-dir",
                                    output.toString(),
                                    "--scan-interval",
                                    "0.05"));
            if (layout.equals("disk-watch")) {
                argv.addAll(List.of("--to-output", "disk.qcow2", "--flatten"));
            }
            ProcessBuilder pb =
                    new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            // the daemon creates its directories at start; wait until they exist
            Path ready = layout.equals("workflow") ? watch.resolve("to_be_processed") : watch;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.isDirectory(ready) || !Files.isDirectory(output)) {
                if (System.nanoTime() > end || !p.isAlive()) {
                    p.destroyForcibly();
                    throw new IllegalStateException(
                            "stand-in daemon did not start: " + Files.readString(log));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return new Daemon(p, log);
        }

        public long pid() {
            return process.pid();
        }

        public String log() throws IOException {
            return Files.readString(log);
        }

        @Override
        public void close() {
            // SIGTERM first: the stand-in finishes the step it is in (a rename, say) and exits;
            // then
            // whatever is left of its tree (a hung job's sleep, orphaned by then) is killed
            List<ProcessHandle> tree = new ArrayList<>();
            process.descendants().forEach(tree::add);
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(3, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (ProcessHandle h : tree) {
                if (h.isAlive()) {
                    h.destroyForcibly();
                }
            }
        }
    }
}
