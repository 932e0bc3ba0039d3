package io.hypersdk.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end: argv, exit code, stdout and stderr merged. */
record Cmd(List<String> argv, int exitCode, String output) {

    /**
     * Runs argv with stdin from /dev/null; a command still running after the timeout is killed (it
     * and its descendants, all started here) and the test fails.
     */
    static Cmd run(Duration timeout, Map<String, String> env, List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        try {
            Path out = Files.createTempFile("hypersdk-packaging-cmd", ".out");
            try {
                pb.redirectOutput(out.toFile());
                Process p = pb.start();
                if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor();
                    throw new AssertionError(
                            "timed out after " + timeout + ": " + String.join(" ", argv));
                }
                return new Cmd(argv, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + argv, e);
        }
    }

    static Cmd run(String... argv) {
        return run(Duration.ofMinutes(2), Map.of(), List.of(argv));
    }

    /** Runs argv and fails the test unless it exits 0. */
    static String ok(String... argv) {
        Cmd c = run(argv);
        if (c.exitCode != 0) {
            throw new AssertionError(c.toString());
        }
        return c.output;
    }

    /** Whether an executable of that name is on PATH. */
    static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    static boolean isRoot() {
        return "0".equals(run("id", "-u").output.strip());
    }

    @Override
    public String toString() {
        return "$ " + String.join(" ", argv) + "\n" + output + "[exit " + exitCode + "]";
    }
}
