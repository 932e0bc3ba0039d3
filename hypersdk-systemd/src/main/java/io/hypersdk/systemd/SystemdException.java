package io.hypersdk.systemd;

/** Base of every failure reported by {@link SystemdClient}. Unchecked. */
public class SystemdException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SystemdException(String message) {
        super(message);
    }

    public SystemdException(String message, Throwable cause) {
        super(message, cause);
    }
}
