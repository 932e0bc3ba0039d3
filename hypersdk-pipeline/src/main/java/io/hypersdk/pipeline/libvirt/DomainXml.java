package io.hypersdk.pipeline.libvirt;

import java.io.StringWriter;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Renders a {@link DomainSpec} as libvirt domain XML with a real XML writer, so every value is
 * escaped. BIOS guests get machine {@code pc} with a {@code pci-root} controller (i440fx has no
 * PCIe root); UEFI guests get {@code q35}, {@code pcie-root}, the OVMF loader and an NVRAM
 * template, plus SMM when the firmware enforces Secure Boot. No emulator path is written (libvirt
 * picks the host's), video is {@code virtio}, graphics listen on 127.0.0.1 only.
 */
public final class DomainXml {
    private DomainXml() {}

    /**
     * The domain XML.
     *
     * @param spec what the domain is
     * @return the XML document
     */
    public static String render(DomainSpec spec) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
            Writer x = new Writer(w);
            boolean uefi = spec.uefi().isPresent();
            x.open("domain", "type", "kvm");
            x.text("name", spec.name());
            spec.uuid().ifPresent(u -> x.text("uuid", u));
            spec.title()
                    .map(DomainXml::oneLine)
                    .filter(t -> !t.isEmpty())
                    .ifPresent(t -> x.text("title", t));
            spec.description().map(DomainXml::xmlSafe).ifPresent(d -> x.text("description", d));
            x.text("memory", Long.toString(spec.memoryMib()), "unit", "MiB");
            x.text("currentMemory", Long.toString(spec.memoryMib()), "unit", "MiB");
            x.text("vcpu", Integer.toString(spec.vcpus()), "placement", "static");
            x.open("os");
            x.text("type", "hvm", "arch", "x86_64", "machine", uefi ? "q35" : "pc");
            if (uefi) {
                OvmfFirmware.Paths fw = spec.uefi().get();
                x.text(
                        "loader",
                        fw.code().toString(),
                        "readonly",
                        "yes",
                        "secure",
                        fw.secureBoot() ? "yes" : "no",
                        "type",
                        "pflash");
                x.empty("nvram", "template", fw.varsTemplate().toString());
            }
            x.close();
            x.open("features");
            x.empty("acpi");
            x.empty("apic");
            if (uefi && spec.uefi().get().secureBoot()) {
                x.empty("smm", "state", "on");
            }
            x.close();
            x.empty("clock", "offset", spec.localtimeClock() ? "localtime" : "utc");
            x.text("on_poweroff", "destroy");
            x.text("on_reboot", "restart");
            x.text("on_crash", "destroy");
            x.open("devices");
            x.empty(
                    "controller",
                    "type",
                    "pci",
                    "index",
                    "0",
                    "model",
                    uefi ? "pcie-root" : "pci-root");
            List<DomainSpec.Disk> disks = spec.disks();
            for (int i = 0; i < disks.size(); i++) {
                DomainSpec.Disk d = disks.get(i);
                if (d.source() instanceof DomainSpec.DiskSource.Volume v) {
                    x.open("disk", "type", "volume", "device", "disk");
                    x.empty("driver", "name", "qemu", "type", d.format());
                    x.empty("source", "pool", v.pool(), "volume", v.volume());
                } else {
                    DomainSpec.DiskSource.File f = (DomainSpec.DiskSource.File) d.source();
                    x.open("disk", "type", "file", "device", "disk");
                    x.empty("driver", "name", "qemu", "type", d.format());
                    x.empty("source", "file", f.path().toString());
                }
                x.empty("target", "dev", "vd" + driveLetters(i), "bus", "virtio");
                if (i == 0) {
                    x.empty("boot", "order", "1");
                }
                x.close();
            }
            for (DomainSpec.Nic n : spec.nics()) {
                if (n.source() instanceof DomainSpec.NicSource.Bridge b) {
                    x.open("interface", "type", "bridge");
                    n.mac().ifPresent(m -> x.empty("mac", "address", m));
                    x.empty("source", "bridge", b.bridge());
                } else {
                    DomainSpec.NicSource.Network net = (DomainSpec.NicSource.Network) n.source();
                    x.open("interface", "type", "network");
                    n.mac().ifPresent(m -> x.empty("mac", "address", m));
                    x.empty("source", "network", net.network());
                }
                x.empty("model", "type", "virtio");
                x.close();
            }
            x.open("serial", "type", "pty");
            x.empty("target", "port", "0");
            x.close();
            x.open("console", "type", "pty");
            x.empty("target", "type", "serial", "port", "0");
            x.close();
            x.open("channel", "type", "unix");
            x.empty("target", "type", "virtio", "name", "org.qemu.guest_agent.0");
            x.close();
            x.open("graphics", "type", "vnc", "port", "-1", "autoport", "yes");
            x.empty("listen", "type", "address", "address", "127.0.0.1");
            x.close();
            x.open("video");
            x.empty("model", "type", "virtio");
            x.close();
            x.empty("memballoon", "model", "virtio");
            x.open("rng", "model", "virtio");
            x.text("backend", "/dev/urandom", "model", "random");
            x.close();
            x.close(); // devices
            x.close(); // domain
            w.writeEndDocument();
            w.flush();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write domain XML: " + e.getMessage(), e);
        }
        return out.toString() + "\n";
    }

    /** vda, vdb, ..., vdz, vdaa, vdab, ... */
    static String driveLetters(int index) {
        StringBuilder s = new StringBuilder();
        int i = index;
        do {
            s.insert(0, (char) ('a' + i % 26));
            i = i / 26 - 1;
        } while (i >= 0);
        return s.toString();
    }

    /** Drops characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/F). */
    static String xmlSafe(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints()
                .forEach(
                        cp -> {
                            boolean ok =
                                    cp == 0x9
                                            || cp == 0xA
                                            || cp == 0xD
                                            || (cp >= 0x20 && cp <= 0xD7FF)
                                            || (cp >= 0xE000 && cp <= 0xFFFD)
                                            || (cp >= 0x10000 && cp <= 0x10FFFF);
                            out.appendCodePoint(ok ? cp : '?');
                        });
        return out.toString();
    }

    /** One line of XML-safe text (libvirt's title must not contain newlines). */
    static String oneLine(String s) {
        return xmlSafe(s).replaceAll("[\\t\\r\\n]+", " ").strip();
    }

    /** A tiny indenting front-end to {@link XMLStreamWriter}. */
    private static final class Writer {
        private final XMLStreamWriter w;
        private int depth;

        Writer(XMLStreamWriter w) {
            this.w = w;
        }

        private void indent() throws XMLStreamException {
            if (depth > 0) {
                w.writeCharacters("\n" + "  ".repeat(depth));
            }
        }

        private void attrs(String... kv) throws XMLStreamException {
            for (int i = 0; i + 1 < kv.length; i += 2) {
                w.writeAttribute(kv[0 + i], xmlSafe(kv[i + 1]));
            }
        }

        void open(String name, String... kv) {
            try {
                indent();
                w.writeStartElement(name);
                attrs(kv);
                depth++;
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }

        void close() {
            try {
                depth--;
                w.writeCharacters("\n" + "  ".repeat(depth));
                w.writeEndElement();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }

        void empty(String name, String... kv) {
            try {
                indent();
                w.writeEmptyElement(name);
                attrs(kv);
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }

        void text(String name, String text, String... kv) {
            try {
                indent();
                w.writeStartElement(name);
                attrs(kv);
                w.writeCharacters(xmlSafe(text));
                w.writeEndElement();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
