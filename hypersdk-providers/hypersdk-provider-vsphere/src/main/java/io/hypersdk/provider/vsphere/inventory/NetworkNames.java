package io.hypersdk.provider.vsphere.inventory;

import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The names of a VM's networks and distributed port groups, and which one a NIC's backing names.
 */
final class NetworkNames {
    private static final String DVPG_KEY = "dvpg-key:";

    private final PropertyCollector properties;

    NetworkNames(PropertyCollector properties) {
        this.properties = properties;
    }

    /**
     * Names of the VM's networks ({@code network} property), by moref value, plus "dvpg-key:KEY"
     * for distributed port groups.
     */
    Map<String, String> of(XmlElement networks) {
        Map<String, String> names = new LinkedHashMap<>();
        if (networks == null || networks.children().isEmpty()) {
            return names;
        }
        List<ManagedObjectReference> refs =
                networks.children().stream().map(XmlElement::asMoref).toList();
        XmlElement spec =
                objectSet(
                        XmlElement.builder("specSet")
                                .add(
                                        "propSet",
                                        ps -> ps.add("type", "Network").add("pathSet", "name")),
                        refs);
        for (ObjectContent oc : properties.retrieve(spec)) {
            oc.text("name").ifPresent(n -> names.put(oc.obj().value(), n));
        }
        List<ManagedObjectReference> dvpgs =
                refs.stream().filter(r -> r.type().equals("DistributedVirtualPortgroup")).toList();
        if (!dvpgs.isEmpty()) {
            XmlElement dvSpec =
                    objectSet(
                            XmlElement.builder("specSet")
                                    .add(
                                            "propSet",
                                            ps ->
                                                    ps.add("type", "DistributedVirtualPortgroup")
                                                            .add("pathSet", "key")),
                            dvpgs);
            for (ObjectContent oc : properties.retrieve(dvSpec)) {
                String name = names.get(oc.obj().value());
                oc.text("key")
                        .ifPresent(
                                k -> {
                                    if (name != null) {
                                        names.put(DVPG_KEY + k.trim(), name);
                                    }
                                });
            }
        }
        return names;
    }

    /**
     * The network a NIC backing is attached to: a port group, a network, a device name or an opaque
     * network.
     */
    static Optional<String> nicNetwork(XmlElement backing, Map<String, String> networkNames) {
        Optional<String> portgroup =
                backing.child("port").flatMap(port -> port.childText("portgroupKey"));
        if (portgroup.isPresent()) {
            return Optional.of(
                    networkNames.getOrDefault(DVPG_KEY + portgroup.get(), portgroup.get()));
        }
        Optional<String> byRef =
                backing.childMoref("network").map(r -> networkNames.get(r.value()));
        if (byRef.isPresent()) {
            return byRef;
        }
        Optional<String> deviceName = backing.childText("deviceName").filter(s -> !s.isBlank());
        return deviceName.isPresent() ? deviceName : backing.childText("opaqueNetworkId");
    }

    private static XmlElement objectSet(XmlElement.Builder b, List<ManagedObjectReference> refs) {
        for (ManagedObjectReference r : refs) {
            b.add("objectSet", os -> os.add("obj", r));
        }
        return b.build();
    }
}
