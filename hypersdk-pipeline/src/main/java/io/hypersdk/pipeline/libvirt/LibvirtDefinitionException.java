package io.hypersdk.pipeline.libvirt;

import io.hypersdk.core.HypersdkException;
import io.hypersdk.core.settings.SettingText;

/** The libvirt domain could not be built or defined; the message names the input and the fix. */
public class LibvirtDefinitionException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line naming the input and the fix
     */
    public LibvirtDefinitionException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the input and the fix
     * @param cause the libvirt error
     */
    public LibvirtDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param text one line naming the input and the setting to change
     */
    public LibvirtDefinitionException(SettingText text) {
        super(text);
    }

    /**
     * @param text one line naming the input and the setting to change
     * @param cause the libvirt error
     */
    public LibvirtDefinitionException(SettingText text, Throwable cause) {
        super(text, cause);
    }
}
