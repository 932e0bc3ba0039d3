package io.hypersdk.core.settings;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A one-line error text that refers to settings as data, not as words: rendered with {@link
 * SettingNames#KEYS} it is the library's message; a front-end renders it with its own names (flags,
 * JSON fields), so rewording either side never changes the other. Immutable: each method returns a
 * new text.
 *
 * <pre>{@code
 * SettingText.of("hyper2kvm not found: ").set(Setting.HYPER2KVM_PATH)
 *     .text(" or ").set(Setting.CONVERTER, "qemu-img")
 * }</pre>
 */
public final class SettingText implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind {
        TEXT,
        NAME,
        SET,
        SET_TO,
        UNSET,
        TURN_OFF,
        WHERE_PROVIDER_SETTING
    }

    private record Part(Kind kind, String text, Setting setting) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final List<Part> parts;

    private SettingText(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * A text with no setting in it (yet).
     *
     * @param text never null
     * @return the text
     */
    public static SettingText of(String text) {
        return new SettingText(
                List.of(new Part(Kind.TEXT, Objects.requireNonNull(text, "text"), null)));
    }

    /**
     * A text that starts with the setting's name ({@code Hyper2KVMWatchDir}).
     *
     * @param setting never null
     * @return the text
     */
    public static SettingText of(Setting setting) {
        return new SettingText(
                List.of(new Part(Kind.NAME, null, Objects.requireNonNull(setting, "setting"))));
    }

    /**
     * Appends plain text.
     *
     * @param text never null
     * @return a new text
     */
    public SettingText text(String text) {
        return with(new Part(Kind.TEXT, Objects.requireNonNull(text, "text"), null));
    }

    /**
     * Appends the setting's name ({@code Hyper2KVMWatchDir}).
     *
     * @param setting never null
     * @return a new text
     */
    public SettingText name(Setting setting) {
        return with(new Part(Kind.NAME, null, Objects.requireNonNull(setting, "setting")));
    }

    /**
     * Appends how to give the setting a value ({@code set hyper2kvm_path}).
     *
     * @param setting never null
     * @return a new text
     */
    public SettingText set(Setting setting) {
        return with(new Part(Kind.SET, null, Objects.requireNonNull(setting, "setting")));
    }

    /**
     * Appends how to give the setting this value ({@code set Hyper2KVMQueueLayout=flat}).
     *
     * @param setting never null
     * @param value never null
     * @return a new text
     */
    public SettingText set(Setting setting, String value) {
        return with(
                new Part(
                        Kind.SET_TO,
                        Objects.requireNonNull(value, "value"),
                        Objects.requireNonNull(setting, "setting")));
    }

    /**
     * Appends how to remove the setting ({@code unset LibvirtPool}).
     *
     * @param setting never null
     * @return a new text
     */
    public SettingText unset(Setting setting) {
        return with(new Part(Kind.UNSET, null, Objects.requireNonNull(setting, "setting")));
    }

    /**
     * Appends how to turn a switch off ({@code turn off require-daemon}).
     *
     * @param setting never null
     * @return a new text
     */
    public SettingText turnOff(Setting setting) {
        return with(new Part(Kind.TURN_OFF, null, Objects.requireNonNull(setting, "setting")));
    }

    /**
     * Appends where a provider's setting is given ({@code in the provider configuration}).
     *
     * @param key the provider's setting key, never null
     * @return a new text
     */
    public SettingText whereProviderSetting(String key) {
        return with(
                new Part(Kind.WHERE_PROVIDER_SETTING, Objects.requireNonNull(key, "key"), null));
    }

    /**
     * Appends another text.
     *
     * @param other never null
     * @return a new text
     */
    public SettingText append(SettingText other) {
        List<Part> all = new ArrayList<>(parts);
        all.addAll(other.parts);
        return new SettingText(all);
    }

    private SettingText with(Part part) {
        List<Part> all = new ArrayList<>(parts);
        all.add(part);
        return new SettingText(all);
    }

    /**
     * The settings this text refers to, in order of first mention.
     *
     * @return never null
     */
    public Set<Setting> settings() {
        Set<Setting> out = new LinkedHashSet<>();
        parts.stream().filter(p -> p.setting() != null).forEach(p -> out.add(p.setting()));
        return Collections.unmodifiableSet(out);
    }

    /**
     * The text with each setting named as {@code names} names it.
     *
     * @param names never null
     * @return the one-line text
     */
    public String render(SettingNames names) {
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            b.append(
                    switch (p.kind()) {
                        case TEXT -> p.text();
                        case NAME -> names.name(p.setting());
                        case SET -> names.set(p.setting());
                        case SET_TO -> names.set(p.setting(), p.text());
                        case UNSET -> names.unset(p.setting());
                        case TURN_OFF -> names.turnOff(p.setting());
                        case WHERE_PROVIDER_SETTING -> names.whereProviderSetting(p.text());
                    });
        }
        return b.toString();
    }

    /** The library's message: {@link #render(SettingNames)} with {@link SettingNames#KEYS}. */
    @Override
    public String toString() {
        return render(SettingNames.KEYS);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SettingText t && t.parts.equals(parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }
}
