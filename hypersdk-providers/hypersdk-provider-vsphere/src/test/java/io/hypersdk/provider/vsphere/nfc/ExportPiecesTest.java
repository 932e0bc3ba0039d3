package io.hypersdk.provider.vsphere.nfc;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.provider.vsphere.inventory.VirtualDiskInfo;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Small parts of the export: lease URLs, file names, disks by lease key, CD-ROM removal from the
 * OVF.
 */
class ExportPiecesTest {

    @Test
    void theStarHostOfALeaseUrlBecomesTheConnectionHost() {
        assertThat(NfcLease.resolveUrl("https://*/nfc/52a1/disk-0.vmdk", "vc.example.com:8443"))
                .isEqualTo(URI.create("https://vc.example.com:8443/nfc/52a1/disk-0.vmdk"));
        assertThat(NfcLease.resolveUrl("https://*:902/nfc/52a1/disk-0.vmdk", "vc.example.com:443"))
                .isEqualTo(URI.create("https://vc.example.com:902/nfc/52a1/disk-0.vmdk"));
        assertThat(
                        NfcLease.resolveUrl(
                                "https://esx1.example.com/nfc/52a1/disk-0.vmdk", "vc.example.com"))
                .isEqualTo(URI.create("https://esx1.example.com/nfc/52a1/disk-0.vmdk"));
    }

    @Test
    void unsafeLeaseFileNamesAreReplaced() {
        assertThat(NfcDownloads.safeLeaf("/nfc/x/disk-0.vmdk", 0)).isEqualTo("disk-0.vmdk");
        assertThat(NfcDownloads.safeLeaf("/nfc/x/..", 1)).isEqualTo("file-1.bin");
        assertThat(NfcDownloads.safeLeaf("/nfc/x/.hidden.vmdk", 2)).isEqualTo("file-2.vmdk");
        assertThat(NfcDownloads.safeLeaf("/nfc/x/", 3)).isEqualTo("file-3.bin");
    }

    @Test
    void leaseDeviceKeysMapToTheVmDisks() {
        VirtualDiskInfo d0 =
                new VirtualDiskInfo(
                        2000,
                        "Hard disk 1",
                        1,
                        Optional.empty(),
                        "ParaVirtualSCSIController",
                        0,
                        0);
        VirtualDiskInfo d1 =
                new VirtualDiskInfo(
                        2001,
                        "Hard disk 2",
                        1,
                        Optional.empty(),
                        "ParaVirtualSCSIController",
                        0,
                        1);
        NfcLease.DeviceUrl url =
                new NfcLease.DeviceUrl(
                        "/vm-57/ParaVirtualSCSIController0:1",
                        "",
                        URI.create("https://h/x"),
                        Optional.empty(),
                        true,
                        Optional.empty(),
                        OptionalLong.empty());
        assertThat(ExportManifests.diskFor(url, List.of(d0, d1))).contains(d1);
    }

    @Test
    void removingCdromsFromTheOvfKeepsEverythingElse() {
        String ovf =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\" xmlns:rasd=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData\">"
                        + "<VirtualSystem><VirtualHardwareSection>"
                        + "<Item><rasd:ElementName>Hard disk 1</rasd:ElementName><rasd:ResourceType>17</rasd:ResourceType></Item>"
                        + "<Item><rasd:ElementName>CD/DVD drive 1</rasd:ElementName><rasd:ResourceType>15</rasd:ResourceType></Item>"
                        + "<Item><rasd:ElementName>Network adapter 1</rasd:ElementName><rasd:ResourceType>10</rasd:ResourceType></Item>"
                        + "</VirtualHardwareSection></VirtualSystem></Envelope>";
        String out = OvfDescriptors.withoutCdroms(ovf);
        assertThat(out)
                .contains("Hard disk 1")
                .contains("Network adapter 1")
                .doesNotContain("CD/DVD drive 1");
        assertThat(out.split("<Item>", -1)).hasSize(3);
    }
}
