package io.hypersdk.provider.vsphere.inventory;

import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.VsphereException;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.util.Map;
import java.util.Optional;

/** One object of a RetrievePropertiesEx answer: its properties ({@code val} elements) by path. */
record ObjectContent(
        ManagedObjectReference obj,
        Map<String, XmlElement> properties,
        Map<String, String> missing) {

    ObjectContent {
        properties = Map.copyOf(properties);
        missing = Map.copyOf(missing);
    }

    Optional<XmlElement> get(String path) {
        return Optional.ofNullable(properties.get(path));
    }

    Optional<String> text(String path) {
        return get(path).map(XmlElement::text);
    }

    static ObjectContent parse(XmlElement objects) {
        ManagedObjectReference obj =
                objects.childMoref("obj")
                        .orElseThrow(
                                () ->
                                        new VsphereException(
                                                "malformed RetrievePropertiesEx response: object without <obj>"));
        Map<String, XmlElement> props = new java.util.LinkedHashMap<>();
        for (XmlElement p : objects.all("propSet")) {
            String name =
                    p.childText("name")
                            .orElseThrow(
                                    () ->
                                            new VsphereException(
                                                    "malformed RetrievePropertiesEx response: property without <name>"));
            p.child("val").ifPresent(v -> props.put(name, v));
        }
        Map<String, String> missing = new java.util.LinkedHashMap<>();
        for (XmlElement m : objects.all("missingSet")) {
            String path = m.childText("path").orElse("");
            String fault =
                    m.child("fault")
                            .flatMap(f -> f.child("fault"))
                            .flatMap(XmlElement::xsiType)
                            .orElse("unknown");
            missing.put(path, fault);
        }
        return new ObjectContent(obj, props, missing);
    }
}
