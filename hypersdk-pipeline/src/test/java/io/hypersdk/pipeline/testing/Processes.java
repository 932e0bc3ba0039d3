package io.hypersdk.pipeline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process facts for assertions. */
public final class Processes {
    private Processes() {}

    /**
     * Whether the process exists and is not a zombie (a killed orphan stays a zombie until the
     * host's PID 1 reaps it, which here can take a while; it is no longer running).
     */
    public static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String afterName = stat.substring(stat.lastIndexOf(')') + 2);
            return afterName.charAt(0) != 'Z' && afterName.charAt(0) != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
