package io.hypersdk.core.manifest;

import java.util.Objects;
import java.util.Optional;

/**
 * Guest hardware and OS ({@code vm}). All fields are written, so a 0 or {@code false} survives.
 *
 * @param cpu virtual CPUs ({@code cpu})
 * @param memGb memory in whole GiB ({@code mem_gb})
 * @param firmware firmware ({@code firmware}; {@code efi} reads as {@code uefi}; {@code bios} when
 *     a document omits it)
 * @param secureboot secure boot ({@code secureboot})
 * @param osHint {@code linux | windows | unknown} ({@code os_hint}, not validated)
 * @param osVersion free text ({@code os_version})
 */
public record ManifestVm(
        int cpu,
        int memGb,
        Firmware firmware,
        boolean secureboot,
        Optional<String> osHint,
        Optional<String> osVersion) {

    /** Checks for nulls. */
    public ManifestVm {
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(osHint, "osHint");
        Objects.requireNonNull(osVersion, "osVersion");
    }

    /**
     * A VM description without OS hints.
     *
     * @param cpu virtual CPUs
     * @param memGb memory in GiB
     * @param firmware firmware
     * @return the description
     */
    public static ManifestVm of(int cpu, int memGb, Firmware firmware) {
        return new ManifestVm(cpu, memGb, firmware, false, Optional.empty(), Optional.empty());
    }

    /**
     * Returns a copy with {@code secureboot} set.
     *
     * @param v secure boot
     * @return a copy with {@code secureboot} set
     */
    public ManifestVm withSecureboot(boolean v) {
        return new ManifestVm(cpu, memGb, firmware, v, osHint, osVersion);
    }

    /**
     * Returns a copy with {@code os_hint} set.
     *
     * @param v OS hint
     * @return a copy with {@code os_hint} set
     */
    public ManifestVm withOsHint(String v) {
        return new ManifestVm(cpu, memGb, firmware, secureboot, Optional.of(v), osVersion);
    }

    /**
     * Returns a copy with {@code os_version} set.
     *
     * @param v OS version
     * @return a copy with {@code os_version} set
     */
    public ManifestVm withOsVersion(String v) {
        return new ManifestVm(cpu, memGb, firmware, secureboot, osHint, Optional.of(v));
    }
}
