package io.hypersdk.systemd;

import java.time.Duration;

/** systemctl did not answer within the client's timeout; its process tree was killed. */
public class SystemctlTimeoutException extends SystemdException {
    private static final long serialVersionUID = 1L;
    private final transient Duration timeout;

    public SystemctlTimeoutException(String message, Duration timeout) {
        super(message);
        this.timeout = timeout;
    }

    /** The timeout that passed. */
    public Duration timeout() {
        return timeout;
    }
}
