package io.hypersdk.core.settings;

/**
 * A setting the user can change, as named by errors that say what to change. {@link #key()} is the
 * seed's option name, which library messages print; a front-end names the same setting its own way
 * (a CLI flag, a JSON field) through {@link SettingNames}.
 */
public enum Setting {
    /** The systemd instance of the daemon ({@code Hyper2KVMInstance}). */
    HYPER2KVM_INSTANCE("Hyper2KVMInstance"),
    /** The daemon's spool directory ({@code Hyper2KVMWatchDir}). */
    HYPER2KVM_WATCH_DIR("Hyper2KVMWatchDir"),
    /** The daemon's output directory ({@code Hyper2KVMOutputDir}). */
    HYPER2KVM_OUTPUT_DIR("Hyper2KVMOutputDir"),
    /** How often the spool is polled, 1-60 s ({@code Hyper2KVMPollInterval}). */
    HYPER2KVM_POLL_INTERVAL("Hyper2KVMPollInterval"),
    /** How long to wait for the daemon, 1-240 min ({@code Hyper2KVMDaemonTimeout}). */
    HYPER2KVM_DAEMON_TIMEOUT("Hyper2KVMDaemonTimeout"),
    /** The spool protocol the daemon speaks ({@code Hyper2KVMQueueLayout}). */
    HYPER2KVM_QUEUE_LAYOUT("Hyper2KVMQueueLayout"),
    /** Fail instead of falling back to direct mode ({@code require-daemon}). */
    REQUIRE_DAEMON("require-daemon"),
    /** The hyper2kvm executable ({@code hyper2kvm_path}). */
    HYPER2KVM_PATH("hyper2kvm_path"),
    /** Which program converts the disks ({@code converter}). */
    CONVERTER("converter"),
    /** Time limit of a direct-mode conversion ({@code PipelineTimeout}). */
    PIPELINE_TIMEOUT("PipelineTimeout"),
    /** Compression level, 1-9 ({@code CompressLevel}). */
    COMPRESS_LEVEL("CompressLevel"),
    /** The libvirt connection URI ({@code LibvirtURI}). */
    LIBVIRT_URI("LibvirtURI"),
    /** The bridge the domain's network attaches to ({@code LibvirtBridge}). */
    LIBVIRT_BRIDGE("LibvirtBridge"),
    /** The storage pool the images must belong to ({@code LibvirtPool}). */
    LIBVIRT_POOL("LibvirtPool"),
    /** Replace an existing domain of the same name (no seed name: {@code libvirt redefine}). */
    LIBVIRT_REDEFINE("libvirt redefine");

    private final String key;

    Setting(String key) {
        this.key = key;
    }

    /**
     * The seed's option name, as library messages print it.
     *
     * @return for example {@code "Hyper2KVMPollInterval"}
     */
    public String key() {
        return key;
    }
}
