package io.hypersdk.pipeline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A converter's whole output, kept in a log file next to the export, and the line of it that names
 * the error. hyper2kvm ends a failed run with libguestfs's boilerplate ("... into a bug report or
 * message to the libguestfs mailing list."), so its last line says nothing: the error is its last
 * {@code ERROR}/{@code CRITICAL} log line, libguestfs's first {@code libguestfs: error:} line, or
 * the last line of a Python traceback ({@code RuntimeError: ...}), or any other {@code error:}
 * line, in that order of preference. Memory stays bounded: only those candidate lines and the last
 * line are kept; the rest goes to the file.
 */
final class ConverterLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConverterLog.class);
    private static final int MAX_LINE = 1000;

    /** hyper2kvm's log prefix: {@code HH:MM:SS <emoji> LEVEL [proc=MainProcess] }. */
    static final Pattern LOG_PREFIX =
            Pattern.compile(
                    "^\\d{2}:\\d{2}:\\d{2}\\s+\\S*\\s*(DEBUG|INFO|WARNING|ERROR|CRITICAL)\\s+(\\[proc=[^\\]]*\\]\\s*)?");

    private static final Pattern HYPER2KVM_ERROR =
            Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\s+\\S*\\s*(ERROR|CRITICAL)\\s+.*");
    private static final Pattern LIBGUESTFS_ERROR = Pattern.compile("^libguestfs: error: .*");
    private static final Pattern OTHER_ERROR = Pattern.compile("(?i).*\\berror:\\s*\\S.*");

    /** The last line of a Python traceback: {@code RuntimeError: guestfs_launch failed.} */
    private static final Pattern PYTHON_EXCEPTION =
            Pattern.compile(
                    "^(?:[A-Za-z_][A-Za-z0-9_]*\\.)*[A-Za-z_][A-Za-z0-9_]*(?:Error|Exception): \\S.*");

    private final Optional<Path> file;
    private BufferedWriter writer;
    private String lastHyper2kvmError;
    private String firstLibguestfsError;
    private String lastOtherError;
    private String lastException;
    private String last;

    private ConverterLog(Optional<Path> file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /** A log that only picks the error line and writes no file. */
    static ConverterLog inMemory() {
        return new ConverterLog(Optional.empty(), null);
    }

    /**
     * A log written to {@code file} (created or truncated); when it cannot be written, the error
     * line is still picked and {@link #file()} is empty.
     */
    static ConverterLog toFile(Path file) {
        try {
            BufferedWriter w =
                    Files.newBufferedWriter(
                            file,
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE);
            return new ConverterLog(Optional.of(file), w);
        } catch (IOException e) {
            LOG.warn("cannot write the converter log {}: {}", file, e.toString());
            return inMemory();
        }
    }

    /** The log file, when one is written. */
    Optional<Path> file() {
        return file;
    }

    /**
     * One output line, in arrival order. Every line goes to the file; only stderr lines are
     * candidates for the error line (qemu-img's progress and hyper2kvm's results go to stdout).
     */
    synchronized void line(String line, boolean stderr) {
        if (writer != null) {
            try {
                writer.write(line);
                writer.newLine();
            } catch (IOException e) {
                LOG.warn("cannot write the converter log {}: {}", file.orElseThrow(), e.toString());
                closeQuietly();
            }
        }
        String t = line.strip();
        if (!stderr || t.isEmpty()) {
            return;
        }
        if (t.length() > MAX_LINE) {
            t = t.substring(0, MAX_LINE);
        }
        if (HYPER2KVM_ERROR.matcher(t).matches()) {
            lastHyper2kvmError = t;
        } else if (LIBGUESTFS_ERROR.matcher(t).matches()) {
            if (firstLibguestfsError == null) {
                firstLibguestfsError = t;
            }
        } else if (PYTHON_EXCEPTION.matcher(t).matches()) {
            lastException = t;
        } else if (OTHER_ERROR.matcher(t).matches()) {
            lastOtherError = t;
        }
        last = t;
    }

    /**
     * The line that names the error, without hyper2kvm's time and level prefix; libguestfs's error
     * is added when hyper2kvm's own line does not already carry it. Empty when nothing was printed.
     */
    synchronized String errorLine() {
        if (lastHyper2kvmError != null) {
            String own = LOG_PREFIX.matcher(lastHyper2kvmError).replaceFirst("");
            if (firstLibguestfsError != null) {
                String detail = firstLibguestfsError.substring("libguestfs: error: ".length());
                if (!own.contains(detail)) {
                    return own + " (" + firstLibguestfsError + ")";
                }
            }
            return own;
        }
        if (firstLibguestfsError != null) {
            return firstLibguestfsError;
        }
        if (lastException != null) {
            return lastException;
        }
        if (lastOtherError != null) {
            return LOG_PREFIX.matcher(lastOtherError).replaceFirst("");
        }
        return last == null ? "" : LOG_PREFIX.matcher(last).replaceFirst("");
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                LOG.warn("cannot write the converter log {}: {}", file.orElseThrow(), e.toString());
            }
            writer = null;
        }
    }

    private void closeQuietly() {
        try {
            writer.close();
        } catch (IOException ignored) {
            // already reported
        }
        writer = null;
    }
}
