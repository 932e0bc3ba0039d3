package io.hypersdk.core.settings;

import java.util.Objects;
import java.util.Optional;

/**
 * Defining a libvirt domain after conversion.
 *
 * @param enabled define a domain (default false)
 * @param uri libvirt connection URI (default {@code qemu:///system})
 * @param autostart mark the domain autostart (default false)
 * @param bridge host bridge for the NIC (empty: libvirt's default network)
 * @param pool storage pool for the images (empty: none)
 * @param redefine replace an existing domain of the same name instead of failing (default false)
 */
public record LibvirtSettings(
        boolean enabled,
        String uri,
        boolean autostart,
        Optional<String> bridge,
        Optional<String> pool,
        boolean redefine) {

    /** The default connection URI. */
    public static final String DEFAULT_URI = "qemu:///system";

    /**
     * Validates.
     *
     * @throws InvalidSettingException naming the option
     */
    public LibvirtSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(pool, "pool");
        if (uri.isBlank() || !uri.contains(":")) {
            throw new InvalidSettingException(
                    Setting.LIBVIRT_URI,
                    uri,
                    "a libvirt URI",
                    SettingText.of(Setting.LIBVIRT_URI)
                            .text(" \"" + uri + "\" is not a libvirt URI (e.g. qemu:///system)"));
        }
        bridge.ifPresent(b -> checkName(Setting.LIBVIRT_BRIDGE, b));
        pool.ifPresent(p -> checkName(Setting.LIBVIRT_POOL, p));
    }

    /**
     * Defaults: disabled, {@code qemu:///system}, no autostart, no bridge or pool, no redefine.
     *
     * @return the defaults
     */
    public static LibvirtSettings defaults() {
        return new LibvirtSettings(
                false, DEFAULT_URI, false, Optional.empty(), Optional.empty(), false);
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /**
     * A builder holding these settings.
     *
     * @return a pre-filled builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.uri = uri;
        b.autostart = autostart;
        b.bridge = bridge;
        b.pool = pool;
        b.redefine = redefine;
        return b;
    }

    private static void checkName(Setting option, String v) {
        if (v.isEmpty()
                || v.contains("/")
                || v.contains("\0")
                || v.chars().anyMatch(c -> c < 0x20)) {
            String allowed = "no '/', no control characters, not empty";
            throw new InvalidSettingException(
                    option,
                    v,
                    allowed,
                    SettingText.of(option)
                            .text(
                                    " \""
                                            + v.replace("\0", "\\0")
                                            + "\" is not a valid name: "
                                            + allowed));
        }
    }

    /** Builds {@link LibvirtSettings}. */
    public static final class Builder {
        private boolean enabled;
        private String uri;
        private boolean autostart;
        private Optional<String> bridge;
        private Optional<String> pool;
        private boolean redefine;

        private Builder() {}

        /**
         * Sets define a domain.
         *
         * @param v define a domain
         * @return this builder
         */
        public Builder enabled(boolean v) {
            this.enabled = v;
            return this;
        }

        /**
         * Sets connection URI.
         *
         * @param v connection URI
         * @return this builder
         */
        public Builder uri(String v) {
            this.uri = v;
            return this;
        }

        /**
         * Sets autostart.
         *
         * @param v autostart
         * @return this builder
         */
        public Builder autostart(boolean v) {
            this.autostart = v;
            return this;
        }

        /**
         * Sets bridge name; empty text means none.
         *
         * @param v bridge name; empty text means none
         * @return this builder
         */
        public Builder bridge(String v) {
            this.bridge = v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
            return this;
        }

        /**
         * Sets pool name; empty text means none.
         *
         * @param v pool name; empty text means none
         * @return this builder
         */
        public Builder pool(String v) {
            this.pool = v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
            return this;
        }

        /**
         * Sets replace an existing domain.
         *
         * @param v replace an existing domain
         * @return this builder
         */
        public Builder redefine(boolean v) {
            this.redefine = v;
            return this;
        }

        /**
         * Builds and validates.
         *
         * @return the settings
         */
        public LibvirtSettings build() {
            return new LibvirtSettings(enabled, uri, autostart, bridge, pool, redefine);
        }
    }
}
