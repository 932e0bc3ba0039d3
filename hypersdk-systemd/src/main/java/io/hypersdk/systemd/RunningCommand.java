package io.hypersdk.systemd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A child process started by {@link CommandRunner#start(CommandSpec)}. Thread-safe. */
public final class RunningCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RunningCommand.class);

    private final Process process;
    private final CommandSpec spec;
    private final long startNanos;
    private final Duration killGrace;
    private final Duration drainTimeout;
    private final Pump out;
    private final Pump err;
    private final Thread outThread;
    private final Thread errThread;
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean killing = new AtomicBoolean();
    private volatile long exitNanos;
    private CommandResult result;

    RunningCommand(
            Process process,
            CommandSpec spec,
            long startNanos,
            Duration timeout,
            int captureLimit,
            int maxLineBytes,
            Duration killGrace,
            Duration drainTimeout) {
        this.process = process;
        this.spec = spec;
        this.startNanos = startNanos;
        this.killGrace = killGrace;
        this.drainTimeout = drainTimeout;
        Object listenerLock = new Object();
        LineListener listener = spec.lineListener().orElse(null);
        this.out =
                new Pump(
                        process.getInputStream(),
                        StreamKind.STDOUT,
                        captureLimit,
                        maxLineBytes,
                        listener,
                        listenerLock);
        this.err =
                new Pump(
                        process.getErrorStream(),
                        StreamKind.STDERR,
                        captureLimit,
                        maxLineBytes,
                        listener,
                        listenerLock);
        String name = "cmd-" + process.pid();
        this.outThread = daemon(out, name + "-stdout");
        this.errThread = daemon(err, name + "-stderr");
        process.onExit().thenRun(() -> exitNanos = System.nanoTime());
        if (timeout != null) {
            daemon(() -> watchdog(timeout), name + "-timeout");
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void watchdog(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                timedOut.set(true);
                LOG.debug(
                        "pid {} exceeded its timeout of {}, killing it: {}",
                        process.pid(),
                        timeout,
                        spec.program());
                killTree();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** PID of the child (host view). */
    public long pid() {
        return process.pid();
    }

    /** True while the child itself runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The spec this command was started from. */
    public CommandSpec spec() {
        return spec;
    }

    /**
     * Kills the process tree (SIGTERM, then SIGKILL after the grace period) and returns when the
     * child is gone. Idempotent; a no-op once the child has exited.
     */
    public void cancel() {
        if (process.isAlive()) {
            cancelled.set(true);
        }
        killTree();
    }

    /**
     * True when {@link #cancel()} (or an interrupt during {@link #await()}) stopped a live process.
     */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Waits for the child to exit and its output to be drained. Interrupting the waiting thread
     * cancels the command (the interrupt flag stays set) and returns its result.
     */
    public synchronized CommandResult await() {
        if (result != null) {
            return result;
        }
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                cancel();
            }
        }
        long exitAt = exitNanos != 0 ? exitNanos : System.nanoTime();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        for (Thread t : List.of(outThread, errThread)) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (t.isAlive()) {
                LOG.debug(
                        "output of pid {} still open {} after exit (a background child holds it); not waiting longer",
                        process.pid(),
                        drainTimeout);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        result =
                new CommandResult(
                        process.exitValue(),
                        out.captured(),
                        err.captured(),
                        timedOut.get(),
                        out.truncated() || err.truncated(),
                        Duration.ofNanos(exitAt - startNanos));
        return result;
    }

    private void killTree() {
        if (!killing.compareAndSet(false, true)) {
            // someone else is killing; wait for the process to go away
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        if (!killGrace.isZero()) {
            for (ProcessHandle h : tree) {
                h.destroy();
            }
            long deadline = System.nanoTime() + killGrace.toNanos();
            for (ProcessHandle h : tree) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (process.isAlive()) {
            process.descendants().forEach(tree::add);
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drains one stream: keeps a bounded copy and splits lines for the listener. */
    static final class Pump implements Runnable {
        private final InputStream in;
        private final StreamKind kind;
        private final int limit;
        private final LineListener listener;
        private final Object listenerLock;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final byte[] line;
        private int lineLen;
        private boolean lastWasCr;
        private volatile boolean truncated;
        private boolean listenerFailed;

        Pump(
                InputStream in,
                StreamKind kind,
                int limit,
                int maxLineBytes,
                LineListener listener,
                Object listenerLock) {
            this.in = in;
            this.kind = kind;
            this.limit = limit;
            this.listener = listener;
            this.listenerLock = listenerLock;
            this.line = listener == null ? new byte[0] : new byte[maxLineBytes];
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (InputStream s = in) {
                int n;
                while ((n = s.read(buf)) > 0) {
                    keep(buf, n);
                    if (listener != null) {
                        split(buf, n);
                    }
                }
            } catch (IOException e) {
                LOG.debug("reading {} failed: {}", kind, e.toString());
            }
            if (listener != null && lineLen > 0) {
                emit(lineLen);
            }
        }

        private void keep(byte[] buf, int n) {
            synchronized (kept) {
                int room = limit - kept.size();
                if (room >= n) {
                    kept.write(buf, 0, n);
                } else {
                    if (room > 0) {
                        kept.write(buf, 0, room);
                    }
                    truncated = true;
                }
            }
        }

        private void split(byte[] buf, int n) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    if (lastWasCr) {
                        lastWasCr = false;
                        continue;
                    }
                    emit(lineLen);
                } else if (b == '\r') {
                    lastWasCr = true;
                    emit(lineLen);
                    continue;
                } else {
                    if (lineLen == line.length) {
                        emitSplit();
                    }
                    line[lineLen++] = b;
                }
                lastWasCr = false;
            }
        }

        /** The line buffer is full: emit up to the last complete UTF-8 character, keep the rest. */
        private void emitSplit() {
            int j = lineLen - 1;
            int steps = 0;
            while (j > 0 && steps < 3 && (line[j] & 0xC0) == 0x80) {
                j--;
                steps++;
            }
            int lead = line[j] & 0xFF;
            int charLen = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            int cut = (lead >= 0xC0 && j + charLen > lineLen && j > 0) ? j : lineLen;
            int rest = lineLen - cut;
            emit(cut);
            System.arraycopy(line, cut, line, 0, rest);
            lineLen = rest;
        }

        private void emit(int len) {
            String text = new String(line, 0, len, StandardCharsets.UTF_8);
            lineLen = 0;
            synchronized (listenerLock) {
                try {
                    listener.onLine(kind, text);
                } catch (RuntimeException e) {
                    if (!listenerFailed) {
                        listenerFailed = true;
                        LOG.warn(
                                "line listener threw {}; ignoring it and further failures",
                                e.toString());
                    }
                }
            }
        }

        String captured() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }

        boolean truncated() {
            return truncated;
        }
    }
}
