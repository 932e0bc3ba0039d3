package io.hypersdk.provider.azure;

import io.hypersdk.provider.spi.ProviderConfigException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code --vm} names: {@code name} (with {@code resource-group} set), {@code rg/name}, or a
 * resource id {@code
 * /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<name>}.
 */
record AzureVmRef(String resourceGroup, String name) {
    private static final Pattern ID =
            Pattern.compile(
                    "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Compute/virtualMachines/([^/]+)/?",
                    Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][-\\w.]{0,63}");
    private static final Pattern GROUP = Pattern.compile("[-\\w._()]{1,90}");

    static AzureVmRef parse(String vm, Optional<String> defaultGroup, String subscription) {
        String v = vm.trim();
        Matcher m = ID.matcher(v);
        if (m.matches()) {
            if (!m.group(1).equalsIgnoreCase(subscription)) {
                throw new ProviderConfigException(
                        "VM "
                                + v
                                + " is in subscription "
                                + m.group(1)
                                + ", not in the configured "
                                + subscription
                                + "; set --provider-option subscription="
                                + m.group(1));
            }
            return new AzureVmRef(m.group(2), m.group(3));
        }
        if (v.startsWith("/")) {
            throw new ProviderConfigException(
                    "'"
                            + v
                            + "' is not a VM resource id; give /subscriptions/<id>/resourceGroups/<rg>"
                            + "/providers/Microsoft.Compute/virtualMachines/<name>, rg/name, or a name with resource-group set");
        }
        int slash = v.indexOf('/');
        String group =
                slash < 0
                        ? defaultGroup.orElseThrow(
                                () ->
                                        new ProviderConfigException(
                                                "VM '"
                                                        + v
                                                        + "' names no resource group; give it as <resource-group>/"
                                                        + v
                                                        + " or set --provider-option resource-group=<rg>"))
                        : v.substring(0, slash);
        String name = slash < 0 ? v : v.substring(slash + 1);
        if (!GROUP.matcher(group).matches() || !NAME.matcher(name).matches()) {
            throw new ProviderConfigException(
                    "'"
                            + v
                            + "' is not a VM name (rg/name: a resource group of 1-90 letters, digits,"
                            + " '-', '_', '.', '(' or ')' and a VM name of 1-64 letters, digits, '-', '_' or '.')");
        }
        return new AzureVmRef(group, name);
    }

    @Override
    public String toString() {
        return resourceGroup + "/" + name;
    }
}
