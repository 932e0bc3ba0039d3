package io.hypersdk.core;

/** Thrown by {@link Cancellation#throwIfCancelled()} once the operation was cancelled. */
public class CancelledException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the message "operation cancelled". */
    public CancelledException() {
        super("operation cancelled");
    }

    /**
     * Creates the exception with a message naming what was cancelled.
     *
     * @param message for example "export of web-01 cancelled"
     */
    public CancelledException(String message) {
        super(message);
    }
}
