package io.hypersdk.cli.ctl.daemon;

/** The asked-for instance is not installed, enabled or running (exit code 4). */
public final class UnknownInstanceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnknownInstanceException(String message) {
        super(message);
    }
}
