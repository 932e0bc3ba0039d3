package io.hypersdk.cli.export;

import io.hypersdk.core.text.TerminalText;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Progress for logs and pipes: one line per phase change, one line each time a disk's transfer
 * passes another 10 % ({@code web-01: export: disk-0.vmdk 50% (...)}), and one line each time the
 * phase's overall transfer does ({@code web-01: export 50% (...)}). At most 11 lines per disk and
 * 11 overall per phase, however many progress events arrive.
 */
final class PlainProgress implements ProgressSink {
    private final PrintStream out;
    private final String vm;
    private final TransferTally tally = new TransferTally();
    private String phase = "";
    private String detail = "";
    private int lastDecile = -1;
    private final Map<String, Integer> lastItemDecile = new HashMap<>();

    PlainProgress(PrintStream out, String vm) {
        this.out = out;
        this.vm = TerminalText.escape(vm);
    }

    @Override
    public synchronized void phase(String phase, String detail) {
        String d = detail == null ? "" : detail;
        if (phase.equals(this.phase) && Objects.equals(d, this.detail)) {
            return;
        }
        if (!phase.equals(this.phase)) {
            tally.clear();
            lastDecile = -1;
            lastItemDecile.clear();
        }
        this.phase = phase;
        this.detail = d;
        out.println(
                vm
                        + ": "
                        + TerminalText.escape(phase)
                        + (d.isEmpty() ? "" : ": " + TerminalText.escape(d)));
    }

    @Override
    public synchronized void transfer(
            String item, long done, long total, double bps, Optional<Duration> eta) {
        tally.update(item, done, total, bps, eta);
        String label = phase.isEmpty() ? "transfer" : TerminalText.escape(phase);
        if (total > 0) {
            int itemDecile = Units.percent(done, total) / 10;
            if (itemDecile > lastItemDecile.getOrDefault(item, -1)) {
                lastItemDecile.put(item, itemDecile);
                out.println(
                        line(
                                label + ": " + TerminalText.escape(item),
                                itemDecile,
                                done,
                                total,
                                bps,
                                eta));
            }
        }
        long all = tally.total();
        if (all <= 0) {
            return;
        }
        int decile = Units.percent(tally.done(), all) / 10;
        if (decile > lastDecile) {
            lastDecile = decile;
            out.println(line(label, decile, tally.done(), all, tally.rate(), tally.eta()));
        }
    }

    /** {@code what} is already escaped; the numbers are ours. */
    private String line(
            String what, int decile, long done, long total, double bps, Optional<Duration> eta) {
        return String.format(
                Locale.ROOT,
                "%s: %s %d%% (%s of %s, %s%s)",
                vm,
                what,
                decile * 10,
                Units.bytes(done),
                Units.bytes(total),
                Units.rate(bps),
                eta.filter(e -> decile < 10).map(e -> ", ETA " + Units.clock(e)).orElse(""));
    }

    @Override
    public synchronized void notice(String level, String message) {
        out.println(
                vm + ": " + level.toLowerCase(Locale.ROOT) + ": " + TerminalText.escape(message));
    }

    @Override
    public void close() {
        out.flush();
    }
}
