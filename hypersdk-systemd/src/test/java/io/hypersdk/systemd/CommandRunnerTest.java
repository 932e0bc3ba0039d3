package io.hypersdk.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CommandRunnerTest {
    private final CommandRunner runner =
            CommandRunner.builder()
                    .killGrace(Duration.ofMillis(300))
                    .drainTimeout(Duration.ofMillis(500))
                    .build();

    @TempDir Path dir;

    @Test
    void capturesExitCodeStdoutAndStderr() {
        CommandResult r = runner.run(CommandSpec.of("sh", "-c", "echo out; echo err >&2; exit 3"));

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.firstStderrLine()).isEqualTo("err");
        assertThat(r.timedOut()).isFalse();
        assertThat(r.truncated()).isFalse();
        assertThat(r.succeeded()).isFalse();
        assertThat(r.elapsed()).isPositive();
    }

    @Test
    void argumentsReachTheProgramVerbatimWithoutAShell() {
        List<String> args =
                List.of("a b", "$HOME", "\"q\"", "'s'", "`id`", "; rm -rf /", "*", "-n", "ünï");
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\n"));
        argv.addAll(args);

        CommandResult r = runner.run(CommandSpec.of(argv));

        assertThat(r.stdout().lines().toList()).containsExactlyElementsOf(args);
    }

    @Test
    void childrenGetCLocaleAndUtcAndTheSpecEnvironmentOnTop() {
        CommandResult r =
                runner.run(
                        CommandSpec.of("sh", "-c", "echo $LC_ALL $TZ $EXTRA; date +%Z")
                                .withEnvironment(Map.of("EXTRA", "x y")));
        assertThat(r.stdout()).isEqualTo("C UTC x y\nUTC\n");

        CommandResult overridden =
                runner.run(
                        CommandSpec.of("sh", "-c", "echo $TZ")
                                .withEnvironment(Map.of("TZ", "Europe/Berlin")));
        assertThat(overridden.stdout()).isEqualTo("Europe/Berlin\n");

        CommandRunner clean =
                CommandRunner.builder().inheritEnvironment(false).environment("ONLY", "1").build();
        assertThat(clean.run(CommandSpec.of("/usr/bin/env")).stdout().lines().sorted().toList())
                .containsExactly("LC_ALL=C", "ONLY=1", "TZ=UTC");
    }

    @Test
    void childrenGetAnAllowlistedEnvironmentAndNeverASecretEvenWhenACallerAddsOne() {
        CommandRunner withSecret =
                CommandRunner.builder()
                        .environment("AWS_SECRET_ACCESS_KEY", "aws-9c1d")
                        .environment("LIBGUESTFS_BACKEND", "direct")
                        .build();
        CommandResult r =
                withSecret.run(
                        CommandSpec.of("/usr/bin/env")
                                .withEnvironment(
                                        Map.of(
                                                "GOVC_PASSWORD",
                                                "govc-7f3a",
                                                "AZURE_CLIENT_SECRET",
                                                "azure-5e6f",
                                                "MY_SERVICE_TOKEN",
                                                "tok-8f2c",
                                                "HYPER2KVM_LOG_LEVEL",
                                                "debug")));
        List<String> names = r.stdout().lines().map(l -> l.substring(0, l.indexOf('='))).toList();
        assertThat(r.stdout()).doesNotContain("aws-9c1d", "govc-7f3a", "azure-5e6f", "tok-8f2c");
        assertThat(r.stdout().lines())
                .contains(
                        "LIBGUESTFS_BACKEND=direct",
                        "HYPER2KVM_LOG_LEVEL=debug",
                        "LC_ALL=C",
                        "TZ=UTC");
        assertThat(names)
                .as("inherited only from the allowlist")
                .allMatch(
                        n ->
                                n.equals("PATH")
                                        || n.equals("HOME")
                                        || n.equals("LANG")
                                        || n.startsWith("LC_")
                                        || n.equals("TZ")
                                        || n.equals("TMPDIR")
                                        || n.startsWith("LIBGUESTFS_")
                                        || n.startsWith("LIBVIRT_")
                                        || n.equals("HYPER2KVM_LOG_LEVEL"));
    }

    @Test
    void runsInTheGivenDirectory() throws IOException {
        Path real = dir.toRealPath();
        assertThat(runner.run(CommandSpec.of("pwd").withDirectory(real)).stdout().strip())
                .isEqualTo(real.toString());
        assertThatThrownBy(
                        () ->
                                runner.run(
                                        CommandSpec.of("pwd")
                                                .withDirectory(dir.resolve("missing"))))
                .isInstanceOf(CommandStartException.class)
                .isNotInstanceOf(CommandNotFoundException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void hugeOutputNeverDeadlocksAndIsCapturedOnlyUpToTheLimit() {
        CommandResult r =
                runner.run(
                        CommandSpec.of(
                                        "sh",
                                        "-c",
                                        "head -c 50000000 /dev/zero; head -c 30000000 /dev/zero >&2")
                                .withCaptureLimit(1 << 20)
                                .withTimeout(Duration.ofSeconds(30)));

        assertThat(r.exitCode()).isZero();
        assertThat(r.truncated()).isTrue();
        assertThat(r.stdout()).hasSize(1 << 20);
        assertThat(r.stderr()).hasSize(1 << 20);
    }

    @Test
    void veryLongLinesAreSplitAtTheBoundAndNothingIsLost() {
        CommandRunner small = CommandRunner.builder().maxLineBytes(4096).build();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        AtomicLong total = new AtomicLong();

        CommandResult r =
                small.run(
                        CommandSpec.of(
                                        "sh",
                                        "-c",
                                        "head -c 10000000 /dev/zero | tr '\\0' a; echo; echo tail")
                                .withCaptureLimit(0)
                                .withLineListener(
                                        (stream, line) -> {
                                            lines.add(
                                                    line.length() > 10
                                                            ? "long:" + line.length()
                                                            : line);
                                            total.addAndGet(line.length());
                                        }));

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(total.get()).isEqualTo(10_000_000 + 4);
        assertThat(lines).last().isEqualTo("tail");
        assertThat(lines.subList(0, lines.size() - 1))
                .allMatch(l -> l.equals("long:4096") || l.startsWith("long:"));
        assertThat(lines).hasSize(10_000_000 / 4096 + 2);
    }

    @Test
    void splittingALongLineNeverCutsAUtf8Character() {
        CommandRunner small = CommandRunner.builder().maxLineBytes(17).build();
        String text = "aü€𝄞".repeat(40);
        List<String> pieces = new ArrayList<>();

        small.run(
                CommandSpec.of("printf", "%s", text)
                        .withLineListener((s, line) -> pieces.add(line)));

        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(pieces).noneMatch(p -> p.contains("\uFFFD"));
        assertThat(pieces)
                .allMatch(p -> p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 17);
    }

    @Test
    void linesEndAtNewlineCarriageReturnOrBothAndKnowTheirStream() {
        List<String> got = new ArrayList<>();
        runner.run(
                CommandSpec.of("sh", "-c", "printf 'a\\rb\\r\\nc\\n'; printf 'e1\\ne2' >&2")
                        .withLineListener((s, line) -> got.add(s + ":" + line)));

        assertThat(got.stream().filter(l -> l.startsWith("STDOUT")).toList())
                .containsExactly("STDOUT:a", "STDOUT:b", "STDOUT:c");
        assertThat(got.stream().filter(l -> l.startsWith("STDERR")).toList())
                .containsExactly("STDERR:e1", "STDERR:e2");
    }

    @Test
    void aThrowingListenerDoesNotStopTheDraining() {
        CommandResult r =
                runner.run(
                        CommandSpec.of("sh", "-c", "seq 1 100000")
                                .withLineListener(
                                        (s, line) -> {
                                            throw new IllegalStateException("listener bug");
                                        }));

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout().lines().count()).isEqualTo(100000);
    }

    @Test
    void timeoutKillsTheProcessAndItsDescendants() throws InterruptedException {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        // the sleeps last 120 s: only the 2 s timeout ends the run within the class's @Timeout(60)
        CommandResult r =
                runner.run(
                        CommandSpec.of(
                                        "sh",
                                        "-c",
                                        "sleep 120 & echo $!; sh -c 'sleep 120 & echo $!; wait' ; wait")
                                .withTimeout(Duration.ofSeconds(2))
                                .withLineListener((s, line) -> out.add(line)));

        assertThat(r.timedOut()).isTrue();
        assertThat(r.succeeded()).isFalse();
        assertThat(out).hasSize(2);
        for (String pid : out) {
            assertThat(Processes.goneWithin(Long.parseLong(pid), Duration.ofSeconds(3)))
                    .as("descendant %s", pid)
                    .isTrue();
        }
    }

    @Test
    void processesIgnoringSigtermAreKilledAfterTheGracePeriod() throws InterruptedException {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        RunningCommand c =
                runner.start(
                        CommandSpec.of("sh", "-c", "trap '' TERM; sleep 120 & echo $!; wait")
                                .withLineListener((s, line) -> out.add(line)));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (out.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(out).as("the child's PID line").hasSize(1);

        c.cancel();
        CommandResult r = c.await();

        assertThat(c.isCancelled()).isTrue();
        assertThat(r.exitCode()).isEqualTo(137); // SIGKILL: SIGTERM was ignored
        assertThat(Processes.goneWithin(Long.parseLong(out.get(0)), Duration.ofSeconds(3)))
                .isTrue();
    }

    @Test
    void cancelStopsARunningCommand() throws InterruptedException {
        RunningCommand c = runner.start(CommandSpec.of("sleep", "120"));
        assertThat(c.isAlive()).isTrue();

        c.cancel();
        CommandResult r = c.await();

        assertThat(c.isCancelled()).isTrue();
        assertThat(c.isAlive()).isFalse();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.exitCode()).isNotZero();
        assertThat(Processes.goneWithin(c.pid(), Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void interruptingTheWaitingThreadCancelsTheCommand() throws InterruptedException {
        RunningCommand c = runner.start(CommandSpec.of("sleep", "120"));
        Thread waiter = new Thread(c::await);
        waiter.start();
        // interrupt once the waiter is parked in await()
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(
                        () ->
                                waiter.getState() == Thread.State.WAITING
                                        || waiter.getState() == Thread.State.TIMED_WAITING);

        waiter.interrupt();
        waiter.join(5000);

        assertThat(waiter.isAlive()).isFalse();
        assertThat(c.isCancelled()).isTrue();
        assertThat(c.isAlive()).isFalse();
    }

    @Test
    @Timeout(20) // the grandchild sleeps 30 s: a caller held by its output would time out
    void aBackgroundGrandchildHoldingTheOutputDoesNotHoldTheCaller() throws InterruptedException {
        CommandResult r =
                runner.run(CommandSpec.of("sh", "-c", "echo $$; sleep 30 & echo $!; exit 0"));
        try {
            assertThat(r.exitCode()).isZero();
        } finally {
            // the orphaned sleep was started by this test: end it by its PID
            String[] pids = r.stdout().strip().split("\n");
            ProcessHandle.of(Long.parseLong(pids[pids.length - 1]))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void missingProgramIsCommandNotFound() {
        assertThatThrownBy(() -> runner.run(CommandSpec.of("hypersdk-no-such-program", "--help")))
                .isInstanceOf(CommandNotFoundException.class)
                .hasMessageContaining("hypersdk-no-such-program")
                .satisfies(
                        e ->
                                assertThat(((CommandNotFoundException) e).program())
                                        .isEqualTo("hypersdk-no-such-program"));
        assertThatThrownBy(() -> runner.run(CommandSpec.of(dir.resolve("nope").toString())))
                .isInstanceOf(CommandNotFoundException.class);
    }

    @Test
    void nonExecutableFileIsAStartFailureNotNotFound() throws IOException {
        Path f = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> runner.run(CommandSpec.of(f.toString())))
                .isInstanceOf(CommandStartException.class)
                .isNotInstanceOf(CommandNotFoundException.class)
                .hasMessageContaining("permission denied");
    }

    @Test
    void badSpecsAreRejectedWithTheirValue() {
        assertThatThrownBy(() -> CommandSpec.of(List.of())).hasMessageContaining("empty");
        assertThatThrownBy(() -> CommandSpec.of("echo", "a\0b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> CommandSpec.of("echo").withTimeout(Duration.ZERO))
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> CommandSpec.of("echo").withEnvironment(Map.of("A=B", "x")))
                .hasMessageContaining("A=B");
        assertThat(
                        CommandSpec.of("hyper2kvm")
                                .withEnvironment(Map.of("PASSWORD", "s3cret"))
                                .toString())
                .contains("PASSWORD")
                .doesNotContain("s3cret");
    }
}
