package io.hypersdk.provider.azure;

import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code azure} provider's settings ({@code --provider-option KEY=VALUE}); credentials are not
 * among them: they come from azure-identity's {@code DefaultAzureCredential} (environment, workload
 * or managed identity, Azure CLI login).
 *
 * <ul>
 *   <li>{@code subscription} (required): the subscription id
 *   <li>{@code resource-group}: the resource group of the VMs (else {@code --vm rg/name} or a
 *       resource id)
 *   <li>{@code snapshot}: export a running VM from snapshots of its disks, deleted afterwards
 *       (default false)
 *   <li>{@code sas-seconds}: how long each read grant lasts, 300-86400 (default 3600); a grant that
 *       expires mid-transfer is renewed
 *   <li>{@code endpoint}: the Azure Resource Manager URL (default {@code
 *       https://management.azure.com}); https only, as the bearer token never travels in clear
 *   <li>{@code ca-file}: a PEM file of CA certificates trusted for {@code endpoint} besides the
 *       JVM's (Azure Stack Hub, a private endpoint)
 * </ul>
 */
record AzureSettings(
        String subscription,
        Optional<String> resourceGroup,
        boolean snapshot,
        Duration sasDuration,
        URI endpoint,
        Optional<Path> caFile) {

    static final URI PUBLIC_CLOUD = URI.create("https://management.azure.com/");
    private static final Pattern GUID =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern GROUP = Pattern.compile("[-\\w._()]{1,90}");

    static AzureSettings from(ProviderConfig config) {
        String subscription =
                config.get("subscription")
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .orElseThrow(
                                () ->
                                        new ProviderConfigException(
                                                "setting 'subscription' is required for the azure provider;"
                                                        + " pass --provider-option subscription=<subscription id> (az account show --query id)"));
        if (!GUID.matcher(subscription).matches()) {
            throw new ProviderConfigException(
                    "setting 'subscription' = '"
                            + subscription
                            + "' is not a subscription id"
                            + " (a GUID such as 00000000-0000-0000-0000-000000000000); see az account list --query '[].id'");
        }
        Optional<String> group =
                config.get("resource-group").map(String::trim).filter(s -> !s.isEmpty());
        if (group.isPresent()
                && (!GROUP.matcher(group.get()).matches() || group.get().endsWith("."))) {
            throw new ProviderConfigException(
                    "setting 'resource-group' = '"
                            + group.get()
                            + "' is not a resource group"
                            + " name (1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.')");
        }
        boolean snapshot = config.getBoolean("snapshot", false);
        long seconds = 3600;
        Optional<String> sas = config.get("sas-seconds");
        if (sas.isPresent()) {
            try {
                seconds = Long.parseLong(sas.get().trim());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds < 300 || seconds > 86400) {
                throw new ProviderConfigException(
                        "setting 'sas-seconds' = '"
                                + sas.get()
                                + "' must be a whole number of"
                                + " seconds between 300 and 86400");
            }
        }
        URI endpoint = PUBLIC_CLOUD;
        Optional<String> e = config.get("endpoint");
        if (e.isPresent()) {
            try {
                endpoint = URI.create(e.get().trim());
            } catch (IllegalArgumentException ex) {
                endpoint = null;
            }
            if (endpoint == null
                    || endpoint.getHost() == null
                    || !"https"
                            .equals(
                                    endpoint.getScheme() == null
                                            ? ""
                                            : endpoint.getScheme().toLowerCase(Locale.ROOT))) {
                throw new ProviderConfigException(
                        "setting 'endpoint' = '"
                                + e.get()
                                + "' is not an https URL; give the"
                                + " Azure Resource Manager URL, e.g. https://management.azure.com (plain http would expose the bearer token)");
            }
            if (!endpoint.getPath().endsWith("/")) {
                endpoint = URI.create(endpoint + "/");
            }
        }
        Optional<Path> ca = config.get("ca-file").map(s -> Path.of(s.trim()));
        if (ca.isPresent() && !Files.isReadable(ca.get())) {
            throw new ProviderConfigException(
                    "setting 'ca-file' = '"
                            + ca.get()
                            + "' is not a readable file; give a PEM"
                            + " file of the CA certificates that signed the endpoint's certificate");
        }
        return new AzureSettings(
                subscription, group, snapshot, Duration.ofSeconds(seconds), endpoint, ca);
    }
}
