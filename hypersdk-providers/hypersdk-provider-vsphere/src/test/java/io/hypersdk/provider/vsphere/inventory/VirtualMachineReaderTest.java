package io.hypersdk.provider.vsphere.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.manifest.Firmware;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** VM mapping that needs no server: vSphere's firmware names. */
class VirtualMachineReaderTest {

    @Test
    void vsphereFirmwareIsNormalised() {
        assertThat(VirtualMachineReader.firmware(Optional.of("efi"))).isEqualTo(Firmware.UEFI);
        assertThat(VirtualMachineReader.firmware(Optional.of("bios"))).isEqualTo(Firmware.BIOS);
        assertThat(VirtualMachineReader.firmware(Optional.empty())).isEqualTo(Firmware.BIOS);
        assertThat(VirtualMachineReader.firmware(Optional.of("coreboot")))
                .isEqualTo(Firmware.UNKNOWN);
    }
}
