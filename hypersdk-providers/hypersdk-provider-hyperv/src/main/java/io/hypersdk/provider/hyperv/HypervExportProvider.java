package io.hypersdk.provider.hyperv;

import io.hypersdk.provider.spi.Capability;
import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code hyperv} export provider: PowerShell over SSH on a Hyper-V host (Windows Server 2019
 * and later ship OpenSSH) for the inventory and Export-VM, the VHDX/VHD files over SFTP or SMB.
 * Registered in {@code META-INF/services}.
 *
 * <p>Settings ({@code --provider-option KEY=VALUE}): {@code host}, {@code user} (or {@code
 * HYPERV_HOST}, {@code HYPERV_USER}), {@code port}, {@code auth} ({@code password}, {@code key} or
 * {@code agent}: the SSH agent at {@code SSH_AUTH_SOCK}), {@code identity} (private key file),
 * {@code host-key} (pinned {@code SHA256:} fingerprint; otherwise {@code known-hosts}, default
 * {@code ~/.ssh/known_hosts}), {@code transfer} ({@code sftp} or {@code smb} with {@code share},
 * {@code share-path}, {@code smb-port}), {@code method} ({@code export} or {@code copy}), {@code
 * staging}, {@code keep-staging}, {@code checkpoint}, {@code timeout}. The password comes only from
 * {@code HYPERV_PASSWORD} in the environment (or a {@code password} secret of the configuration).
 */
public final class HypervExportProvider implements ExportProvider {
    /** The provider id. */
    public static final String ID = "hyperv";

    private final Map<String, String> environment;
    private final Clock clock;

    /** A provider reading {@code HYPERV_*} from the process environment. */
    public HypervExportProvider() {
        this(System.getenv(), Clock.systemUTC());
    }

    HypervExportProvider(Map<String, String> environment, Clock clock) {
        this.environment = Map.copyOf(environment);
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
                Capability.CHECKSUMS,
                Capability.RESUME,
                Capability.PARALLEL_DISKS);
    }

    @Override
    public String description() {
        return "Microsoft Hyper-V: PowerShell over SSH, VHDX over SFTP or SMB";
    }

    @Override
    public ProviderSession connect(ProviderConfig config) {
        HypervSettings settings = HypervSettings.from(config, environment);
        return new HypervSession(PowerShellHost.connect(settings), clock);
    }

    @Override
    public String toString() {
        return "HypervExportProvider";
    }
}
