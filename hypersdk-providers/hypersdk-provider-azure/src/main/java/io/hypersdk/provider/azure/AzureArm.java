package io.hypersdk.provider.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.fluent.models.DiskInner;
import com.azure.resourcemanager.compute.fluent.models.SnapshotInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineSizeInner;
import com.azure.resourcemanager.compute.models.AccessLevel;
import com.azure.resourcemanager.compute.models.CreationData;
import com.azure.resourcemanager.compute.models.DiskCreateOption;
import com.azure.resourcemanager.compute.models.GrantAccessData;
import com.azure.resourcemanager.compute.models.InstanceViewTypes;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import com.azure.resourcemanager.resources.fluentcore.arm.ResourceId;
import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.ExportException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Azure Resource Manager calls the provider makes, on azure-resourcemanager-compute's generated
 * clients (their pipeline sends the bearer token, retries 429 and 5xx honouring {@code
 * Retry-After}, and polls long-running operations through {@code Azure-AsyncOperation} / {@code
 * Location}). Errors become the SPI's types with one line that names the resource.
 */
final class AzureArm {

    /** A managed disk or snapshot that read access can be granted on. */
    record Grantable(String resourceGroup, String name, boolean snapshot) {
        String kind() {
            return snapshot ? "snapshot" : "disk";
        }
    }

    private final AzureSettings settings;
    private final ComputeManagementClient compute;
    private final com.azure.resourcemanager.network.fluent.NetworkManagementClient network;
    private final Map<String, Map<String, VirtualMachineSizeInner>> sizes =
            new ConcurrentHashMap<>();

    AzureArm(AzureSettings settings, TokenCredential credential, HttpClient http) {
        this.settings = settings;
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", settings.endpoint().toString());
        AzureProfile profile =
                new AzureProfile(null, settings.subscription(), new AzureEnvironment(endpoints));
        ComputeManager manager =
                ComputeManager.configure().withHttpClient(http).authenticate(credential, profile);
        this.compute = manager.serviceClient();
        this.network = manager.networkManager().serviceClient();
    }

    /** The JDK's HTTP client (see the module README for why) over the endpoint's TLS context. */
    static HttpClient httpClient(AzureSettings settings) {
        return new JdkHttpClientBuilder(
                        java.net.http.HttpClient.newBuilder()
                                .sslContext(AzureTls.context(settings.caFile())))
                .build();
    }

    String subscription() {
        return settings.subscription();
    }

    List<VirtualMachineInner> listVms() {
        return call(
                "list the VMs of " + where(),
                () -> {
                    List<VirtualMachineInner> out = new ArrayList<>();
                    (settings.resourceGroup().isPresent()
                                    ? compute.getVirtualMachines()
                                            .listByResourceGroup(settings.resourceGroup().get())
                                    : compute.getVirtualMachines().list())
                            .forEach(out::add);
                    return out;
                });
    }

    /** The VM with its instance view (power state), or empty when ARM answers 404. */
    Optional<VirtualMachineInner> vm(String resourceGroup, String name) {
        try {
            return Optional.of(
                    call(
                            "read VM " + resourceGroup + "/" + name,
                            () ->
                                    compute.getVirtualMachines()
                                            .getByResourceGroupWithResponse(
                                                    resourceGroup,
                                                    name,
                                                    InstanceViewTypes.INSTANCE_VIEW,
                                                    com.azure.core.util.Context.NONE)
                                            .getValue()));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    Optional<VirtualMachineSizeInner> size(String location, String vmSize) {
        Map<String, VirtualMachineSizeInner> bySize =
                sizes.computeIfAbsent(
                        location.toLowerCase(Locale.ROOT),
                        l -> {
                            Map<String, VirtualMachineSizeInner> m = new HashMap<>();
                            call(
                                    "list the VM sizes of " + location,
                                    () -> {
                                        compute.getVirtualMachineSizes()
                                                .list(location)
                                                .forEach(
                                                        s ->
                                                                m.put(
                                                                        s.name()
                                                                                .toLowerCase(
                                                                                        Locale
                                                                                                .ROOT),
                                                                        s));
                                        return m;
                                    });
                            return m;
                        });
        return Optional.ofNullable(bySize.get(vmSize.toLowerCase(Locale.ROOT)));
    }

    DiskInner disk(String id) {
        ResourceId r = ResourceId.fromString(id);
        return call(
                "read disk " + r.resourceGroupName() + "/" + r.name(),
                () -> compute.getDisks().getByResourceGroup(r.resourceGroupName(), r.name()));
    }

    Optional<NetworkInterfaceInner> nic(String id) {
        ResourceId r = ResourceId.fromString(id);
        try {
            return Optional.of(
                    call(
                            "read network interface " + r.name(),
                            () ->
                                    network.getNetworkInterfaces()
                                            .getByResourceGroup(r.resourceGroupName(), r.name())));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    /**
     * grantAccess (read, {@code sas-seconds}): a long-running operation; returns the SAS URL (a
     * secret).
     */
    String grantRead(Grantable g) {
        GrantAccessData data =
                new GrantAccessData()
                        .withAccess(AccessLevel.READ)
                        .withDurationInSeconds((int) settings.sasDuration().toSeconds());
        String what = "grant read access to " + g.kind() + " " + g.resourceGroup() + "/" + g.name();
        String sas =
                call(
                        what,
                        () ->
                                (g.snapshot()
                                                ? compute.getSnapshots()
                                                        .grantAccess(
                                                                g.resourceGroup(), g.name(), data)
                                                : compute.getDisks()
                                                        .grantAccess(
                                                                g.resourceGroup(), g.name(), data))
                                        .accessSas());
        if (sas == null || sas.isBlank()) {
            throw new ExportException(
                    "Azure did not return a SAS URL when asked to " + what + "; try again");
        }
        return sas;
    }

    void revoke(Grantable g) {
        call(
                "revoke access to " + g.kind() + " " + g.resourceGroup() + "/" + g.name(),
                () -> {
                    if (g.snapshot()) {
                        compute.getSnapshots().revokeAccess(g.resourceGroup(), g.name());
                    } else {
                        compute.getDisks().revokeAccess(g.resourceGroup(), g.name());
                    }
                    return null;
                });
    }

    /** A full snapshot of the disk, in the disk's resource group and location. */
    Grantable snapshot(DiskInner disk, String snapshotName) {
        ResourceId r = ResourceId.fromString(disk.id());
        SnapshotInner s =
                new SnapshotInner()
                        .withCreationData(
                                new CreationData()
                                        .withCreateOption(DiskCreateOption.COPY)
                                        .withSourceResourceId(disk.id()))
                        .withIncremental(false);
        s.withLocation(disk.location());
        call(
                "snapshot disk " + r.resourceGroupName() + "/" + r.name(),
                () ->
                        compute.getSnapshots()
                                .createOrUpdate(r.resourceGroupName(), snapshotName, s));
        return new Grantable(r.resourceGroupName(), snapshotName, true);
    }

    void deleteSnapshot(Grantable g) {
        call(
                "delete snapshot " + g.resourceGroup() + "/" + g.name(),
                () -> {
                    compute.getSnapshots().delete(g.resourceGroup(), g.name());
                    return null;
                });
    }

    private String where() {
        return settings.resourceGroup()
                .map(g -> "resource group " + g)
                .orElse("subscription " + settings.subscription());
    }

    /** ARM answered 404. */
    static final class NotFound extends ExportException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    private <T> T call(String what, java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (ClientAuthenticationException e) {
            throw new AuthenticationException(
                    "cannot "
                            + what
                            + ": no Azure credential worked ("
                            + SasUrls.redact(firstLine(e.getMessage()))
                            + "); sign in with 'az login', or set AZURE_CLIENT_ID,"
                            + " AZURE_TENANT_ID and AZURE_CLIENT_SECRET (or a managed identity) for DefaultAzureCredential",
                    e);
        } catch (HttpResponseException e) {
            // ARM's own errors arrive as ManagementException (code + message); a proxy's or
            // gateway's as plain HTTP errors
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            ManagementException me = e instanceof ManagementException m ? m : null;
            String code = me == null || me.getValue() == null ? "" : me.getValue().getCode();
            String message =
                    SasUrls.redact(
                            firstLine(
                                    me == null || me.getValue() == null
                                            ? e.getMessage()
                                            : me.getValue().getMessage()));
            if (status == 404) {
                throw new NotFound("cannot " + what + ": not found (" + code + ")");
            }
            if (status == 401 || status == 403) {
                throw new AuthenticationException(
                        "cannot "
                                + what
                                + ": Azure answered "
                                + status
                                + " "
                                + code
                                + " ("
                                + message
                                + "); give the signed-in identity a role that allows it (e.g. Disk Snapshot Contributor, Virtual"
                                + " Machine Contributor) on subscription "
                                + settings.subscription(),
                        e);
            }
            throw new ExportException(
                    "cannot "
                            + what
                            + ": Azure answered "
                            + status
                            + " "
                            + code
                            + " ("
                            + message
                            + ")",
                    e);
        } catch (RuntimeException e) {
            if (e instanceof ExportException) {
                throw e;
            }
            throw new ExportException(
                    "cannot "
                            + what
                            + " at "
                            + settings.endpoint().getHost()
                            + ": "
                            + SasUrls.redact(firstLine(String.valueOf(e.getMessage())))
                            + "; check the network and the endpoint",
                    e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
