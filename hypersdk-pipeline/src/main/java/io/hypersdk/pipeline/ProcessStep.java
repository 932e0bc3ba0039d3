package io.hypersdk.pipeline;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ConverterOutput;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.systemd.CommandResult;
import io.hypersdk.systemd.CommandRunner;
import io.hypersdk.systemd.CommandSpec;
import io.hypersdk.systemd.CommandStartException;
import io.hypersdk.systemd.RunningCommand;
import io.hypersdk.systemd.StreamKind;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one converter process: every output line becomes a {@link ConverterOutput} event and goes to
 * a {@link ConverterLog} (the whole output in a file next to the export, and the line naming the
 * error for the failure message), the remaining time of the deadline is the process timeout, and
 * cancellation kills the process tree.
 */
final class ProcessStep {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessStep.class);

    /** Bytes of each stream the runner keeps in its result: the lines go to the listener. */
    static final int CAPTURE_LIMIT = 64 * 1024;

    /** How one process ended. */
    sealed interface Outcome {
        record Ok() implements Outcome {}

        record Failed(String message) implements Outcome {}

        record TimedOut(Duration after) implements Outcome {}

        record Cancelled() implements Outcome {}
    }

    private ProcessStep() {}

    /** What a conversion's percentage lines are about: an item name and its size in bytes. */
    record Transfer(String item, long bytesTotal) {}

    /** hyper2kvm's {@code Conversion progress: 12.3%} and qemu-img -p's {@code (12.00/100%)}. */
    private static final Pattern PERCENT =
            Pattern.compile(
                    "(?:Conversion progress:\\s*([0-9]+(?:\\.[0-9]+)?)%)"
                            + "|(?:^\\s*\\(([0-9]+(?:\\.[0-9]+)?)/100%\\)\\s*$)");

    static Outcome run(
            CommandRunner runner,
            CommandSpec spec,
            String what,
            Deadline deadline,
            Cancellation cancellation,
            ProgressListener listener) {
        return run(
                runner,
                spec,
                what,
                deadline,
                cancellation,
                listener,
                java.util.Optional.empty(),
                ConverterLog.inMemory());
    }

    /**
     * Turns percentage lines into {@link TransferProgress} events, at most one per whole percent.
     */
    static final class PercentTranslator {
        private final Transfer transfer;
        private final long start = System.nanoTime();
        private int lastPercent = -1;

        PercentTranslator(Transfer transfer) {
            this.transfer = transfer;
        }

        synchronized java.util.Optional<TransferProgress> onLine(String line) {
            java.util.regex.Matcher m = PERCENT.matcher(line);
            if (!m.find()) {
                return java.util.Optional.empty();
            }
            double pct = Double.parseDouble(m.group(1) != null ? m.group(1) : m.group(2));
            pct = Math.max(0, Math.min(100, pct));
            if ((int) pct <= lastPercent) {
                return java.util.Optional.empty();
            }
            lastPercent = (int) pct;
            long total = Math.max(0, transfer.bytesTotal());
            long done = (long) (total * pct / 100.0);
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = seconds > 0 ? done / seconds : 0;
            java.util.Optional<Duration> eta =
                    rate > 0 && done < total
                            ? java.util.Optional.of(
                                    Duration.ofMillis((long) ((total - done) / rate * 1000)))
                            : java.util.Optional.empty();
            return java.util.Optional.of(
                    new TransferProgress(transfer.item(), done, total, rate, eta));
        }
    }

    static Outcome run(
            CommandRunner runner,
            CommandSpec spec,
            String what,
            Deadline deadline,
            Cancellation cancellation,
            ProgressListener listener,
            java.util.Optional<Transfer> transfer,
            ConverterLog log) {
        java.util.Optional<PercentTranslator> percent = transfer.map(PercentTranslator::new);
        if (cancellation.isCancelled()) {
            return new Outcome.Cancelled();
        }
        Duration left = deadline.remaining();
        if (left.isZero() || left.isNegative()) {
            return new Outcome.TimedOut(deadline.elapsed());
        }
        CommandSpec s =
                spec.withTimeout(left)
                        .withCaptureLimit(CAPTURE_LIMIT)
                        .withLineListener(
                                (stream, line) -> {
                                    log.line(line, stream == StreamKind.STDERR);
                                    emit(
                                            listener,
                                            new ConverterOutput(
                                                    stream == StreamKind.STDOUT
                                                            ? ConverterOutput.OutputStream.STDOUT
                                                            : ConverterOutput.OutputStream.STDERR,
                                                    line));
                                    percent.flatMap(p -> p.onLine(line))
                                            .ifPresent(e -> emit(listener, e));
                                });
        RunningCommand running;
        try {
            running = runner.start(s);
        } catch (CommandStartException e) {
            return new Outcome.Failed(
                    what + " could not be started (" + e.program() + "): " + e.getMessage());
        }
        CommandResult result;
        Cancellation.Registration reg = cancellation.onCancel(running::cancel);
        try {
            result = running.await();
        } finally {
            reg.close();
        }
        if (cancellation.isCancelled() || running.isCancelled()) {
            return new Outcome.Cancelled();
        }
        if (result.timedOut()) {
            return new Outcome.TimedOut(deadline.elapsed());
        }
        if (result.exitCode() != 0) {
            String message = log.errorLine();
            if (message.isEmpty()) {
                message = result.firstStderrLine();
            }
            return new Outcome.Failed(
                    what
                            + " exited with status "
                            + result.exitCode()
                            + (message.isEmpty() ? " and printed no error" : ": " + message)
                            + log.file().map(f -> " (whole output: " + f + ")").orElse(""));
        }
        return new Outcome.Ok();
    }

    static void emit(ProgressListener listener, ProgressEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn(
                    "progress listener failed on {}: {}",
                    event.getClass().getSimpleName(),
                    e.toString());
        }
    }

    /** A deadline on the monotonic clock. */
    static final class Deadline {
        private final long start = System.nanoTime();
        private final long end;

        Deadline(Duration limit) {
            this.end = start + limit.toNanos();
        }

        Duration remaining() {
            return Duration.ofNanos(end - System.nanoTime());
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }
}
