package io.hypersdk.systemd;

import java.time.Duration;
import java.util.Objects;

/**
 * What a finished child process left behind.
 *
 * @param exitCode the exit status; 128+N when the process was killed by signal N (137 after
 *     SIGKILL)
 * @param stdout captured standard output (UTF-8, at most the capture limit)
 * @param stderr captured standard error (UTF-8, at most the capture limit)
 * @param timedOut true when the runner killed the process because its timeout passed
 * @param truncated true when either stream produced more than the capture limit (the rest was read
 *     and discarded, and still passed to the line listener)
 * @param elapsed wall time from start to exit
 */
public record CommandResult(
        int exitCode,
        String stdout,
        String stderr,
        boolean timedOut,
        boolean truncated,
        Duration elapsed) {

    public CommandResult {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** True when the process exited with status 0 on its own (not killed by a timeout). */
    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /**
     * The first non-blank line of stderr, or an empty string: handy for one-line error messages.
     */
    public String firstStderrLine() {
        return stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    }
}
