package io.hypersdk.pipeline.libvirt;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the domain XML says, already decided (names sanitised, defaults applied).
 *
 * @param name the libvirt domain name (safe: ASCII letters, digits, {@code . _ -})
 * @param title the original VM name, shown by {@code virsh list --title} (may be anything)
 * @param description free text
 * @param memoryMib memory in MiB
 * @param vcpus virtual CPUs
 * @param uefi UEFI firmware (q35 machine) when present, else BIOS (pc machine with pci-root)
 * @param localtimeClock RTC in local time (Windows guests) instead of UTC
 * @param disks every disk, boot disk first
 * @param nics every network interface
 * @param uuid the domain UUID; set when an existing definition is replaced (libvirt requires the
 *     same UUID), else libvirt generates one
 */
public record DomainSpec(
        String name,
        Optional<String> title,
        Optional<String> description,
        long memoryMib,
        int vcpus,
        Optional<OvmfFirmware.Paths> uefi,
        boolean localtimeClock,
        List<Disk> disks,
        List<Nic> nics,
        Optional<String> uuid) {

    /** Checks values and copies the lists. */
    public DomainSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(uefi, "uefi");
        if (memoryMib < 1) {
            throw new IllegalArgumentException(
                    "domain memory must be at least 1 MiB (got " + memoryMib + ")");
        }
        if (vcpus < 1) {
            throw new IllegalArgumentException(
                    "domain vCPUs must be at least 1 (got " + vcpus + ")");
        }
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
        Objects.requireNonNull(uuid, "uuid");
    }

    /**
     * A copy with this UUID.
     *
     * @param v the UUID of the definition being replaced
     * @return the copy
     */
    public DomainSpec withUuid(String v) {
        return new DomainSpec(
                name,
                title,
                description,
                memoryMib,
                vcpus,
                uefi,
                localtimeClock,
                disks,
                nics,
                Optional.of(v));
    }

    /**
     * A disk.
     *
     * @param source the image file, or a volume of a storage pool
     * @param format the image format ({@code qcow2}, {@code raw}, {@code vdi})
     */
    public record Disk(DiskSource source, String format) {
        /** Checks for nulls. */
        public Disk {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(format, "format");
        }
    }

    /** Where a disk's data is. */
    public sealed interface DiskSource {
        /**
         * @param path the image file
         */
        record File(Path path) implements DiskSource {}

        /**
         * @param pool the storage pool
         * @param volume the volume in it
         */
        record Volume(String pool, String volume) implements DiskSource {}
    }

    /**
     * A network interface.
     *
     * @param mac the MAC address, when valid
     * @param source the host side
     */
    public record Nic(Optional<String> mac, NicSource source) {
        /** Checks for nulls. */
        public Nic {
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(source, "source");
        }
    }

    /** The host side of a NIC. */
    public sealed interface NicSource {
        /**
         * @param bridge a host bridge, e.g. {@code br0}
         */
        record Bridge(String bridge) implements NicSource {}

        /**
         * @param network a libvirt network, e.g. {@code default}
         */
        record Network(String network) implements NicSource {}
    }
}
