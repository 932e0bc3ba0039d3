package io.hypersdk.cli.export;

import io.hypersdk.core.text.TerminalText;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Progress on a terminal: a line per phase, and below it one bar per disk plus an overall bar, each
 * with bytes, rate and ETA, redrawn in place at most ten times a second.
 */
final class TerminalProgress implements ProgressSink {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 24;
    private static final int NAME = 22;

    private final PrintStream out;
    private final String vm;
    private final LongSupplier nanoTime;
    private final TransferTally tally = new TransferTally();
    private String phase = "";
    private int drawn;
    private long lastDraw = Long.MIN_VALUE;
    private boolean closed;

    TerminalProgress(PrintStream out, String vm, LongSupplier nanoTime) {
        this.out = out;
        this.vm = TerminalText.escape(vm);
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized void phase(String phase, String detail) {
        if (!phase.equals(this.phase)) {
            // the finished phase's bars stay on screen; the new phase gets its own
            drawn = 0;
            tally.clear();
        } else {
            erase();
        }
        this.phase = phase;
        out.println(
                "\u25b8 "
                        + vm
                        + ": "
                        + TerminalText.escape(phase)
                        + (detail == null || detail.isEmpty()
                                ? ""
                                : ": " + TerminalText.escape(detail)));
        draw();
    }

    @Override
    public synchronized void transfer(
            String item, long done, long total, double bps, Optional<Duration> eta) {
        tally.update(item, done, total, bps, eta);
        long now = nanoTime.getAsLong();
        boolean finished = total > 0 && done >= total;
        if (finished || lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_NANOS) {
            erase();
            draw();
            lastDraw = now;
        }
    }

    @Override
    public synchronized void notice(String level, String message) {
        erase();
        out.println("  " + level.toLowerCase(Locale.ROOT) + ": " + TerminalText.escape(message));
        draw();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        erase();
        draw();
        drawn = 0;
        out.flush();
    }

    private void erase() {
        if (drawn > 0) {
            out.print("\033[" + drawn + "F\033[J");
            drawn = 0;
        }
    }

    private void draw() {
        if (tally.isEmpty()) {
            out.flush();
            return;
        }
        List<String> lines = new ArrayList<>();
        for (TransferTally.Item i : tally.items()) {
            lines.add(
                    line(
                            i.name(),
                            i.done(),
                            i.total(),
                            i.finished() ? 0 : i.bytesPerSecond(),
                            i.finished() ? Optional.of(Duration.ZERO) : i.eta()));
        }
        lines.add(line("overall", tally.done(), tally.total(), tally.rate(), tally.eta()));
        for (String l : lines) {
            out.println(l);
        }
        drawn = lines.size();
        out.flush();
    }

    static String line(String rawName, long done, long total, double bps, Optional<Duration> eta) {
        String name = TerminalText.escape(rawName);
        String n =
                name.length() > NAME ? "\u2026" + name.substring(name.length() - NAME + 1) : name;
        return String.format(
                Locale.ROOT,
                "  %-" + NAME + "s %s %3d%%  %s / %s  %s  ETA %s",
                n,
                Units.bar(done, total, BAR),
                Units.percent(done, total),
                Units.bytes(done),
                total > 0 ? Units.bytes(total) : "?",
                Units.rate(bps),
                eta.map(Units::clock).orElse("--:--"));
    }
}
