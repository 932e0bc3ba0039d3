package io.hypersdk.provider.vsphere;

import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.Capability;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.vsphere.nfc.VsphereExporter;
import io.hypersdk.provider.vsphere.soap.InvalidLoginException;
import io.hypersdk.provider.vsphere.soap.VsphereException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code vsphere} export provider (vCenter or ESXi over the vim25 SOAP API), registered in
 * {@code META-INF/services}. Settings: see {@link VsphereSettings}.
 */
public final class VsphereExportProvider implements ExportProvider {
    /** The provider id. */
    public static final String ID = "vsphere";

    private final Map<String, String> environment;
    private final VsphereExporter.Tuning tuning;

    /** A provider reading {@code GOVC_*} fallbacks from the process environment. */
    public VsphereExportProvider() {
        this(System.getenv(), VsphereExporter.Tuning.defaults());
    }

    VsphereExportProvider(Map<String, String> environment, VsphereExporter.Tuning tuning) {
        this.environment = Map.copyOf(environment);
        this.tuning = tuning;
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
                Capability.RESUME,
                Capability.PARALLEL_DISKS,
                Capability.POWER_OFF);
    }

    @Override
    public String description() {
        return "VMware vSphere (vCenter or ESXi) over the vim25 SOAP API, disks over NFC";
    }

    @Override
    public ProviderSession connect(ProviderConfig config) {
        VsphereSettings settings = VsphereSettings.from(config, environment);
        VimClient vim;
        try {
            vim = settings.clientBuilder().build();
        } catch (VsphereException e) {
            throw new ExportException(e.getMessage(), e);
        }
        try {
            vim.login();
        } catch (InvalidLoginException e) {
            throw new AuthenticationException(
                    "vSphere at "
                            + vim.hostPort()
                            + " refused the login of user "
                            + settings.username()
                            + "; check the user name and password (GOVC_USERNAME / GOVC_PASSWORD)",
                    e);
        } catch (VsphereException e) {
            throw new ExportException(e.getMessage(), e);
        }
        return new VsphereSession(vim, tuning);
    }

    @Override
    public String toString() {
        return "VsphereExportProvider";
    }
}
