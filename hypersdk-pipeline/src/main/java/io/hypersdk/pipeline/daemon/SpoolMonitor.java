package io.hypersdk.pipeline.daemon;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells waiters that something changed in the spool: a generation counter bumped by inotify events
 * ({@link WatchService}), and a bounded wait so that every waiter also polls at the poll interval
 * (the fallback for NFS, where other clients' changes raise no events).
 *
 * <p>Waiters follow the pattern {@code g = generation(); probe(); awaitChange(g, max)}; a change
 * between the probe and the wait is never lost. The watch thread runs only while someone waits
 * ({@link #acquire()} / {@link #release()}), so an idle executor holds no inotify instance.
 */
final class SpoolMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolMonitor.class);

    /** A directory to watch and how many levels of subdirectories below it. */
    record Root(Path dir, int depth) {}

    private final List<Root> roots;
    private final boolean pollOnly;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation;
    private int users;
    private WatchService watchService;
    private Thread thread;
    private final Set<Path> registered = new HashSet<>();

    SpoolMonitor(List<Root> roots, boolean pollOnly) {
        this.roots = List.copyOf(roots);
        this.pollOnly = pollOnly;
    }

    boolean pollOnly() {
        return pollOnly;
    }

    /** Starts watching (if not poll-only) for one more waiter. */
    void acquire() {
        lock.lock();
        try {
            users++;
            if (users == 1 && !pollOnly) {
                start();
            }
        } finally {
            lock.unlock();
        }
    }

    /** One waiter less; the watch stops with the last one. */
    void release() {
        WatchService toClose = null;
        lock.lock();
        try {
            users--;
            if (users == 0 && watchService != null) {
                toClose = watchService;
                watchService = null;
                thread = null;
                registered.clear();
            }
        } finally {
            lock.unlock();
        }
        if (toClose != null) {
            try {
                toClose.close();
            } catch (IOException e) {
                LOG.debug("closing the spool watch failed: {}", e.toString());
            }
        }
    }

    long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter (used by cancellation). */
    void wakeAll() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the generation differs from {@code seen} or {@code maxNanos} passed.
     *
     * @return true when woken by a change
     */
    boolean awaitChange(long seen, long maxNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = maxNanos;
            while (generation == seen && left > 0) {
                left = changed.awaitNanos(left);
            }
            return generation != seen;
        } finally {
            lock.unlock();
        }
    }

    /** Registers the roots (and subdirectories up to their depth) that exist now. */
    void refreshRegistrations() {
        WatchService ws;
        lock.lock();
        try {
            ws = watchService;
        } finally {
            lock.unlock();
        }
        if (ws == null) {
            return;
        }
        for (Root root : roots) {
            register(ws, root.dir(), root.depth());
        }
    }

    private void register(WatchService ws, Path dir, int depth) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        boolean isNew;
        synchronized (registered) {
            isNew = registered.add(dir);
        }
        if (isNew) {
            try {
                dir.register(
                        ws,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
            } catch (IOException | ClosedWatchServiceException e) {
                synchronized (registered) {
                    registered.remove(dir);
                }
                LOG.debug("cannot watch {}: {}", dir, e.toString());
                return;
            }
        }
        if (depth > 0) {
            try (DirectoryStream<Path> children =
                    Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path child : children) {
                    if (!child.getFileName().toString().startsWith(".")) {
                        register(ws, child, depth - 1);
                    }
                }
            } catch (IOException e) {
                LOG.debug("cannot list {}: {}", dir, e.toString());
            }
        }
    }

    private void start() {
        try {
            watchService = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            LOG.warn("no WatchService ({}); polling only", e.toString());
            return;
        }
        WatchService ws = watchService;
        // register the parents too, so that roots created later by the daemon are noticed
        for (Root root : roots) {
            Path parent = root.dir().getParent();
            if (parent != null) {
                register(ws, parent, 0);
            }
        }
        refreshRegistrations();
        thread = new Thread(() -> watchLoop(ws), "hypersdk-spool-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watchLoop(WatchService ws) {
        try {
            while (true) {
                WatchKey key = ws.take();
                boolean dirCreated = false;
                for (var event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        dirCreated = true;
                    } else if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                            && key.watchable() instanceof Path parent
                            && event.context() instanceof Path name
                            && Files.isDirectory(parent.resolve(name))) {
                        dirCreated = true;
                    }
                }
                key.reset();
                if (dirCreated) {
                    refreshRegistrations();
                }
                wakeAll();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // stopped by release()
        }
    }

    /** For {@link java.util.concurrent.TimeUnit}-based callers. */
    static long nanos(java.time.Duration d) {
        return TimeUnit.NANOSECONDS.convert(d);
    }
}
