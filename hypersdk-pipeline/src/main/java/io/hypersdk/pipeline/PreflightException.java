package io.hypersdk.pipeline;

import io.hypersdk.core.HypersdkException;
import io.hypersdk.core.settings.SettingText;

/**
 * A check before converting failed (spool directories, what the daemon can see, inputs, outputs);
 * the message names the input and the fix.
 */
public class PreflightException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line naming the input and the fix
     */
    public PreflightException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message that names settings as data.
     *
     * @param text one line naming the input and the setting to change
     */
    public PreflightException(SettingText text) {
        super(text);
    }
}
