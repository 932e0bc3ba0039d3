package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.systemd.InstanceQuery;
import io.hypersdk.systemd.SystemdClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The query of every instance, started from the raw command line before picocli has parsed it, so
 * that systemctl answers while the JVM builds the command line (issue 15: {@code daemon list}).
 * {@link DaemonQuery#all()} adopts it only when the parsed options ask systemd the very same thing
 * (same systemctl, same timeout); anything else is cancelled and asked again, so a wrong guess here
 * costs one systemctl run, never a wrong answer.
 */
final class EarlyQuery {

    private static final AtomicReference<InstanceQuery> STARTED = new AtomicReference<>();
    private static final AtomicReference<Thread> STARTER = new AtomicReference<>();

    private EarlyQuery() {}

    /**
     * Starts the instance query when {@code args} ask for every instance ({@code daemon [list |
     * status | -op list|status]} without {@code --instance} or {@code --spool}); does nothing
     * otherwise, and nothing that could fail the run: a systemctl that cannot be started here is
     * reported by the parsed run.
     */
    static void start(String[] args) {
        List<String> a = List.of(args);
        if (a.isEmpty()
                || !a.get(0).equals("daemon")
                || a.stream().anyMatch(EarlyQuery::excluded)) {
            return;
        }
        Optional<String> systemctl =
                value(a, "--systemctl")
                        .or(() -> Optional.ofNullable(System.getenv(SystemdOptions.ENV_SYSTEMCTL)))
                        .filter(s -> !s.isBlank());
        Optional<String> timeout = value(a, "--timeout");
        // on its own thread: loading the systemd client, the process runner and SLF4J, and
        // spawning the processes, run next to picocli's start-up on the main thread
        Thread starter =
                new Thread(
                        () -> {
                            try {
                                SystemdClient.Builder b = SystemdClient.builder();
                                systemctl.ifPresent(s -> b.systemctl(Path.of(s)));
                                b.timeout(
                                        Duration.ofSeconds(
                                                timeout.map(Integer::parseInt).orElse(10)));
                                STARTED.set(b.build().startInstances(DaemonQuery.PREFIX));
                            } catch (RuntimeException e) {
                                // not started (an odd --timeout, no systemctl): the parsed run
                                // asks and reports
                            }
                        },
                        "hyperctl-early-systemctl");
        starter.setDaemon(true);
        STARTER.set(starter);
        starter.start();
    }

    /**
     * The early query when it was made by a client like {@code systemd} (same systemctl and
     * timeout); else empty, and an early query that does not fit is cancelled.
     */
    static Optional<InstanceQuery> take(SystemdClient systemd) {
        awaitStarter();
        InstanceQuery q = STARTED.getAndSet(null);
        if (q == null) {
            return Optional.empty();
        }
        if (q.client().systemctl().equals(systemd.systemctl())
                && q.client().timeout().equals(systemd.timeout())) {
            return Optional.of(q);
        }
        q.cancel();
        return Optional.empty();
    }

    /** Cancels an early query nobody took (the command line was refused, or asked for help). */
    static void discard() {
        awaitStarter();
        InstanceQuery q = STARTED.getAndSet(null);
        if (q != null) {
            q.cancel();
        }
    }

    /** Waits until the starting thread, if any, has started the query or given up. */
    private static void awaitStarter() {
        Thread t = STARTER.getAndSet(null);
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean excluded(String arg) {
        return switch (arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg) {
            case "-instance", "--instance", "--spool", "-h", "--help", "-V", "--version" -> true;
            default -> false;
        };
    }

    /** The value of {@code --name VALUE} or {@code --name=VALUE}, the last one given. */
    private static Optional<String> value(List<String> args, String name) {
        Optional<String> found = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(name) && i + 1 < args.size()) {
                found = Optional.of(args.get(++i));
            } else if (arg.startsWith(name + "=")) {
                found = Optional.of(arg.substring(name.length() + 1));
            }
        }
        return found;
    }
}
