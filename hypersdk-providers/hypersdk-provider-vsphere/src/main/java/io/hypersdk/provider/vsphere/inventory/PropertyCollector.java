package io.hypersdk.provider.vsphere.inventory;

import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.ServiceContent;
import io.hypersdk.provider.vsphere.soap.VimConnection;
import io.hypersdk.provider.vsphere.soap.VsphereException;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads properties through the {@code PropertyCollector}: {@code RetrievePropertiesEx} pages of
 * {@code pageSize} objects, followed with {@code ContinueRetrievePropertiesEx} until the server
 * sends no more tokens, for one object or for every object of some types below the root folder
 * (through a {@code ContainerView}).
 *
 * <p>Module-internal: public because the power tasks and the NFC lease read properties too.
 */
public final class PropertyCollector {
    private static final Logger LOG = LoggerFactory.getLogger(PropertyCollector.class);

    private final VimConnection vim;
    private final int pageSize;

    /** Reads through {@code vim}, {@code pageSize} objects per page ({@code maxObjects}). */
    public PropertyCollector(VimConnection vim, int pageSize) {
        this.vim = vim;
        this.pageSize = pageSize;
    }

    /** Every object of every page of a retrieval. */
    List<ObjectContent> retrieve(XmlElement specSet) {
        ManagedObjectReference pc = vim.serviceContent().propertyCollector();
        XmlElement options =
                XmlElement.builder("options").add("maxObjects", Integer.toString(pageSize)).build();
        XmlElement resp = vim.invoke("RetrievePropertiesEx", pc, specSet, options);
        List<ObjectContent> out = new ArrayList<>();
        Optional<XmlElement> result = resp.child("returnval");
        int pages = 1;
        while (result.isPresent()) {
            for (XmlElement o : result.get().all("objects")) {
                out.add(ObjectContent.parse(o));
            }
            Optional<String> token =
                    result.get().childText("token").map(String::trim).filter(t -> !t.isEmpty());
            if (token.isEmpty()) {
                break;
            }
            if (++pages > 100_000) {
                throw new VsphereException(
                        "vSphere property paging at "
                                + vim.hostPort()
                                + " did not end after 100000 pages");
            }
            resp =
                    vim.invoke(
                            "ContinueRetrievePropertiesEx",
                            pc,
                            XmlElement.text("token", token.get()));
            result = resp.child("returnval");
        }
        return out;
    }

    /** The given properties of one object; absent properties are missing from the map. */
    public Map<String, XmlElement> properties(ManagedObjectReference obj, List<String> paths) {
        XmlElement spec =
                XmlElement.builder("specSet")
                        .add(
                                "propSet",
                                ps -> {
                                    ps.add("type", obj.type());
                                    paths.forEach(p -> ps.add("pathSet", p));
                                })
                        .add("objectSet", os -> os.add("obj", obj))
                        .build();
        for (ObjectContent oc : retrieve(spec)) {
            if (oc.obj().equals(obj)) {
                return oc.properties();
            }
        }
        return Map.of();
    }

    /** One property of one object, as text. */
    public Optional<String> text(ManagedObjectReference obj, String path) {
        return Optional.ofNullable(properties(obj, List.of(path)).get(path)).map(XmlElement::text);
    }

    /**
     * Objects of {@code type} below the root folder, with the given properties, via a
     * ContainerView.
     */
    List<ObjectContent> retrieveFromContainer(String type, List<String> paths) {
        return retrieveFromContainer(Map.of(type, paths));
    }

    /**
     * Objects of every type in {@code pathsByType} below the root folder, each with the properties
     * listed for its type, through one ContainerView and one (paged) retrieval.
     */
    List<ObjectContent> retrieveFromContainer(Map<String, List<String>> pathsByType) {
        ServiceContent sc = vim.serviceContent();
        ManagedObjectReference viewManager =
                sc.viewManager()
                        .orElseThrow(
                                () ->
                                        new VsphereException(
                                                "vSphere at "
                                                        + vim.hostPort()
                                                        + " has no ViewManager; cannot list "
                                                        + pathsByType.keySet()));
        List<String> types = new ArrayList<>(new TreeSet<>(pathsByType.keySet()));
        XmlElement[] params = new XmlElement[types.size() + 2];
        params[0] = XmlElement.moref("container", sc.rootFolder());
        for (int i = 0; i < types.size(); i++) {
            params[i + 1] = XmlElement.text("type", types.get(i));
        }
        params[params.length - 1] = XmlElement.text("recursive", "true");
        XmlElement created = vim.invoke("CreateContainerView", viewManager, params);
        ManagedObjectReference view =
                VimConnection.returnval(created, "CreateContainerView").asMoref();
        try {
            XmlElement.Builder specBuilder = XmlElement.builder("specSet");
            for (String type : types) {
                specBuilder.add(
                        "propSet",
                        ps -> {
                            ps.add("type", type);
                            pathsByType.get(type).forEach(p -> ps.add("pathSet", p));
                        });
            }
            XmlElement spec =
                    specBuilder
                            .add(
                                    "objectSet",
                                    os ->
                                            os.add("obj", view)
                                                    .add("skip", "true")
                                                    .addTyped(
                                                            "selectSet",
                                                            "TraversalSpec",
                                                            ts ->
                                                                    ts.add("name", "traverseView")
                                                                            .add(
                                                                                    "type",
                                                                                    "ContainerView")
                                                                            .add("path", "view")
                                                                            .add("skip", "false")))
                            .build();
            return retrieve(spec);
        } finally {
            try {
                vim.invoke("DestroyView", view);
            } catch (RuntimeException e) {
                LOG.debug("DestroyView {} failed: {}", view, e.getMessage());
            }
        }
    }
}
