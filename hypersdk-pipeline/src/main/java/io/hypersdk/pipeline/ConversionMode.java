package io.hypersdk.pipeline;

/** How the disks were converted. */
public enum ConversionMode {
    /** hyper2kvm's one-shot CLI as a child process (data disks with qemu-img). */
    DIRECT,
    /** Submitted to the systemd-managed hyper2kvm daemon through its spool directory. */
    DAEMON,
    /** Every disk with {@code qemu-img convert}, no guest repair: only when chosen explicitly. */
    QEMU_IMG
}
