package io.hypersdk.provider.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import io.hypersdk.provider.spi.Capability;
import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code azure} export provider, registered in {@code META-INF/services}: VMs of a subscription
 * or resource group, their managed disks read through a time-limited SAS, only the allocated page
 * ranges transferred. Credentials come from azure-identity's {@code DefaultAzureCredential} only
 * (environment, workload or managed identity, Azure CLI login); settings: see the module README
 * ({@code subscription}, {@code resource-group}, {@code snapshot}, {@code sas-seconds}, {@code
 * endpoint}, {@code ca-file}).
 */
public final class AzureExportProvider implements ExportProvider {
    /** The provider id. */
    public static final String ID = "azure";

    /** How a session gets its credential; null: {@code DefaultAzureCredential}. */
    private final Function<HttpClient, TokenCredential> credentials;

    private final AzureExporter.Tuning tuning;

    /**
     * A provider authenticating with {@code DefaultAzureCredential}. Nothing of the Azure SDK is
     * touched until {@link #connect}: its jars are signed, and verifying them costs every {@code
     * hyperexport} run about 0.1 s when a class of theirs loads (the provider is made whichever
     * provider the run uses).
     */
    public AzureExportProvider() {
        this(null, AzureExporter.Tuning.defaults());
    }

    AzureExportProvider(
            Function<HttpClient, TokenCredential> credentials, AzureExporter.Tuning tuning) {
        this.credentials = credentials;
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
                Capability.CHECKSUMS,
                Capability.PARALLEL_DISKS);
    }

    @Override
    public String description() {
        return "Microsoft Azure: managed disks through a time-limited SAS, allocated page ranges only";
    }

    @Override
    public ProviderSession connect(ProviderConfig config) {
        return AzureConnector.connect(config, credentials, tuning);
    }

    @Override
    public String toString() {
        return "AzureExportProvider";
    }
}
