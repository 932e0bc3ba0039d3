package io.hypersdk.systemd;

/**
 * systemctl ran and failed for another reason than those with their own type (for example a
 * permission problem); carries its exit code and first line of stderr.
 */
public class SystemctlCommandException extends SystemdException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final String stderr;

    public SystemctlCommandException(String message, int exitCode, String stderr) {
        super(message);
        this.exitCode = exitCode;
        this.stderr = stderr;
    }

    public int exitCode() {
        return exitCode;
    }

    /** systemctl's standard error, as captured. */
    public String stderr() {
        return stderr;
    }
}
