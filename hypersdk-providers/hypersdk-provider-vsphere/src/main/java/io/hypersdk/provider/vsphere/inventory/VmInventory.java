package io.hypersdk.provider.vsphere.inventory;

import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.PowerStates;
import io.hypersdk.provider.vsphere.soap.VimConnection;
import io.hypersdk.provider.vsphere.soap.VsphereException;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where VMs are in the inventory: every VM with its inventory path, a VM by inventory path, the
 * datacenter that holds an object.
 *
 * <p>Module-internal: public for {@code VimClient} and the export, which go through it.
 */
public final class VmInventory {
    private final VimConnection vim;
    private final PropertyCollector properties;

    public VmInventory(VimConnection vim, PropertyCollector properties) {
        this.vim = vim;
        this.properties = properties;
    }

    /**
     * Every VM (and template) of the inventory, in the server's order, each with its inventory path
     * ({@code /DC0/vm/folder/web-01}). Two retrievals in all, whatever the inventory's size: the
     * VMs, then every folder, datacenter and vApp with its name and parent.
     */
    public List<VmListing> listVirtualMachines() {
        List<ObjectContent> vms =
                properties.retrieveFromContainer(
                        "VirtualMachine",
                        List.of(
                                "name",
                                "parent",
                                "parentVApp",
                                "runtime.powerState",
                                "config.guestId",
                                "config.template",
                                "config.hardware.numCPU",
                                "config.hardware.memoryMB"));
        Map<ManagedObjectReference, ObjectContent> containers = new HashMap<>();
        if (!vms.isEmpty()) {
            for (ObjectContent oc :
                    properties.retrieveFromContainer(
                            Map.of(
                                    "Folder", List.of("name", "parent"),
                                    "Datacenter", List.of("name", "parent"),
                                    "VirtualApp", List.of("name", "parentFolder", "parentVApp")))) {
                containers.put(oc.obj(), oc);
            }
        }
        ManagedObjectReference root = vim.serviceContent().rootFolder();
        List<VmListing> out = new ArrayList<>();
        for (ObjectContent oc : vms) {
            String name = oc.text("name").orElse(oc.obj().value());
            out.add(
                    new VmListing(
                            oc.obj(),
                            name,
                            InventoryPaths.pathOf(name, oc, containers, root),
                            oc.text("runtime.powerState").flatMap(PowerStates::parse),
                            oc.text("config.guestId"),
                            oc.text("config.template")
                                    .map(s -> Boolean.parseBoolean(s.trim()))
                                    .orElse(false),
                            oc.text("config.hardware.numCPU")
                                    .map(s -> Integer.parseInt(s.trim()))
                                    .orElse(0),
                            oc.text("config.hardware.memoryMB")
                                    .map(s -> Long.parseLong(s.trim()))
                                    .orElse(0L)));
        }
        return out;
    }

    /**
     * {@code SearchIndex.FindByInventoryPath}, e.g. {@code DC0/vm/DC0_H0_VM0} (a leading slash is
     * allowed). Empty when nothing has that path.
     */
    public Optional<ManagedObjectReference> findByInventoryPath(String inventoryPath) {
        Objects.requireNonNull(inventoryPath, "inventoryPath");
        String path = inventoryPath.startsWith("/") ? inventoryPath.substring(1) : inventoryPath;
        ManagedObjectReference searchIndex =
                vim.serviceContent()
                        .searchIndex()
                        .orElseThrow(
                                () ->
                                        new VsphereException(
                                                "vSphere at "
                                                        + vim.hostPort()
                                                        + " has no SearchIndex; cannot find "
                                                        + inventoryPath));
        XmlElement resp =
                vim.invoke(
                        "FindByInventoryPath", searchIndex, XmlElement.text("inventoryPath", path));
        return resp.child("returnval").filter(r -> !r.text().isBlank()).map(XmlElement::asMoref);
    }

    /**
     * The name of the datacenter that holds {@code entity} (walking up its parents); empty when it
     * is not below a datacenter (an ESX host has one named {@code ha-datacenter}).
     */
    public Optional<String> datacenterName(ManagedObjectReference entity) {
        ManagedObjectReference current = entity;
        for (int depth = 0; depth < 64; depth++) {
            Map<String, XmlElement> p = properties.properties(current, List.of("name", "parent"));
            if (current.type().equals("Datacenter")) {
                return Optional.ofNullable(p.get("name")).map(XmlElement::text);
            }
            Optional<ManagedObjectReference> parent =
                    Optional.ofNullable(p.get("parent")).map(XmlElement::asMoref);
            if (parent.isEmpty()) {
                return Optional.empty();
            }
            current = parent.get();
        }
        return Optional.empty();
    }
}
