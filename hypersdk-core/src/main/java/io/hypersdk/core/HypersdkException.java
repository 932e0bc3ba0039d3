package io.hypersdk.core;

import io.hypersdk.core.settings.SettingError;
import io.hypersdk.core.settings.SettingText;
import java.util.Objects;

/**
 * Unchecked base of every exception thrown by the hypersdk libraries. When the fix is to change
 * settings, the exception is built from a {@link SettingText}, so that a front-end can name the
 * settings its own way through {@link #text()}.
 */
public class HypersdkException extends RuntimeException implements SettingError {
    private static final long serialVersionUID = 1L;

    private final SettingText text;

    /**
     * Creates an exception with a one-line message.
     *
     * @param message what failed, for which input, and what to do; never null
     */
    public HypersdkException(String message) {
        super(message);
        this.text = SettingText.of(message == null ? "" : message);
    }

    /**
     * Creates an exception with a one-line message and a cause.
     *
     * @param message what failed, for which input, and what to do; never null
     * @param cause the underlying failure, may be null
     */
    public HypersdkException(String message, Throwable cause) {
        super(message, cause);
        this.text = SettingText.of(message == null ? "" : message);
    }

    /**
     * Creates an exception whose one-line message names settings.
     *
     * @param text what failed, for which input, and which setting to change; never null
     */
    public HypersdkException(SettingText text) {
        super(Objects.requireNonNull(text, "text").toString());
        this.text = text;
    }

    /**
     * Creates an exception whose one-line message names settings, with a cause.
     *
     * @param text what failed, for which input, and which setting to change; never null
     * @param cause the underlying failure, may be null
     */
    public HypersdkException(SettingText text, Throwable cause) {
        super(Objects.requireNonNull(text, "text").toString(), cause);
        this.text = text;
    }

    /**
     * The message with the settings it names as data ({@link SettingText#toString()} is {@link
     * #getMessage()}).
     *
     * @return never null
     */
    @Override
    public SettingText text() {
        return text;
    }
}
