package io.hypersdk.systemd;

/**
 * systemctl's output could not be understood. This is the only exception the output parsers throw,
 * whatever their input.
 */
public class SystemctlOutputException extends SystemdException {
    private static final long serialVersionUID = 1L;

    public SystemctlOutputException(String message) {
        super(message);
    }

    public SystemctlOutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
