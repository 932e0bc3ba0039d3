package io.hypersdk.systemd;

/**
 * systemctl cannot reach a systemd manager: the host was not booted with systemd (containers, CI
 * machines) or the bus is down. systemctl exits 1 and says "System has not been booted with systemd
 * as init system (PID 1). Can't operate." or "Failed to connect to bus: ...". No unit state can be
 * known on such a host.
 */
public class SystemdUnavailableException extends SystemdException {
    private static final long serialVersionUID = 1L;

    public SystemdUnavailableException(String message) {
        super(message);
    }
}
