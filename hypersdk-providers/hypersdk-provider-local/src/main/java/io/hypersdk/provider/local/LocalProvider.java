package io.hypersdk.provider.local;

import io.hypersdk.provider.spi.Capability;
import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.ProviderSession;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code local} provider: exports VMs from files, no hypervisor needed. A VM is an {@code
 * .ova}, an {@code .ovf} with its disk files, or a VMware {@code .vmx} (or the directory holding
 * one); {@link ProviderSession#export} copies the disks into the output directory (OVA members are
 * checked against path traversal and links first; {@code .mf} digests are verified while copying)
 * and writes {@code artifact-manifest.json}.
 *
 * <p>Settings: {@code directory} — where {@code listVms()} looks and relative VM paths are resolved
 * (default: the current directory). No credentials.
 */
public final class LocalProvider implements ExportProvider {

    /** The provider id. */
    public static final String ID = "local";

    private final Clock clock;

    /** For {@link java.util.ServiceLoader}. */
    public LocalProvider() {
        this(Clock.systemUTC());
    }

    /** With an explicit clock for export timestamps. */
    public LocalProvider(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.LIST_VMS,
                Capability.DESCRIBE_VM,
                Capability.EXPORT_OVF,
                Capability.EXPORT_OVA,
                Capability.CHECKSUMS,
                Capability.PARALLEL_DISKS,
                Capability.LOCAL_FILES);
    }

    @Override
    public String description() {
        return "local files: an .ova, an .ovf with its disks, or a VMware .vmx directory";
    }

    @Override
    public ProviderSession connect(ProviderConfig config) {
        String dir = config.get("directory").orElse(".");
        Path base;
        try {
            base = Path.of(dir).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ProviderConfigException(
                    "setting 'directory' is not a valid path: '" + dir + "'");
        }
        if (!Files.isDirectory(base)) {
            throw new ProviderConfigException(
                    "setting 'directory' is "
                            + base
                            + ", which is not a directory; give the"
                            + " directory that holds the VMs");
        }
        return new LocalSession(base, clock);
    }
}
