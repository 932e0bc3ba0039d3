package io.hypersdk.cli.export;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Progress for logs and pipes: one line per phase change, and one line each time the phase's
 * overall transfer passes another 10 %.
 */
final class PlainProgress implements ProgressSink {
  private final PrintStream out;
  private final String vm;
  private final TransferTally tally = new TransferTally();
  private String phase = "";
  private String detail = "";
  private int lastDecile = -1;

  PlainProgress(PrintStream out, String vm) {
    this.out = out;
    this.vm = vm;
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
    }
    this.phase = phase;
    this.detail = d;
    out.println(vm + ": " + phase + (d.isEmpty() ? "" : ": " + d));
  }

  @Override
  public synchronized void transfer(String item, long done, long total, double bps, Optional<Duration> eta) {
    tally.update(item, done, total, bps, eta);
    long all = tally.total();
    if (all <= 0) {
      return;
    }
    int decile = Units.percent(tally.done(), all) / 10;
    if (decile > lastDecile) {
      lastDecile = decile;
      String label = phase.isEmpty() ? "transfer" : phase;
      out.println(String.format(Locale.ROOT, "%s: %s %d%% (%s of %s, %s%s)",
          vm, label, decile * 10, Units.bytes(tally.done()), Units.bytes(all), Units.rate(tally.rate()),
          tally.eta().filter(e -> decile < 10).map(e -> ", ETA " + Units.clock(e)).orElse("")));
    }
  }

  @Override
  public synchronized void notice(String level, String message) {
    out.println(vm + ": " + level.toLowerCase(Locale.ROOT) + ": " + message);
  }

  @Override
  public void close() {
    out.flush();
  }
}
