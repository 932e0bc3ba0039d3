package io.hypersdk.provider.vsphere.soap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One element of a vim25 SOAP body: a name, an optional {@code xsi:type} (local part), plain
 * attributes (only {@code type} of a managed object reference in practice), and either text or
 * child elements. Requests are built from it and responses are parsed into it.
 *
 * <p>Module-internal: public so that the module's other packages can build requests and read
 * responses; not part of the provider's API.
 */
public record XmlElement(
        String name,
        Optional<String> xsiType,
        Map<String, String> attributes,
        String text,
        List<XmlElement> children) {

    public XmlElement {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("XML element name must not be empty");
        }
        xsiType = xsiType == null ? Optional.empty() : xsiType;
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
        text = text == null ? "" : text;
        children = List.copyOf(children == null ? List.of() : children);
    }

    public static XmlElement text(String name, String text) {
        return new XmlElement(name, Optional.empty(), Map.of(), text, List.of());
    }

    public static XmlElement moref(String name, ManagedObjectReference ref) {
        return new XmlElement(
                name, Optional.empty(), Map.of("type", ref.type()), ref.value(), List.of());
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** First child with this name. */
    public Optional<XmlElement> child(String childName) {
        for (XmlElement c : children) {
            if (c.name.equals(childName)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** All children with this name, in document order. */
    public List<XmlElement> all(String childName) {
        List<XmlElement> out = new ArrayList<>();
        for (XmlElement c : children) {
            if (c.name.equals(childName)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Text of the first child with this name. */
    public Optional<String> childText(String childName) {
        return child(childName).map(XmlElement::text);
    }

    public Optional<Long> childLong(String childName) {
        return childText(childName)
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Long::parseLong);
    }

    public Optional<Integer> childInt(String childName) {
        return childText(childName)
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Integer::parseInt);
    }

    public boolean childBoolean(String childName) {
        return childText(childName).map(String::trim).map(Boolean::parseBoolean).orElse(false);
    }

    /** This element read as a managed object reference ({@code <x type="T">value</x>}). */
    public ManagedObjectReference asMoref() {
        String type = attributes.get("type");
        if (type == null) {
            throw new VsphereException(
                    "malformed vSphere response: <"
                            + name
                            + "> is not a managed object reference (no type attribute)");
        }
        return new ManagedObjectReference(type, text.trim());
    }

    public Optional<ManagedObjectReference> childMoref(String childName) {
        return child(childName).map(XmlElement::asMoref);
    }

    /** Builder for request bodies. */
    public static final class Builder {
        private final String name;
        private String xsiType;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private String text = "";
        private final List<XmlElement> children = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder type(String type) {
            this.xsiType = type;
            return this;
        }

        public Builder attribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }

        public Builder text(String value) {
            this.text = value;
            return this;
        }

        public Builder add(XmlElement child) {
            children.add(child);
            return this;
        }

        public Builder add(String childName, String childText) {
            return add(XmlElement.text(childName, childText));
        }

        public Builder add(String childName, ManagedObjectReference ref) {
            return add(XmlElement.moref(childName, ref));
        }

        public Builder add(String childName, Consumer<Builder> body) {
            Builder b = new Builder(childName);
            body.accept(b);
            return add(b.build());
        }

        public Builder addTyped(String childName, String type, Consumer<Builder> body) {
            Builder b = new Builder(childName).type(type);
            body.accept(b);
            return add(b.build());
        }

        public XmlElement build() {
            return new XmlElement(name, Optional.ofNullable(xsiType), attributes, text, children);
        }
    }
}
