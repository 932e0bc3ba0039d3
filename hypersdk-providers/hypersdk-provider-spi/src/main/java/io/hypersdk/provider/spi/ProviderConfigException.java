package io.hypersdk.provider.spi;

import io.hypersdk.core.settings.SettingText;

/** A setting or credential is missing or invalid; the message names the key. */
public class ProviderConfigException extends ExportException {
    private static final long serialVersionUID = 1L;

    public ProviderConfigException(String message) {
        super(message);
    }

    public ProviderConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A missing or invalid setting, with where to set it as data ({@link
     * SettingText#whereProviderSetting(String)}), so that a front-end names its own way.
     *
     * @param text one line naming the key and where to set it, never null
     */
    public ProviderConfigException(SettingText text) {
        super(text);
    }
}
