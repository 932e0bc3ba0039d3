package io.hypersdk.provider.vsphere.soap;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes vim25 SOAP request envelopes and parses response envelopes, with StAX.
 *
 * <p>Text is escaped by the writer ({@code < > &}, and carriage returns as {@code &#13;} so they
 * survive parsing); characters XML 1.0 cannot carry (NUL, most C0 controls, lone surrogates,
 * U+FFFE/U+FFFF) are rejected with an {@link IllegalArgumentException} naming the element. The
 * parser refuses DTDs and external entities, so a hostile server cannot expand entities.
 */
final class SoapCodec {
    static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String VIM25 = "urn:vim25";
    static final String XSI = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;
    static final String XSD = XMLConstants.W3C_XML_SCHEMA_NS_URI;

    /** Deepest element nesting accepted in a response (vim25 answers nest about 15 deep). */
    static final int MAX_DEPTH = 200;

    /** Largest response accepted, in bytes. */
    static final long MAX_RESPONSE_BYTES = 512L * 1024 * 1024;

    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newDefaultFactory();
    private static final XMLInputFactory INPUT = newInputFactory();

    private SoapCodec() {}

    private static XMLInputFactory newInputFactory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /**
     * The request envelope for {@code <method xmlns="urn:vim25"><_this
     * type=..>..</_this>params</method>}.
     */
    static byte[] writeRequest(
            String method, ManagedObjectReference target, List<XmlElement> params) {
        List<XmlElement> children = new ArrayList<>(params.size() + 1);
        children.add(XmlElement.moref("_this", target));
        children.addAll(params);
        return writeEnvelope(new XmlElement(method, Optional.empty(), Map.of(), "", children));
    }

    /** An envelope whose body holds exactly {@code body} (in the urn:vim25 namespace). */
    static byte[] writeEnvelope(XmlElement body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            XMLStreamWriter w = OUTPUT.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("soapenv", "Envelope", SOAP_ENV);
            w.writeNamespace("soapenv", SOAP_ENV);
            w.writeNamespace("xsd", XSD);
            w.writeNamespace("xsi", XSI);
            w.writeStartElement("soapenv", "Body", SOAP_ENV);
            w.writeStartElement("", body.name(), VIM25);
            w.writeDefaultNamespace(VIM25);
            writeContent(w, body);
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(
                    "cannot write SOAP request " + body.name() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static void writeElement(XMLStreamWriter w, XmlElement e) throws XMLStreamException {
        checkName(e.name());
        w.writeStartElement(VIM25, e.name());
        writeContent(w, e);
        w.writeEndElement();
    }

    private static void writeContent(XMLStreamWriter w, XmlElement e) throws XMLStreamException {
        if (e.xsiType().isPresent()) {
            checkName(e.xsiType().get());
            w.writeAttribute("xsi", XSI, "type", e.xsiType().get());
        }
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
            checkName(a.getKey());
            checkAttributeValue(e.name(), a.getKey(), a.getValue());
            w.writeAttribute(a.getKey(), a.getValue());
        }
        if (!e.children().isEmpty()) {
            for (XmlElement c : e.children()) {
                writeElement(w, c);
            }
        } else {
            writeText(w, e.name(), e.text());
        }
    }

    private static void writeText(XMLStreamWriter w, String element, String text)
            throws XMLStreamException {
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                if (i > start) {
                    w.writeCharacters(text.substring(start, i));
                }
                w.writeEntityRef("#13");
                start = i + 1;
            } else if (!isXmlChar(text, i)) {
                throw new IllegalArgumentException(
                        String.format(
                                "text of <%s> contains U+%04X at index %d, which XML cannot carry; remove it",
                                element, (int) c, i));
            } else if (Character.isHighSurrogate(c)) {
                i++; // the pair was checked by isXmlChar
            }
        }
        if (text.length() > start) {
            w.writeCharacters(text.substring(start));
        }
    }

    /** Whether the char (or surrogate pair) at {@code i} is allowed by XML 1.0. */
    private static boolean isXmlChar(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return false;
        }
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xFFFD);
    }

    private static void checkAttributeValue(String element, String key, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || !isXmlChar(value, i)) {
                throw new IllegalArgumentException(
                        String.format(
                                "attribute %s of <%s> contains U+%04X; attribute values must be printable",
                                key, element, (int) c));
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
    }

    private static void checkName(String name) {
        if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
            throw new IllegalArgumentException("not a valid XML element name: \"" + name + "\"");
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                throw new IllegalArgumentException(
                        "not a valid XML element name: \"" + name + "\"");
            }
        }
    }

    /**
     * Parses a response envelope. Returns the body's first element (e.g. {@code
     * <RetrievePropertiesExResponse>}); a SOAP fault becomes a {@link VimFaultException}.
     *
     * @param method the vim25 method the response belongs to (for error messages)
     */
    static XmlElement parseResponse(InputStream in, String method) {
        XmlElement envelope;
        try {
            XMLStreamReader r =
                    INPUT.createXMLStreamReader(
                            new BoundedInputStream(in, MAX_RESPONSE_BYTES, method));
            try {
                while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
                    if (r.getEventType() == XMLStreamConstants.DTD) {
                        throw new VsphereException(
                                "malformed vSphere response to "
                                        + method
                                        + ": a document type declaration is not allowed in SOAP");
                    }
                }
                if (r.getEventType() != XMLStreamConstants.START_ELEMENT) {
                    throw new VsphereException(
                            "malformed vSphere response to " + method + ": empty document");
                }
                envelope = readElement(r, 1);
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new VsphereException(
                    "malformed vSphere response to " + method + ": " + e.getMessage(), e);
        }
        if (!envelope.name().equals("Envelope")) {
            throw new VsphereException(
                    "malformed vSphere response to "
                            + method
                            + ": expected a SOAP Envelope, got <"
                            + envelope.name()
                            + ">; is the URL a vSphere /sdk endpoint?");
        }
        XmlElement body =
                envelope.child("Body")
                        .orElseThrow(
                                () ->
                                        new VsphereException(
                                                "malformed vSphere response to "
                                                        + method
                                                        + ": SOAP envelope without Body"));
        if (body.children().isEmpty()) {
            throw new VsphereException(
                    "malformed vSphere response to " + method + ": empty SOAP Body");
        }
        XmlElement first = body.children().get(0);
        if (first.name().equals("Fault")) {
            throw fault(method, first);
        }
        return first;
    }

    private static VimFaultException fault(String method, XmlElement fault) {
        String message = fault.childText("faultstring").orElse("").strip();
        Optional<XmlElement> detail =
                fault.child("detail").flatMap(d -> d.children().stream().findFirst());
        String name =
                detail.map(d -> d.xsiType().orElseGet(() -> stripSuffix(d.name(), "Fault")))
                        .orElseGet(
                                () ->
                                        fault.childText("faultcode")
                                                .map(SoapCodec::localPart)
                                                .orElse("SOAPFault"));
        return VimFaultException.of(method, name, message, detail);
    }

    private static String stripSuffix(String s, String suffix) {
        return s.endsWith(suffix) && s.length() > suffix.length()
                ? s.substring(0, s.length() - suffix.length())
                : s;
    }

    static String localPart(String qname) {
        int colon = qname.indexOf(':');
        return colon < 0 ? qname.trim() : qname.substring(colon + 1).trim();
    }

    /** Reads the element the reader is positioned on (START_ELEMENT) up to its END_ELEMENT. */
    private static XmlElement readElement(XMLStreamReader r, int depth) throws XMLStreamException {
        String name = r.getLocalName();
        if (depth > MAX_DEPTH) {
            throw new XMLStreamException("elements nest deeper than " + MAX_DEPTH + " levels");
        }
        String xsiType = null;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String ns = r.getAttributeNamespace(i);
            String local = r.getAttributeLocalName(i);
            if (XSI.equals(ns) && local.equals("type")) {
                xsiType = localPart(r.getAttributeValue(i));
            } else if (ns == null || ns.isEmpty()) {
                attributes.put(local, r.getAttributeValue(i));
            }
        }
        StringBuilder text = new StringBuilder();
        List<XmlElement> children = new ArrayList<>();
        while (true) {
            int event = r.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT:
                    children.add(readElement(r, depth + 1));
                    break;
                case XMLStreamConstants.CHARACTERS:
                case XMLStreamConstants.CDATA:
                case XMLStreamConstants.SPACE:
                    text.append(r.getText());
                    break;
                case XMLStreamConstants.ENTITY_REFERENCE:
                    throw new XMLStreamException(
                            "undeclared entity &" + r.getLocalName() + "; is not allowed");
                case XMLStreamConstants.DTD:
                    throw new XMLStreamException("a document type declaration is not allowed");
                case XMLStreamConstants.END_ELEMENT:
                    String t = children.isEmpty() ? text.toString() : "";
                    return new XmlElement(
                            name, Optional.ofNullable(xsiType), attributes, t, children);
                case XMLStreamConstants.END_DOCUMENT:
                    throw new XMLStreamException("document ended inside <" + name + ">");
                default:
                    break; // comments, processing instructions
            }
        }
    }

    /** Fails the read once more than {@code limit} bytes came in. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private final long limit;
        private final String method;
        private long count;

        BoundedInputStream(InputStream in, long limit, String method) {
            super(in);
            this.limit = limit;
            this.method = method;
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws java.io.IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > limit) {
                throw new VsphereException(
                        "vSphere response to "
                                + method
                                + " is larger than "
                                + (limit >> 20)
                                + " MiB; refusing it (narrow the query)");
            }
        }
    }
}
