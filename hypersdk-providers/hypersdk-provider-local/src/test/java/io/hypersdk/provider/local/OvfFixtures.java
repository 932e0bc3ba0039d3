package io.hypersdk.provider.local;

import java.util.List;
import java.util.Optional;

/** Writes OVF descriptors for tests (the shape vSphere and ovftool produce). */
final class OvfFixtures {
    private OvfFixtures() {}

    record Disk(String file, long capacityMib, String label, String format) {}

    record Nic(Optional<String> mac, String network, String adapter) {}

    static String descriptor(
            String name,
            int cpu,
            long memoryMib,
            String firmware,
            List<Disk> disks,
            List<Nic> nics) {
        StringBuilder refs = new StringBuilder();
        StringBuilder diskSection = new StringBuilder();
        StringBuilder items = new StringBuilder();
        int instance = 10;
        items.append(item(1, "3", "<rasd:VirtualQuantity>" + cpu + "</rasd:VirtualQuantity>"));
        items.append(
                item(
                        2,
                        "4",
                        "<rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:VirtualQuantity>"
                                + memoryMib
                                + "</rasd:VirtualQuantity>"));
        items.append(
                item(
                        3,
                        "6",
                        "<rasd:Address>0</rasd:Address><rasd:ResourceSubType>lsilogic</rasd:ResourceSubType>"));
        for (int i = 0; i < disks.size(); i++) {
            Disk d = disks.get(i);
            refs.append("<File ovf:href=\"")
                    .append(xml(d.file()))
                    .append("\" ovf:id=\"file")
                    .append(i)
                    .append("\"/>\n");
            diskSection
                    .append("<Disk ovf:capacity=\"")
                    .append(d.capacityMib())
                    .append("\" ovf:capacityAllocationUnits=\"byte * 2^20\" ovf:diskId=\"vmdisk")
                    .append(i)
                    .append("\" ovf:fileRef=\"file")
                    .append(i)
                    .append("\" ovf:format=\"")
                    .append(xml(d.format()))
                    .append("\"/>\n");
            items.append(
                    item(
                            instance++,
                            "17",
                            "<rasd:AddressOnParent>"
                                    + i
                                    + "</rasd:AddressOnParent><rasd:ElementName>"
                                    + xml(d.label())
                                    + "</rasd:ElementName><rasd:HostResource>ovf:/disk/vmdisk"
                                    + i
                                    + "</rasd:HostResource><rasd:Parent>3</rasd:Parent>"));
        }
        for (int i = 0; i < nics.size(); i++) {
            Nic n = nics.get(i);
            items.append(
                    item(
                            instance++,
                            "10",
                            n.mac().map(m -> "<rasd:Address>" + m + "</rasd:Address>").orElse("")
                                    + "<rasd:Connection>"
                                    + xml(n.network())
                                    + "</rasd:Connection><rasd:ElementName>Network adapter "
                                    + (i + 1)
                                    + "</rasd:ElementName><rasd:ResourceSubType>"
                                    + xml(n.adapter())
                                    + "</rasd:ResourceSubType>"));
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\" xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/1\""
                + " xmlns:rasd=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData\""
                + " xmlns:vmw=\"http://www.vmware.com/schema/ovf\">\n"
                + "<References>\n"
                + refs
                + "</References>\n"
                + "<DiskSection><Info>disks</Info>\n"
                + diskSection
                + "</DiskSection>\n"
                + "<VirtualSystem ovf:id=\"vm\"><Info>A VM</Info><Name>"
                + xml(name)
                + "</Name>\n"
                + "<OperatingSystemSection ovf:id=\"101\" vmw:osType=\"ubuntu64Guest\"><Info>os</Info></OperatingSystemSection>\n"
                + "<VirtualHardwareSection><Info>hw</Info>\n"
                + items
                + (firmware == null
                        ? ""
                        : "<vmw:Config ovf:required=\"false\" vmw:key=\"firmware\" vmw:value=\""
                                + firmware
                                + "\"/>\n")
                + "</VirtualHardwareSection></VirtualSystem></Envelope>\n";
    }

    private static String item(int instance, String type, String body) {
        return "<Item><rasd:InstanceID>"
                + instance
                + "</rasd:InstanceID><rasd:ResourceType>"
                + type
                + "</rasd:ResourceType>"
                + body
                + "</Item>\n";
    }

    static String xml(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
