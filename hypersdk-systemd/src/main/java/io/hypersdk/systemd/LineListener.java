package io.hypersdk.systemd;

/**
 * Receives every line a child process writes, as it is written.
 *
 * <p>Lines end at {@code \n}, {@code \r} or {@code \r\n} (so {@code qemu-img -p} progress records
 * arrive one by one); the terminator is not included. A line longer than the runner's {@link
 * CommandRunner.Builder#maxLineBytes(int) line bound} is delivered in pieces, never splitting a
 * UTF-8 character. Calls are serialised (never concurrent), but come from the runner's reader
 * threads, not the caller's. An exception thrown by the listener is logged and ignored; output
 * keeps being drained so the child can never block on a full pipe.
 */
@FunctionalInterface
public interface LineListener {

    /** A listener that ignores every line. */
    LineListener NONE = (stream, line) -> {};

    /**
     * Called for each line.
     *
     * @param stream the stream the line was read from, never null
     * @param line the line without its terminator, never null
     */
    void onLine(StreamKind stream, String line);
}
