package io.hypersdk.systemd.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * JUnit-friendly driver of the real systemd test fixture, {@code shared/tools/systemd-fixture.sh}
 * (a systemd as PID 1 of private namespaces on a host whose PID 1 is not systemd). The script is
 * found through the system property {@code hypersdk.shared.dir} (set by the parent pom's surefire
 * configuration) and used as is.
 *
 * <pre>{@code
 * @BeforeAll static void up(@TempDir Path units) throws IOException {
 *     Files.writeString(units.resolve("hyper2kvm.service"), "[Service]\nExecStart=/bin/sleep infinity\n");
 *     fixture = SystemdFixture.start(units);            // skips the class when not root / no systemd
 *     fixture.systemctlOk("start", "hyper2kvm.service");
 *     client = SystemdClient.builder().systemctl(fixture.systemctlWrapper()).build();
 * }
 * @AfterAll static void down() { if (fixture != null) fixture.close(); }
 * }</pre>
 *
 * <p>Each fixture gets its own {@code SDFIX_STATE} directory under {@code /tmp} (and so its own
 * cgroup subtree), so fixtures of different test classes or modules can run side by side. Start it
 * once per test class: it takes about half a second. Uses only the JDK and JUnit's {@link
 * Assumptions}, so a module depending on this test-jar needs nothing else.
 *
 * <p>Facts worth knowing (see docs/test-infrastructure.md): the fixture's root file system is the
 * host's (ExecStart binaries must exist on the host; never {@code systemctl enable} without {@code
 * --runtime}, that would write into the host's /etc); its {@code /run} is private (use {@link
 * #root()} or {@link #addUnit}); {@code MainPID} values are PIDs of the fixture's PID namespace;
 * services have no network.
 */
public final class SystemdFixture implements AutoCloseable {
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9/._@:+-]+");
    private static final Pattern UNIT_FILE_NAME = Pattern.compile("[A-Za-z0-9:_.@\\\\-]+");

    private final Path script;
    private final Path stateDir;
    private final long pid;
    private final Path wrapper;
    private volatile boolean closed;
    private final Thread shutdownHook;

    private SystemdFixture(Path script, Path stateDir, long pid, Path wrapper) {
        this.script = script;
        this.stateDir = stateDir;
        this.pid = pid;
        this.wrapper = wrapper;
        this.shutdownHook = new Thread(this::stopQuietly, "sdfixture-stop-" + pid);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Why a fixture cannot run on this machine (not root, systemd package missing), or empty when
     * it can. Tests use {@link #start(Path)}, which turns this into a JUnit assumption.
     */
    public static Optional<String> unavailableReason() {
        long uid;
        try {
            uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.of("the systemd fixture needs Linux with /proc (" + e + ")");
        }
        if (uid != 0) {
            return Optional.of(
                    "the systemd fixture needs root (uid 0, this is uid "
                            + uid
                            + "); CI runs as root and runs these tests");
        }
        if (!Files.isExecutable(Path.of("/lib/systemd/systemd"))
                || !Files.isExecutable(Path.of("/usr/bin/systemctl"))) {
            return Optional.of(
                    "the systemd fixture needs the systemd package (/lib/systemd/systemd, /usr/bin/systemctl):"
                            + " apt-get install -y --no-install-recommends systemd");
        }
        return Optional.empty();
    }

    /**
     * The fixture script, from {@code hypersdk.shared.dir} (or a {@code shared/} directory above
     * the working directory).
     */
    public static Path script() {
        String dir = System.getProperty("hypersdk.shared.dir");
        List<Path> candidates = new ArrayList<>();
        if (dir != null && !dir.isBlank()) {
            candidates.add(Path.of(dir, "tools", "systemd-fixture.sh"));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            candidates.add(p.resolve("shared/tools/systemd-fixture.sh"));
            candidates.add(p.resolveSibling("shared").resolve("tools/systemd-fixture.sh"));
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return c.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException(
                "systemd-fixture.sh not found (looked in "
                        + candidates.get(0)
                        + " and above the working directory): run the tests through Maven from the repository, or set"
                        + " -Dhypersdk.shared.dir=/path/to/shared");
    }

    /**
     * Starts a fixture whose {@code /run/systemd/system} holds a copy of {@code unitDir}'s files.
     * Aborts the calling test (JUnit assumption) with a clear message when not root or when the
     * systemd package is missing; fails when the fixture does not come up.
     */
    public static SystemdFixture start(Path unitDir) {
        Optional<String> reason = unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
        if (!Files.isDirectory(unitDir)) {
            throw new IllegalArgumentException(
                    "unit directory "
                            + unitDir
                            + " does not exist: create it and put the unit files in it");
        }
        Path script = script();
        Path state;
        try {
            state = Files.createTempDirectory(Path.of("/tmp"), "sdfixture-");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create a state directory for the systemd fixture under /tmp", e);
        }
        checkSafe(state);
        checkSafe(script);
        Result r =
                exec(
                        script,
                        state,
                        Duration.ofSeconds(30),
                        "start",
                        unitDir.toAbsolutePath().toString());
        String out = r.stdout().strip();
        if (r.exitCode() != 0 || !out.matches("\\d+")) {
            String console = "";
            try {
                List<String> lines =
                        Files.readAllLines(
                                state.resolve("console.log"), StandardCharsets.ISO_8859_1);
                console =
                        String.join(
                                "\n  ",
                                lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            } catch (IOException ignored) {
                // no console log
            }
            exec(script, state, Duration.ofSeconds(15), "stop");
            throw new IllegalStateException(
                    "systemd fixture did not start (exit "
                            + r.exitCode()
                            + "): "
                            + r.stderr().strip()
                            + "\n  console.log of "
                            + state
                            + ":\n  "
                            + console);
        }
        long pid = Long.parseLong(out);
        Path wrapper = state.resolve("systemctl");
        try {
            Files.writeString(
                    wrapper,
                    "#!/bin/sh\n# runs systemctl inside the systemd test fixture "
                            + pid
                            + "\n"
                            + "SDFIX_STATE='"
                            + state
                            + "'\nexport SDFIX_STATE\n"
                            + "exec '"
                            + script
                            + "' systemctl \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            exec(script, state, Duration.ofSeconds(15), "stop");
            throw new UncheckedIOException("cannot write the systemctl wrapper " + wrapper, e);
        }
        return new SystemdFixture(script, state, pid, wrapper);
    }

    /**
     * Writes the given unit files (name to content) into a fresh directory and starts a fixture
     * with them.
     */
    public static SystemdFixture start(Map<String, String> unitFiles) {
        Optional<String> reason = unavailableReason();
        Assumptions.assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "sdfixture-units-");
            for (Map.Entry<String, String> e : unitFiles.entrySet()) {
                Files.writeString(dir.resolve(checkUnitFileName(e.getKey())), e.getValue());
            }
            try {
                return start(dir);
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write unit files for the systemd fixture", e);
        }
    }

    private static String checkUnitFileName(String name) {
        if (!UNIT_FILE_NAME.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException(
                    "unit file name \""
                            + name
                            + "\" is not a plain unit name such as foo@.service");
        }
        return name;
    }

    private static void checkSafe(Path p) {
        if (!SAFE_PATH.matcher(p.toString()).matches()) {
            throw new IllegalArgumentException(
                    "path "
                            + p
                            + " has characters the wrapper script cannot quote safely;"
                            + " move it to a plain path");
        }
    }

    /** Host-view PID of the fixture's systemd (PID 1 inside). */
    public long pid() {
        return pid;
    }

    /** The fixture's {@code SDFIX_STATE} directory (console.log is there). */
    public Path stateDir() {
        return stateDir;
    }

    /**
     * The fixture's root as the host sees it ({@code /proc/PID/root}); its {@code /run} differs
     * from the host's.
     */
    public Path root() {
        return Path.of("/proc/" + pid + "/root");
    }

    /**
     * An executable script that runs {@code systemd-fixture.sh systemctl "$@"} against this
     * fixture.
     */
    public Path systemctlWrapper() {
        return wrapper;
    }

    /** Runs systemctl inside the fixture; exit code, stdout and stderr pass through unchanged. */
    public Result systemctl(String... args) {
        checkOpen();
        List<String> a = new ArrayList<>();
        a.add("systemctl");
        a.addAll(Arrays.asList(args));
        return exec(script, stateDir, Duration.ofSeconds(30), a.toArray(String[]::new));
    }

    /**
     * Like {@link #systemctl(String...)} but fails (AssertionError) unless it exits 0; returns
     * stdout.
     */
    public String systemctlOk(String... args) {
        Result r = systemctl(args);
        if (r.exitCode() != 0) {
            throw new AssertionError(
                    "systemctl "
                            + String.join(" ", args)
                            + " in the fixture exited "
                            + r.exitCode()
                            + ": "
                            + r.stderr().strip());
        }
        return r.stdout();
    }

    /** {@code systemctl show -P property unit}: the bare value. */
    public String property(String unit, String property) {
        return systemctlOk("show", "-P", property, "--", unit).strip();
    }

    /**
     * Polls {@code property} of {@code unit} every 50 ms until it equals {@code expected}; fails
     * (AssertionError naming the last value) after {@code timeout}.
     */
    public void awaitProperty(String unit, String property, String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        while (true) {
            last = property(unit, property);
            if (last.equals(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        unit
                                + " "
                                + property
                                + " is \""
                                + last
                                + "\", expected \""
                                + expected
                                + "\" within "
                                + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(
                        "interrupted while waiting for " + unit + " " + property, e);
            }
        }
    }

    /**
     * Adds (or replaces) a unit file in the fixture's {@code /run/systemd/system} and runs
     * daemon-reload.
     */
    public void addUnit(String name, String content) {
        addUnits(Map.of(name, content));
    }

    /** Adds several unit files, then one daemon-reload. */
    public void addUnits(Map<String, String> unitFiles) {
        checkOpen();
        Path dir = root().resolve("run/systemd/system");
        try {
            for (Map.Entry<String, String> e : unitFiles.entrySet()) {
                Files.writeString(dir.resolve(checkUnitFileName(e.getKey())), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write unit files into the fixture at " + dir, e);
        }
        systemctlOk("daemon-reload");
    }

    /**
     * Stops the fixture (SIGKILL to its PID 1, which ends its whole PID namespace) and deletes its
     * state.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    private synchronized void stopQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        exec(script, stateDir, Duration.ofSeconds(20), "stop");
        deleteTree(stateDir);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("systemd fixture " + pid + " is already closed");
        }
    }

    private static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            Files.deleteIfExists(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path d, IOException exc)
                                throws IOException {
                            Files.deleteIfExists(d);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException ignored) {
            // best effort: /tmp is cleaned eventually
        }
    }

    private static Result exec(Path script, Path state, Duration timeout, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(script.toString());
        argv.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("SDFIX_STATE", state.toString());
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("TZ", "UTC");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                throw new IllegalStateException(
                        "systemd-fixture.sh "
                                + String.join(" ", args)
                                + " did not finish within "
                                + timeout);
            }
            return new Result(
                    p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "cannot read the output of " + script + " " + String.join(" ", args), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t =
                new Thread(
                        () -> {
                            try (in) {
                                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                            } catch (IOException e) {
                                f.completeExceptionally(e);
                            }
                        },
                        "sdfixture-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Outcome of one command run in the fixture. */
    public record Result(int exitCode, String stdout, String stderr) {}
}
