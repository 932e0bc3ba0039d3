package io.hypersdk.systemd;

import java.time.Duration;

final class Processes {
    private Processes() {}

    /** Polls until no live process has this PID (host view), or the time is up. */
    static boolean goneWithin(long pid, Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
