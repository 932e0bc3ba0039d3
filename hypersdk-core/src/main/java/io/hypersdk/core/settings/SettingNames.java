package io.hypersdk.core.settings;

/**
 * How a front-end names settings and phrases what to do with them, so that an error built as a
 * {@link SettingText} reads in the caller's terms: a CLI says {@code pass --hyper2kvm-path} where
 * the library says {@code set hyper2kvm_path}. Only {@link #name(Setting)} is required.
 */
@FunctionalInterface
public interface SettingNames {
    /** The library's own names: each setting's {@link Setting#key()}. */
    SettingNames KEYS = Setting::key;

    /**
     * The setting's name.
     *
     * @param setting never null
     * @return for example {@code "Hyper2KVMWatchDir"} or {@code "--hyper2kvm-watch-dir"}
     */
    String name(Setting setting);

    /**
     * How to give the setting a value.
     *
     * @param setting never null
     * @return for example {@code "set hyper2kvm_path"}
     */
    default String set(Setting setting) {
        return "set " + name(setting);
    }

    /**
     * How to give the setting this value.
     *
     * @param setting never null
     * @param value the value, never null
     * @return for example {@code "set Hyper2KVMQueueLayout=flat"}
     */
    default String set(Setting setting, String value) {
        return "set " + name(setting) + "=" + value;
    }

    /**
     * How to remove the setting (or turn it off).
     *
     * @param setting never null
     * @return for example {@code "unset LibvirtPool"}
     */
    default String unset(Setting setting) {
        return "unset " + name(setting);
    }

    /**
     * How to turn a switch off.
     *
     * @param setting never null
     * @return for example {@code "turn off require-daemon"}
     */
    default String turnOff(Setting setting) {
        return "turn off " + name(setting);
    }

    /**
     * Where a provider's setting is given, following "set it".
     *
     * @param key the provider's setting key, never null
     * @return for example {@code "in the provider configuration"}
     */
    default String whereProviderSetting(String key) {
        return "in the provider configuration";
    }
}
