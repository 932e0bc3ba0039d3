package io.hypersdk.cli.ctl.jobs;

/** No job server answered at the URL given (exit code {@code NO_SERVER}). */
public final class ServerUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerUnreachableException(String url, Throwable cause) {
        super(
                "no hypersdk server at "
                        + url
                        + "; start it with `hyperexport serve` or systemctl start hypersdk-server"
                        + " (or give its address with --server URL)",
                cause);
    }
}
