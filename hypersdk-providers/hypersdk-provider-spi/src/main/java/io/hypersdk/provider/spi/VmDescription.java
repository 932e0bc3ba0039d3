package io.hypersdk.provider.spi;

import io.hypersdk.core.manifest.Firmware;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Hardware details of one VM, from {@link ProviderSession#describe(String)}.
 *
 * @param id the source's stable id
 * @param name the display name
 * @param path an inventory path, when the source has one
 * @param powerState power state
 * @param cpu virtual CPUs (0 when unknown)
 * @param memoryBytes memory in bytes (0 when unknown)
 * @param firmware BIOS or UEFI ({@code efi} at the source is {@link Firmware#UEFI})
 * @param secureBoot whether UEFI secure boot is on
 * @param guestOs the source's guest OS id, when known
 * @param osHint {@code linux}, {@code windows} or {@code unknown}
 * @param disks the disks, boot disk first
 * @param nics the network adapters, in device order
 */
public record VmDescription(
        String id,
        String name,
        Optional<String> path,
        PowerState powerState,
        int cpu,
        long memoryBytes,
        Firmware firmware,
        boolean secureBoot,
        Optional<String> guestOs,
        String osHint,
        List<VmDisk> disks,
        List<VmNic> nics) {

    public VmDescription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(powerState, "powerState");
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(guestOs, "guestOs");
        Objects.requireNonNull(osHint, "osHint");
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
        if (cpu < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException(
                    "VmDescription cpu and memoryBytes must be >= 0 (got "
                            + cpu
                            + ", "
                            + memoryBytes
                            + ")");
        }
    }

    /** Memory in whole GiB, rounded down, as the manifest's {@code vm.mem_gb} holds it. */
    public int memoryGib() {
        return (int) Math.min(Integer.MAX_VALUE, memoryBytes >> 30);
    }

    /** This VM as a listing entry. */
    public VmSummary summary() {
        return new VmSummary(id, name, path, powerState, cpu, memoryBytes, guestOs);
    }

    /**
     * {@code linux}, {@code windows} or {@code unknown} for a guest OS id such as {@code
     * ubuntu64Guest} or {@code windows9_64Guest}.
     */
    public static String osHintFor(String guestOs) {
        String g = guestOs.toLowerCase(java.util.Locale.ROOT);
        if (g.startsWith("win")) {
            return "windows";
        }
        for (String linux :
                new String[] {
                    "linux",
                    "ubuntu",
                    "debian",
                    "rhel",
                    "centos",
                    "sles",
                    "suse",
                    "fedora",
                    "oracle",
                    "almalinux",
                    "rocky",
                    "amazonlinux",
                    "photon",
                    "coreos",
                    "mandriva",
                    "asianux",
                    "turbolinux",
                    "other3x",
                    "other4x",
                    "other5x",
                    "other6x",
                    "other26x",
                    "other24x"
                }) {
            if (g.startsWith(linux)) {
                return "linux";
            }
        }
        return "unknown";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link VmDescription}; {@code id} and {@code name} are required. */
    public static final class Builder {
        private String id;
        private String name;
        private Optional<String> path = Optional.empty();
        private PowerState powerState = PowerState.UNKNOWN;
        private int cpu;
        private long memoryBytes;
        private Firmware firmware = Firmware.BIOS;
        private boolean secureBoot;
        private Optional<String> guestOs = Optional.empty();
        private String osHint;
        private final List<VmDisk> disks = new ArrayList<>();
        private final List<VmNic> nics = new ArrayList<>();

        private Builder() {}

        public Builder id(String v) {
            this.id = v;
            return this;
        }

        public Builder name(String v) {
            this.name = v;
            return this;
        }

        public Builder path(String v) {
            this.path = Optional.of(v);
            return this;
        }

        public Builder powerState(PowerState v) {
            this.powerState = v;
            return this;
        }

        public Builder cpu(int v) {
            this.cpu = v;
            return this;
        }

        public Builder memoryBytes(long v) {
            this.memoryBytes = v;
            return this;
        }

        public Builder firmware(Firmware v) {
            this.firmware = v;
            return this;
        }

        public Builder secureBoot(boolean v) {
            this.secureBoot = v;
            return this;
        }

        public Builder guestOs(String v) {
            this.guestOs = Optional.of(v);
            return this;
        }

        /** Defaults to {@link #osHintFor(String)} of the guest OS, else {@code unknown}. */
        public Builder osHint(String v) {
            this.osHint = v;
            return this;
        }

        public Builder addDisk(VmDisk v) {
            this.disks.add(v);
            return this;
        }

        public Builder disks(List<VmDisk> v) {
            this.disks.clear();
            this.disks.addAll(v);
            return this;
        }

        public Builder addNic(VmNic v) {
            this.nics.add(v);
            return this;
        }

        public Builder nics(List<VmNic> v) {
            this.nics.clear();
            this.nics.addAll(v);
            return this;
        }

        public VmDescription build() {
            String hint =
                    osHint != null
                            ? osHint
                            : guestOs.map(VmDescription::osHintFor).orElse("unknown");
            return new VmDescription(
                    id,
                    name,
                    path,
                    powerState,
                    cpu,
                    memoryBytes,
                    firmware,
                    secureBoot,
                    guestOs,
                    hint,
                    disks,
                    nics);
        }
    }
}
