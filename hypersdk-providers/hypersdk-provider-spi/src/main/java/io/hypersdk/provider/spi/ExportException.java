package io.hypersdk.provider.spi;

import io.hypersdk.core.HypersdkException;
import io.hypersdk.core.settings.SettingText;

/**
 * An export failed. The message is one line that names the input and what to do. Subclasses say
 * why: {@link ProviderConfigException}, {@link AuthenticationException}, {@link
 * VmNotFoundException}, {@link InvalidSourceException} (and {@link UnsafeArchiveException}), {@link
 * IntegrityException}, {@link TransferException}, {@link UnknownProviderException}, {@link
 * UnsupportedCapabilityException}.
 */
public class ExportException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An export failure whose fix is a setting.
     *
     * @param text one line naming the input and the setting to change, never null
     */
    public ExportException(SettingText text) {
        super(text);
    }
}
