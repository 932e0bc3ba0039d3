package io.hypersdk.cli.export;

import io.hypersdk.core.Cancellation;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM (what systemd and {@code timeout} send) cancel cleanly: the first one
 * cancels the token, so the provider aborts its lease and the pipeline withdraws an unclaimed queue
 * submission; the export's failure line then says which files were kept (see {@link KeptFiles}),
 * and the command exits 130 after SIGINT, 143 after SIGTERM. A second signal exits at once.
 */
final class Interrupts {
    /** Exit code after SIGTERM, as a shell reports a process the signal ended (128 + 15). */
    static final int TERMINATED = 143;

    private static final AtomicReference<String> RECEIVED = new AtomicReference<>();

    /** What cancelling does for the running command, said when the first signal arrives. */
    private static volatile String meaning =
            "aborting the export lease, withdrawing an unclaimed queue submission";

    private Interrupts() {}

    static void cancelOnSignals(Cancellation cancellation, PrintStream err) {
        AtomicInteger count = new AtomicInteger();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(
                        new Signal(name),
                        sig -> {
                            if (count.incrementAndGet() == 1) {
                                RECEIVED.set(name);
                                err.println();
                                err.println(
                                        "hyperexport: interrupted: cancelling on "
                                                + (name.equals("INT") ? "Ctrl-C" : "SIG" + name)
                                                + " ("
                                                + meaning
                                                + "; "
                                                + (name.equals("INT")
                                                        ? "Ctrl-C again"
                                                        : "a second signal")
                                                + " quits at once)");
                                err.flush();
                                cancellation.cancel();
                            } else {
                                Runtime.getRuntime().halt(exitCode(RECEIVED.get()));
                            }
                        });
            } catch (IllegalArgumentException e) {
                // the signal cannot be handled here (e.g. ignored by the parent); the JVM's default
                // applies
            }
        }
    }

    /**
     * Says what the first signal will do for a command other than an export (e.g. {@code serve}),
     * so the line printed on Ctrl-C or SIGTERM is true for it.
     */
    static void cancelMeans(String what) {
        meaning = what;
    }

    /**
     * The exit code of a run that ended with {@code code}: a cancelled run exits 143 when SIGTERM
     * cancelled it, 130 otherwise.
     */
    static int exitCode(int code) {
        return code == ExitCodes.CANCELLED ? exitCode(RECEIVED.get()) : code;
    }

    private static int exitCode(String signal) {
        return "TERM".equals(signal) ? TERMINATED : ExitCodes.CANCELLED;
    }
}
