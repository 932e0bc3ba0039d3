package io.hypersdk.systemd;

/** The systemctl program does not exist (not on PATH, or the configured path has no file). */
public class SystemctlNotFoundException extends SystemdException {
    private static final long serialVersionUID = 1L;

    public SystemctlNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
