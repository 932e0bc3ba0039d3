package io.hypersdk.pipeline.libvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds UEFI firmware (OVMF) on the host for q35 guests: first through QEMU's firmware descriptors
 * ({@code /usr/share/qemu/firmware/*.json}, the interoperability format every distribution ships),
 * then in the well-known OVMF locations of Debian/Ubuntu, Fedora/RHEL, Arch and SUSE. Never
 * hard-codes a single distribution's path.
 */
public final class OvmfFirmware {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Path> DESCRIPTOR_DIRS =
            List.of(Path.of("/etc/qemu/firmware"), Path.of("/usr/share/qemu/firmware"));

    /** (code, vars) pairs, plain then secure-boot, in order of preference. */
    private static final List<String[]> PLAIN =
            List.of(
                    new String[] {
                        "/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"
                    },
                    new String[] {"/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd"},
                    new String[] {
                        "/usr/share/edk2/ovmf/OVMF_CODE.fd", "/usr/share/edk2/ovmf/OVMF_VARS.fd"
                    },
                    new String[] {
                        "/usr/share/edk2-ovmf/x64/OVMF_CODE.fd",
                        "/usr/share/edk2-ovmf/x64/OVMF_VARS.fd"
                    },
                    new String[] {
                        "/usr/share/qemu/ovmf-x86_64-code.bin",
                        "/usr/share/qemu/ovmf-x86_64-vars.bin"
                    });

    private static final List<String[]> SECURE =
            List.of(
                    new String[] {
                        "/usr/share/OVMF/OVMF_CODE_4M.ms.fd", "/usr/share/OVMF/OVMF_VARS_4M.ms.fd"
                    },
                    new String[] {
                        "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd",
                        "/usr/share/OVMF/OVMF_VARS_4M.ms.fd"
                    },
                    new String[] {
                        "/usr/share/OVMF/OVMF_CODE.secboot.fd", "/usr/share/OVMF/OVMF_VARS.ms.fd"
                    },
                    new String[] {
                        "/usr/share/edk2/ovmf/OVMF_CODE.secboot.fd",
                        "/usr/share/edk2/ovmf/OVMF_VARS.secboot.fd"
                    },
                    new String[] {
                        "/usr/share/edk2-ovmf/x64/OVMF_CODE.secboot.fd",
                        "/usr/share/edk2-ovmf/x64/OVMF_VARS.fd"
                    },
                    new String[] {
                        "/usr/share/qemu/ovmf-x86_64-smm-ms-code.bin",
                        "/usr/share/qemu/ovmf-x86_64-smm-ms-vars.bin"
                    });

    /**
     * The firmware files for a guest.
     *
     * @param code the read-only code image ({@code <loader>})
     * @param varsTemplate the NVRAM template ({@code <nvram template=...>})
     * @param secureBoot whether this firmware enforces Secure Boot (needs SMM)
     */
    public record Paths(Path code, Path varsTemplate, boolean secureBoot) {
        /** Checks for nulls. */
        public Paths {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(varsTemplate, "varsTemplate");
        }
    }

    private final List<Path> descriptorDirs;
    private final boolean wellKnownPaths;

    private OvmfFirmware(List<Path> descriptorDirs, boolean wellKnownPaths) {
        this.descriptorDirs = List.copyOf(descriptorDirs);
        this.wellKnownPaths = wellKnownPaths;
    }

    /**
     * @return the host's firmware: QEMU descriptors, then well-known paths
     */
    public static OvmfFirmware system() {
        return new OvmfFirmware(DESCRIPTOR_DIRS, true);
    }

    /**
     * Only the descriptors in these directories (for tests: an empty list finds nothing).
     *
     * @param descriptorDirs directories of QEMU firmware descriptors
     * @return the locator
     */
    public static OvmfFirmware fromDescriptors(List<Path> descriptorDirs) {
        return new OvmfFirmware(descriptorDirs, false);
    }

    /**
     * Finds UEFI firmware.
     *
     * @param secureBoot whether the guest needs Secure Boot
     * @return the firmware files
     * @throws LibvirtDefinitionException naming where it looked and the package to install
     */
    public Paths find(boolean secureBoot) {
        Optional<Paths> fromDescriptor = fromDescriptors(secureBoot);
        if (fromDescriptor.isPresent()) {
            return fromDescriptor.get();
        }
        List<String> looked = new ArrayList<>();
        descriptorDirs.forEach(d -> looked.add(d + "/*.json"));
        if (wellKnownPaths) {
            for (String[] pair : secureBoot ? SECURE : PLAIN) {
                looked.add(pair[0]);
                if (Files.isRegularFile(Path.of(pair[0]))
                        && Files.isRegularFile(Path.of(pair[1]))) {
                    return new Paths(Path.of(pair[0]), Path.of(pair[1]), secureBoot);
                }
            }
        }
        throw new LibvirtDefinitionException(
                "no "
                        + (secureBoot ? "Secure Boot " : "")
                        + "UEFI firmware (OVMF) found for a UEFI guest; looked in "
                        + String.join(", ", looked)
                        + ": install it (Debian/Ubuntu: ovmf, Fedora/RHEL: edk2-ovmf, Arch: edk2-ovmf)");
    }

    private Optional<Paths> fromDescriptors(boolean secureBoot) {
        List<Path> files = new ArrayList<>();
        Set<String> seenNames = new HashSet<>();
        for (Path dir : descriptorDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> here = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
                ds.forEach(here::add);
            } catch (IOException e) {
                continue;
            }
            here.sort(null);
            for (Path p : here) {
                // a file in an earlier directory (/etc) overrides one of the same name later (/usr)
                if (seenNames.add(p.getFileName().toString())) {
                    files.add(p);
                }
            }
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path f : files) {
            Optional<Paths> p = parse(f, secureBoot);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    private static Optional<Paths> parse(Path descriptor, boolean secureBoot) {
        JsonNode n;
        try {
            n = JSON.readTree(descriptor.toFile());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!contains(n.path("interface-types"), "uefi")
                || !"flash".equals(n.path("mapping").path("device").asText())) {
            return Optional.empty();
        }
        boolean q35 = false;
        for (JsonNode t : n.path("targets")) {
            if ("x86_64".equals(t.path("architecture").asText())) {
                for (JsonNode m : t.path("machines")) {
                    if (m.asText().startsWith("pc-q35")) {
                        q35 = true;
                    }
                }
            }
        }
        JsonNode features = n.path("features");
        boolean secure = contains(features, "secure-boot");
        if (!q35 || secure != secureBoot) {
            return Optional.empty();
        }
        if (secureBoot && !contains(features, "enrolled-keys")) {
            return Optional.empty(); // Secure Boot without enrolled keys boots nothing signed
        }
        String code = n.path("mapping").path("executable").path("filename").asText("");
        String vars = n.path("mapping").path("nvram-template").path("filename").asText("");
        if (code.isEmpty()
                || vars.isEmpty()
                || !Files.isRegularFile(Path.of(code))
                || !Files.isRegularFile(Path.of(vars))) {
            return Optional.empty();
        }
        return Optional.of(new Paths(Path.of(code), Path.of(vars), secure));
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) {
            if (value.equals(v.asText())) {
                return true;
            }
        }
        return false;
    }
}
