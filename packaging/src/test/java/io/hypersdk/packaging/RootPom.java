package io.hypersdk.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * What the repository's root pom.xml declares about the project: its maintainer (the first of its
 * {@code <developers>}) and its licence (the first of its {@code <licenses>}, if any). The packages
 * must say the same.
 */
final class RootPom {
    /** The licence the packages name while the project declares none. */
    static final String UNDECLARED_LICENSE = "LicenseRef-hypersdk-undeclared";

    private final Element project;

    private RootPom(Element project) {
        this.project = project;
    }

    static RootPom read() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc =
                    f.newDocumentBuilder().parse(ShippedUnits.repo().resolve("pom.xml").toFile());
            return new RootPom(doc.getDocumentElement());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the root pom.xml does not parse", e);
        }
    }

    /** {@code Name <address>} of the first developer; fails when the pom names none. */
    String maintainer() {
        Element dev =
                child(project, "developers")
                        .flatMap(d -> child(d, "developer"))
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "the root pom.xml has no <developers>: the"
                                                        + " packages' maintainer comes from there"));
        return text(dev, "name") + " <" + text(dev, "email") + ">";
    }

    /** The name of the first declared licence, or {@link #UNDECLARED_LICENSE}. */
    String license() {
        return child(project, "licenses")
                .flatMap(l -> child(l, "license"))
                .map(l -> text(l, "name"))
                .orElse(UNDECLARED_LICENSE);
    }

    private static String text(Element parent, String name) {
        return child(parent, name)
                .map(e -> e.getTextContent().strip())
                .orElseThrow(() -> new AssertionError("root pom.xml: <" + name + "> is missing"));
    }

    private static Optional<Element> child(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
