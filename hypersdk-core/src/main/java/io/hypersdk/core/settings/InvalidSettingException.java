package io.hypersdk.core.settings;

import java.util.Objects;

/**
 * A setting has a value it cannot take. Carries the setting, the value as given and what is
 * allowed, so that a front-end names its own flag or field without reading the message; the message
 * is {@link #text()} rendered with {@link SettingNames#KEYS}.
 */
public class InvalidSettingException extends IllegalArgumentException implements SettingError {
    private static final long serialVersionUID = 1L;

    private final Setting setting;
    private final String value;
    private final String allowed;
    private final SettingText text;

    /**
     * Creates the exception.
     *
     * @param setting the setting, never null
     * @param value the value as given, never null
     * @param allowed what the setting accepts, for example {@code "1-60 seconds"}, never null
     * @param text the one-line message, naming the setting as data, never null
     */
    public InvalidSettingException(
            Setting setting, String value, String allowed, SettingText text) {
        super(Objects.requireNonNull(text, "text").toString());
        this.setting = Objects.requireNonNull(setting, "setting");
        this.value = Objects.requireNonNull(value, "value");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.text = text;
    }

    /**
     * The setting.
     *
     * @return never null
     */
    public Setting setting() {
        return setting;
    }

    /**
     * The setting's seed name.
     *
     * @return for example {@code "Hyper2KVMPollInterval"}
     */
    public String key() {
        return setting.key();
    }

    /**
     * The refused value as given.
     *
     * @return for example {@code "0 s"}
     */
    public String value() {
        return value;
    }

    /**
     * What the setting accepts.
     *
     * @return for example {@code "1-60 seconds"}
     */
    public String allowed() {
        return allowed;
    }

    @Override
    public SettingText text() {
        return text;
    }
}
