package io.hypersdk.pipeline;

import io.hypersdk.core.HypersdkException;
import io.hypersdk.core.settings.SettingText;

/**
 * Daemon mode was required (`require-daemon`) but the hyper2kvm unit is not active; the message
 * names the unit, its state and the fix.
 */
public class DaemonRequiredException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line naming the input and the fix
     */
    public DaemonRequiredException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message that names settings as data.
     *
     * @param text one line naming the input and the setting to change
     */
    public DaemonRequiredException(SettingText text) {
        super(text);
    }
}
