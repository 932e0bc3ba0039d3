package io.hypersdk.cli.export;

import io.hypersdk.core.Cancellation;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) cancels cleanly: the first one cancels the token, so the provider aborts its
 * lease and keeps partial files for resume, and the pipeline withdraws an unclaimed queue
 * submission; the command then exits 130. A second Ctrl-C exits at once.
 */
final class Interrupts {
  private Interrupts() {}

  static void cancelOnSigint(Cancellation cancellation, PrintStream err) {
    AtomicInteger count = new AtomicInteger();
    try {
      Signal.handle(new Signal("INT"), sig -> {
        if (count.incrementAndGet() == 1) {
          err.println();
          err.println("hyperexport: interrupted: cancelling (partial files are kept for resume; Ctrl-C again to quit at once)");
          err.flush();
          cancellation.cancel();
        } else {
          Runtime.getRuntime().halt(ExitCodes.CANCELLED);
        }
      });
    } catch (IllegalArgumentException e) {
      // SIGINT cannot be handled here (e.g. ignored by the parent); the JVM's default applies
    }
  }
}
