package io.hypersdk.provider.azure;

/** Pieces of ARM resource ids. */
final class AzureVmRefs {
    private AzureVmRefs() {}

    /** The last segment of a resource id (the resource's name). */
    static String leaf(String id) {
        String s = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        return s.substring(s.lastIndexOf('/') + 1);
    }

    /** {@code rg/name} of a resource id, as {@code --vm} takes it. */
    static String path(String id) {
        String[] p = id.split("/");
        for (int i = 0; i + 1 < p.length; i++) {
            if (p[i].equalsIgnoreCase("resourceGroups")) {
                return p[i + 1] + "/" + leaf(id);
            }
        }
        return leaf(id);
    }
}
