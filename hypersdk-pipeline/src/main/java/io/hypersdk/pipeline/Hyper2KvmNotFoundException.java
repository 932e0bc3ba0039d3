package io.hypersdk.pipeline;

import io.hypersdk.core.HypersdkException;
import io.hypersdk.core.settings.SettingText;

/** No hyper2kvm executable: neither at the configured path nor on PATH; the message names both. */
public class Hyper2KvmNotFoundException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line naming the input and the fix
     */
    public Hyper2KvmNotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message that names settings as data.
     *
     * @param text one line naming the input and the setting to change
     */
    public Hyper2KvmNotFoundException(SettingText text) {
        super(text);
    }
}
