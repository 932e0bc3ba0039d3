package io.hypersdk.cli.export;

import java.util.Optional;
import picocli.CommandLine.Option;

/** Defining a libvirt domain for the converted images. */
final class LibvirtOptions {
    static final String DEFAULT_URI = "qemu:///system";

    @Option(
            names = "--libvirt",
            order = 50,
            description = "Define a libvirt domain for the converted images (needs --pipeline).")
    boolean libvirt;

    @Option(
            names = "--libvirt-uri",
            paramLabel = "URI",
            defaultValue = DEFAULT_URI,
            order = 51,
            description =
                    "libvirt connection URI (default: ${DEFAULT-VALUE}; test:///default needs no daemon).")
    String uri = DEFAULT_URI;

    @Option(
            names = "--libvirt-autostart",
            order = 52,
            description = "Mark the defined domain to start with the host.")
    boolean autostart;

    @Option(
            names = "--libvirt-bridge",
            paramLabel = "BRIDGE",
            order = 53,
            description =
                    "Attach the domain's NICs to this host bridge, e.g. virbr0 (default: no bridge interface).")
    String bridge;

    @Option(
            names = "--libvirt-pool",
            paramLabel = "POOL",
            order = 54,
            description =
                    "Register the converted images as volumes of this storage pool (default: none).")
    String pool;

    @Option(
            names = "--libvirt-redefine",
            order = 55,
            description =
                    "Replace an existing domain of the same name (default: refuse and say so).")
    boolean redefine;

    Optional<String> bridge() {
        return Optional.ofNullable(bridge).filter(s -> !s.isBlank());
    }

    Optional<String> pool() {
        return Optional.ofNullable(pool).filter(s -> !s.isBlank());
    }
}
