package io.hypersdk.core.settings;

/**
 * An exception whose message may name settings to change. Its message is {@link #text()} rendered
 * with the library's names; a front-end renders the same text with its own names and maps the
 * exception's type to its exit code, without reading the message. Implemented by {@link
 * InvalidSettingException} and by {@code io.hypersdk.core.HypersdkException}.
 */
public interface SettingError {
    /**
     * What failed and what to change, with the settings as data.
     *
     * @return never null
     */
    SettingText text();
}
