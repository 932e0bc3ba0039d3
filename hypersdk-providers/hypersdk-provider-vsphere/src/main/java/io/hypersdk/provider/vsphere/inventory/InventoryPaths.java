package io.hypersdk.provider.vsphere.inventory;

import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Inventory paths ({@code /DC0/vm/folder/web-01}) from the names and parents of folders,
 * datacenters and vApps.
 */
final class InventoryPaths {
    private InventoryPaths() {}

    /**
     * The path of a VM named {@code name} from its parents; empty when the chain does not reach the
     * root.
     */
    static Optional<String> pathOf(
            String name,
            ObjectContent vm,
            Map<ManagedObjectReference, ObjectContent> containers,
            ManagedObjectReference root) {
        List<String> names = new ArrayList<>(List.of(name));
        Optional<ManagedObjectReference> parent = parentOf(vm);
        for (int depth = 0; depth < 256 && parent.isPresent(); depth++) {
            if (parent.get().equals(root)) {
                Collections.reverse(names);
                return Optional.of("/" + String.join("/", names));
            }
            ObjectContent c = containers.get(parent.get());
            if (c == null || c.text("name").isEmpty()) {
                return Optional.empty();
            }
            names.add(c.text("name").get());
            parent = parentOf(c);
        }
        return Optional.empty();
    }

    /**
     * The inventory parent: a folder ({@code parent}, or a vApp's {@code parentFolder}), else the
     * vApp.
     */
    private static Optional<ManagedObjectReference> parentOf(ObjectContent o) {
        for (String p : List.of("parentFolder", "parent", "parentVApp")) {
            Optional<XmlElement> v = o.get(p);
            if (v.isPresent() && !(o.obj().type().equals("VirtualApp") && p.equals("parent"))) {
                return Optional.of(v.get().asMoref());
            }
        }
        return Optional.empty();
    }
}
