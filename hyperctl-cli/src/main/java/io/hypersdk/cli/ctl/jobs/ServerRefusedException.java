package io.hypersdk.cli.ctl.jobs;

/**
 * The server answered with an error: its message, and whether the request itself was at fault (HTTP
 * 400: exit code {@code USAGE}) or not (anything else: {@code FAILURE}).
 */
public final class ServerRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ServerRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * @return the HTTP status the server answered
     */
    public int status() {
        return status;
    }
}
