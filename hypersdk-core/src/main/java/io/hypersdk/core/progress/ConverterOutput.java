package io.hypersdk.core.progress;

import java.util.Objects;

/**
 * One line the converter (hyper2kvm, qemu-img) wrote.
 *
 * @param stream which output stream the line came from
 * @param line the line without its line terminator
 */
public record ConverterOutput(OutputStream stream, String line) implements ProgressEvent {
    /** Checks for nulls. */
    public ConverterOutput {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(line, "line");
    }

    /** The stream a line came from. */
    public enum OutputStream {
        /** Standard output. */
        STDOUT,
        /** Standard error. */
        STDERR
    }
}
