package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypersdk.core.Cancellation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs hyperexport in-process (fast) or as a real JVM process (signals, working directory, PATH).
 */
final class Cli {
    static final Path REPO = repo();
    static final Path SAMPLE = REPO.resolve("samples/sample-appliance.ova");
    static final Path STANDIN = REPO.resolve("hypersdk-pipeline/src/test/standin/hyper2kvm");

    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new AssertionError(
                        "stdout is not one JSON document: " + e.getMessage() + "\n" + out, e);
            }
        }

        /**
         * Bad input: the exit code, exactly one line on stderr (with the fragments), nothing on
         * stdout.
         */
        Result rejects(int expected, String... fragments) {
            assertThat(code).as("exit code; stderr=%s", err).isEqualTo(expected);
            assertThat(err.strip().lines()).as("stderr lines").hasSize(1);
            assertThat(out).as("stdout").isEmpty();
            for (String f : fragments) {
                assertThat(err).contains(f);
            }
            return this;
        }

        /**
         * A failure while running: the exit code and exactly one error line (progress may precede
         * it).
         */
        Result failsWith(int expected, String... fragments) {
            assertThat(code).as("exit code; stdout=%s%nstderr=%s", out, err).isEqualTo(expected);
            java.util.List<String> errors =
                    err.lines().filter(l -> l.startsWith("hyperexport: ")).toList();
            assertThat(errors).as("error lines in %s", err).hasSize(1);
            for (String f : fragments) {
                assertThat(errors.get(0)).contains(f);
            }
            return this;
        }

        Result succeeds() {
            assertThat(code).as("exit code; stdout=%s%nstderr=%s", out, err).isZero();
            return this;
        }
    }

    private Cli() {}

    private static Path repo() {
        Path p = Path.of(System.getProperty("hypersdk.repo.dir", ".")).toAbsolutePath().normalize();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("samples/sample-appliance.ova"))) {
                return q;
            }
        }
        return p;
    }

    static Result run(String... args) {
        return run(Map.of(), Cancellation.create(), args);
    }

    static Result run(Map<String, String> env, Cancellation cancellation, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> e = new HashMap<>(System.getenv());
        e.putAll(env);
        Io io =
                new Io(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(new byte[0]),
                        e,
                        false);
        int code = HyperExport.run(args, io, cancellation);
        return new Result(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The java command line that runs hyperexport with this test JVM's class path. */
    static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        cmd.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(HyperExport.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs hyperexport as a separate JVM in {@code dir} with extra environment. */
    static Result process(Path dir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(javaCommand(args)).directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("hyperexport-out", ".txt");
        Path err = Files.createTempFile("hyperexport-err", ".txt");
        pb.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hyperexport did not finish in 120 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /**
     * A copy of the stand-in hyper2kvm that runs with extra environment (fault injection, argv
     * log).
     */
    static Path standin(Path dir, Map<String, String> env) throws IOException {
        StringBuilder sb = new StringBuilder("#!/bin/sh\n");
        env.forEach(
                (k, v) ->
                        sb.append("export ")
                                .append(k)
                                .append("='")
                                .append(v.replace("'", "'\\''"))
                                .append("'\n"));
        sb.append("exec '").append(STANDIN).append("' \"$@\"\n");
        Path script = dir.resolve("hyper2kvm");
        Files.writeString(script, sb.toString());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /**
     * A libvirt test-driver URI with its own empty state. {@code test:///default} is shared by
     * every connection of a process while any of its objects is alive, so tests that define domains
     * use a node file each.
     */
    static String libvirtNode(Path dir) throws IOException {
        Path node =
                Files.writeString(
                        Files.createDirectories(dir).resolve("libvirt-node.xml"),
                        "<node>\n</node>\n");
        return "test://" + node.toAbsolutePath();
    }

    /** argv lines the stand-in logged (STANDIN_ARGS_LOG), each split into its arguments. */
    static List<List<String>> loggedArgv(Path log) throws IOException {
        List<List<String>> runs = new ArrayList<>();
        if (!Files.exists(log)) {
            return runs;
        }
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("argv: ")) {
                runs.add(List.of(line.substring(6).split("\u001f", -1)));
            }
        }
        return runs;
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
