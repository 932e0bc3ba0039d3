package io.hypersdk.core.progress;

/** The phases of an export-and-convert run, in order. */
public enum Phase {
    /** Connecting to the provider. */
    CONNECT,
    /** Exporting (downloading) the disks and writing the manifest. */
    EXPORT,
    /** Converting the disks (hyper2kvm or qemu-img, directly or through the daemon). */
    CONVERT,
    /** Defining the libvirt domain. */
    DEFINE,
    /** Finished. */
    DONE
}
