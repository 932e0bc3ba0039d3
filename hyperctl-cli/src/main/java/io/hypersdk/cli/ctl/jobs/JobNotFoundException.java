package io.hypersdk.cli.ctl.jobs;

/** The server does not know the asked-for job (exit code {@code UNKNOWN_INSTANCE}). */
public final class JobNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JobNotFoundException(String message) {
        super(message);
    }
}
