package io.hypersdk.provider.aws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An OVA as a {@code CreateInstanceExportTask} with {@code ContainerFormat=ova} writes it, made
 * from a real image: a ustar archive holding {@code <task>.ovf} first, then {@code
 * <task>-disk-1.vmdk} (stream-optimized, made by {@code qemu-img convert}). AWS documents only the
 * object's key ({@code prefix + export-i-... + .ova}) and that the disk is a stream-optimized VMDK;
 * the member names and the OVF's content are this project's assumption (an OVF 1.0 envelope with
 * the instance type's vCPUs and memory, the disk and one adapter, no firmware setting, no {@code
 * .mf}). Public for the CLI's end-to-end tests.
 */
public final class ExportedOva {
    /** How the archive is built. */
    public enum Kind {
        /** What AWS writes (as assumed above). */
        AS_AWS_WRITES,
        /** The disk member is a symlink to {@code /etc/passwd}: a hostile archive. */
        DISK_IS_A_SYMLINK,
        /** A {@code .mf} whose SHA256 of the disk does not match: a corrupt archive. */
        WRONG_MF_DIGEST
    }

    private ExportedOva() {}

    /**
     * Writes {@code dir/<task>.ova} from {@code rawImage}.
     *
     * @param cpu the OVF's vCPUs
     * @param memoryMib the OVF's memory
     */
    public static Path make(Path rawImage, Path dir, String task, int cpu, int memoryMib, Kind kind)
            throws IOException, InterruptedException {
        Path work = Files.createDirectories(dir.resolve(task + "-" + kind.name().toLowerCase()));
        String disk = task + "-disk-1.vmdk";
        Path vmdk = work.resolve(disk);
        if (kind == Kind.DISK_IS_A_SYMLINK) {
            Files.createSymbolicLink(vmdk, Path.of("/etc/passwd"));
        } else {
            DiskImage.run(
                    "qemu-img",
                    "convert",
                    "-f",
                    "raw",
                    "-O",
                    "vmdk",
                    "-o",
                    "subformat=streamOptimized",
                    rawImage.toString(),
                    vmdk.toString());
        }
        long size = Files.isSymbolicLink(vmdk) ? 0 : Files.size(vmdk);
        long capacity = Files.size(rawImage);
        String ovf =
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1"
                    xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"
                    xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
                    xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"
                    xmlns:vmw="http://www.vmware.com/schema/ovf">
                  <References>
                    <File ovf:href="%1$s" ovf:id="file1" ovf:size="%2$d"/>
                  </References>
                  <DiskSection>
                    <Info>Virtual disk information</Info>
                    <Disk ovf:capacity="%3$d" ovf:capacityAllocationUnits="byte" ovf:diskId="vmdisk1"
                        ovf:fileRef="file1"
                        ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>
                  </DiskSection>
                  <NetworkSection>
                    <Info>The list of logical networks</Info>
                    <Network ovf:name="bridged"><Description>The bridged network</Description></Network>
                  </NetworkSection>
                  <VirtualSystem ovf:id="%4$s">
                    <Info>A virtual machine</Info>
                    <Name>%4$s</Name>
                    <OperatingSystemSection ovf:id="101" vmw:osType="otherLinux64Guest">
                      <Info>The kind of installed guest operating system</Info>
                    </OperatingSystemSection>
                    <VirtualHardwareSection>
                      <Info>Virtual hardware requirements</Info>
                      <System>
                        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
                        <vssd:InstanceID>0</vssd:InstanceID>
                        <vssd:VirtualSystemIdentifier>%4$s</vssd:VirtualSystemIdentifier>
                        <vssd:VirtualSystemType>vmx-10</vssd:VirtualSystemType>
                      </System>
                      <Item>
                        <rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits>
                        <rasd:ElementName>%5$d virtual CPU(s)</rasd:ElementName>
                        <rasd:InstanceID>1</rasd:InstanceID>
                        <rasd:ResourceType>3</rasd:ResourceType>
                        <rasd:VirtualQuantity>%5$d</rasd:VirtualQuantity>
                      </Item>
                      <Item>
                        <rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>
                        <rasd:ElementName>%6$dMB of memory</rasd:ElementName>
                        <rasd:InstanceID>2</rasd:InstanceID>
                        <rasd:ResourceType>4</rasd:ResourceType>
                        <rasd:VirtualQuantity>%6$d</rasd:VirtualQuantity>
                      </Item>
                      <Item>
                        <rasd:Address>0</rasd:Address>
                        <rasd:ElementName>SCSI Controller 0</rasd:ElementName>
                        <rasd:InstanceID>3</rasd:InstanceID>
                        <rasd:ResourceSubType>lsilogic</rasd:ResourceSubType>
                        <rasd:ResourceType>6</rasd:ResourceType>
                      </Item>
                      <Item>
                        <rasd:AddressOnParent>0</rasd:AddressOnParent>
                        <rasd:ElementName>Hard Disk 1</rasd:ElementName>
                        <rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource>
                        <rasd:InstanceID>4</rasd:InstanceID>
                        <rasd:Parent>3</rasd:Parent>
                        <rasd:ResourceType>17</rasd:ResourceType>
                      </Item>
                      <Item>
                        <rasd:AutomaticAllocation>true</rasd:AutomaticAllocation>
                        <rasd:Connection>bridged</rasd:Connection>
                        <rasd:ElementName>ethernet0</rasd:ElementName>
                        <rasd:InstanceID>5</rasd:InstanceID>
                        <rasd:ResourceSubType>E1000</rasd:ResourceSubType>
                        <rasd:ResourceType>10</rasd:ResourceType>
                      </Item>
                    </VirtualHardwareSection>
                  </VirtualSystem>
                </Envelope>
                """
                        .formatted(disk, size, capacity, task, cpu, memoryMib);
        Files.writeString(work.resolve(task + ".ovf"), ovf, StandardCharsets.UTF_8);
        List<String> members = new ArrayList<>(List.of(task + ".ovf"));
        if (kind == Kind.WRONG_MF_DIGEST) {
            String mf =
                    "SHA256("
                            + task
                            + ".ovf)= "
                            + sha256(work.resolve(task + ".ovf"))
                            + "\nSHA256("
                            + disk
                            + ")= "
                            + "0".repeat(64)
                            + "\n";
            Files.writeString(work.resolve(task + ".mf"), mf, StandardCharsets.UTF_8);
            members.add(task + ".mf");
        }
        members.add(disk);
        Path ova = dir.resolve(task + "-" + kind.name().toLowerCase() + ".ova");
        List<String> tar =
                new ArrayList<>(
                        List.of(
                                "tar",
                                "--format=ustar",
                                "--owner=0",
                                "--group=0",
                                "--numeric-owner",
                                "-C",
                                work.toString(),
                                "-cf",
                                ova.toString()));
        tar.addAll(members);
        DiskImage.run(tar.toArray(String[]::new));
        return ova;
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
