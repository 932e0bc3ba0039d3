package io.hypersdk.provider.local;

import io.hypersdk.provider.spi.InvalidSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A small element tree read with StAX (no DTDs, no external entities), addressed by local names so
 * that OVF files from different tools (prefixes, OVF 1.x and 2.x namespaces) read alike.
 */
final class XmlTree {

    private static final int MAX_ELEMENTS = 200_000;
    private static final int MAX_BYTES = 16 << 20;
    private static final Pattern ENCODING =
            Pattern.compile("encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");

    final String name;
    final Map<String, String> attributes;
    final List<XmlTree> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    private XmlTree(String name, Map<String, String> attributes) {
        this.name = name;
        this.attributes = attributes;
    }

    /** An attribute by local name (the first one when several namespaces use it). */
    Optional<String> attr(String localName) {
        return Optional.ofNullable(attributes.get(localName));
    }

    String text() {
        return text.toString().trim();
    }

    List<XmlTree> children(String localName) {
        return children.stream().filter(c -> c.name.equals(localName)).toList();
    }

    Optional<XmlTree> child(String localName) {
        return children.stream().filter(c -> c.name.equals(localName)).findFirst();
    }

    /** The trimmed text of the first child with this local name, when present and not empty. */
    Optional<String> childText(String localName) {
        return child(localName).map(XmlTree::text).filter(s -> !s.isEmpty());
    }

    /**
     * Parses {@code in}.
     *
     * @param source what to call the input in errors (a file name)
     * @throws InvalidSourceException naming the source, line and column when it is not well-formed
     *     XML
     */
    static XmlTree parse(InputStream in, String source) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new InvalidSourceException("cannot read " + source + ": " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw new InvalidSourceException(
                    source + " is larger than 16 MiB; it is not an OVF descriptor");
        }
        return parse(decode(bytes, source), source);
    }

    /**
     * Decodes strictly (the JDK's parser would print encoding errors to stderr): a BOM or the
     * prolog's {@code encoding} decides, UTF-8 otherwise.
     */
    private static String decode(byte[] bytes, String source) {
        Charset cs = StandardCharsets.UTF_8;
        int skip = 0;
        if (bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf) {
            skip = 3;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff) {
            cs = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe) {
            cs = StandardCharsets.UTF_16LE;
            skip = 2;
        } else {
            String head =
                    new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1);
            Matcher m = ENCODING.matcher(head);
            if (head.startsWith("<?xml") && m.find()) {
                try {
                    cs = Charset.forName(m.group(1));
                } catch (IllegalArgumentException e) {
                    throw new InvalidSourceException(
                            source
                                    + " declares encoding '"
                                    + m.group(1)
                                    + "', which this JVM does not know");
                }
            }
        }
        try {
            return cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, skip, bytes.length - skip))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidSourceException(
                    source
                            + " is not valid "
                            + cs.name()
                            + " text; check that the file is a complete OVF descriptor");
        }
    }

    private static XmlTree parse(String text, String source) {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        XMLStreamReader r = null;
        try {
            r = f.createXMLStreamReader(new StringReader(text));
            List<XmlTree> stack = new ArrayList<>();
            XmlTree root = null;
            int count = 0;
            while (r.hasNext()) {
                int ev = r.next();
                switch (ev) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++count > MAX_ELEMENTS) {
                            throw new InvalidSourceException(
                                    source
                                            + " has more than "
                                            + MAX_ELEMENTS
                                            + " XML elements; it is not an OVF descriptor");
                        }
                        Map<String, String> attrs = new LinkedHashMap<>();
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            attrs.putIfAbsent(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                        XmlTree node = new XmlTree(r.getLocalName(), attrs);
                        if (stack.isEmpty()) {
                            root = node;
                        } else {
                            stack.get(stack.size() - 1).children.add(node);
                        }
                        stack.add(node);
                    }
                    case XMLStreamConstants.END_ELEMENT -> stack.remove(stack.size() - 1);
                    case XMLStreamConstants.CHARACTERS,
                            XMLStreamConstants.CDATA,
                            XMLStreamConstants.SPACE -> {
                        if (!stack.isEmpty()) {
                            XmlTree top = stack.get(stack.size() - 1);
                            if (top.text.length() < 1 << 20) {
                                top.text.append(r.getText());
                            }
                        }
                    }
                    case XMLStreamConstants.DTD ->
                            throw new InvalidSourceException(
                                    source
                                            + " contains a DTD, which OVF descriptors never need; remove the <!DOCTYPE> declaration");
                    default -> {}
                }
            }
            if (root == null) {
                throw new InvalidSourceException(
                        source
                                + " is empty: it holds no XML element; give a complete OVF descriptor");
            }
            return root;
        } catch (XMLStreamException e) {
            String where =
                    e.getLocation() != null
                            ? " at line "
                                    + e.getLocation().getLineNumber()
                                    + ", column "
                                    + e.getLocation().getColumnNumber()
                            : "";
            String msg =
                    e.getMessage() == null
                            ? ""
                            : e.getMessage()
                                    .replaceAll("\\s+", " ")
                                    .replaceFirst(
                                            "^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\] Message: ",
                                            "");
            throw new InvalidSourceException(
                    source
                            + " is not well-formed XML"
                            + where
                            + ": "
                            + msg
                            + "; check that the file is a complete OVF descriptor",
                    e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException e) {
                    // nothing left to read
                }
            }
        }
    }
}
