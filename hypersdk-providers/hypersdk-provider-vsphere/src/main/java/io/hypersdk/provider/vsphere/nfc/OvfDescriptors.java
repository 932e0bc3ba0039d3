package io.hypersdk.provider.vsphere.nfc;

import io.hypersdk.provider.vsphere.soap.VsphereException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLEventWriter;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.events.XMLEvent;

/** Edits of an OVF descriptor, streamed with StAX. */
final class OvfDescriptors {
    private static final String CD_DRIVE = "15";

    private OvfDescriptors() {}

    /**
     * The descriptor without its CD-ROM drives ({@code VirtualHardwareSection/Item} with {@code
     * rasd:ResourceType 15}); everything else is copied unchanged.
     */
    static String withoutCdroms(String ovf) {
        XMLInputFactory in = XMLInputFactory.newDefaultFactory();
        in.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        in.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        StringWriter sw = new StringWriter(ovf.length());
        try {
            XMLEventReader r = in.createXMLEventReader(new StringReader(ovf));
            XMLEventWriter w = XMLOutputFactory.newDefaultFactory().createXMLEventWriter(sw);
            List<XMLEvent> item = null;
            int depth = 0;
            boolean cdrom = false;
            String currentChild = null;
            while (r.hasNext()) {
                XMLEvent e = r.nextEvent();
                if (item == null
                        && e.isStartElement()
                        && e.asStartElement().getName().getLocalPart().equals("Item")) {
                    item = new ArrayList<>();
                    depth = 0;
                    cdrom = false;
                }
                if (item == null) {
                    w.add(e);
                    continue;
                }
                item.add(e);
                if (e.isStartElement()) {
                    depth++;
                    currentChild = e.asStartElement().getName().getLocalPart();
                } else if (e.isCharacters()
                        && "ResourceType".equals(currentChild)
                        && e.asCharacters().getData().trim().equals(CD_DRIVE)) {
                    cdrom = true;
                } else if (e.isEndElement()) {
                    depth--;
                    currentChild = null;
                    if (depth == 0) {
                        if (!cdrom) {
                            for (XMLEvent x : item) {
                                w.add(x);
                            }
                        }
                        item = null;
                    }
                }
            }
            w.flush();
            w.close();
        } catch (XMLStreamException ex) {
            throw new VsphereException(
                    "vSphere returned an OVF descriptor that is not well-formed XML: "
                            + ex.getMessage(),
                    ex);
        }
        return sw.toString();
    }
}
