package io.hypersdk.provider.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.PowerState;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Reading the scripts' JSON: PowerShell 5.1 numbers and PowerShell 7 names, arrays and unwrapped
 * singletons.
 */
class HypervInventoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void powerShell7StringEnumsAndASingleUnwrappedDriveAreReadLike51Numbers() throws Exception {
        // PowerShell 7 with -EnumsAsStrings, ISO dates, and ConvertTo-Json of a single drive
        // without @()
        String ps7 =
                """
        {"VM":{"Name":"gen1","Id":"6f1c","State":"Running","Generation":1,"ProcessorCount":4,
               "MemoryStartup":1073741824,"DynamicMemoryEnabled":false,"CreationTime":"2026-01-02T03:04:05+00:00"},
         "HardDrives":{"ControllerType":"IDE","ControllerNumber":0,"ControllerLocation":1,"Path":"C:\\\\VMs\\\\a.vhd"},
         "Vhds":{"Path":"C:\\\\VMs\\\\a.vhd","VhdFormat":"VHD","VhdType":"Dynamic","FileSize":4096,"Size":1048576},
         "NetworkAdapters":{"Name":"nic","MacAddress":"000000000000","SwitchName":""},
         "Firmware":null}
        """;
        HypervVm vm = HypervInventory.describe(JSON.readTree(ps7));
        assertThat(vm.power()).isEqualTo(PowerState.ON);
        assertThat(vm.generation()).isEqualTo(1);
        assertThat(vm.secureBoot()).isFalse();
        assertThat(vm.dynamicMemory()).isEmpty();
        assertThat(vm.disks())
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.controller()).isEqualTo("IDE");
                            assertThat(d.format()).isEqualTo("vhd");
                            assertThat(d.fileSizeBytes()).isEqualTo(4096);
                            assertThat(d.capacityBytes()).isEqualTo(1048576);
                            assertThat(d.fileName()).isEqualTo("a.vhd");
                        });
        assertThat(vm.nics())
                .singleElement()
                .satisfies(
                        n -> {
                            assertThat(n.mac()).as("an unassigned dynamic MAC").isEmpty();
                            assertThat(n.switchName()).isEmpty();
                        });
    }

    @Test
    void anAnswerWithoutAVmIsAnInvalidSourceNamingTheCause() throws Exception {
        assertThatThrownBy(() -> HypervInventory.describe(JSON.readTree("{\"error\":1}")))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("no VM object");
    }

    @Test
    void vmStateNumbersMapToPowerStates() throws Exception {
        assertThat(HypervInventory.power(JSON.readTree("2"))).isEqualTo(PowerState.ON);
        assertThat(HypervInventory.power(JSON.readTree("3"))).isEqualTo(PowerState.OFF);
        assertThat(HypervInventory.power(JSON.readTree("6"))).isEqualTo(PowerState.SUSPENDED);
        assertThat(HypervInventory.power(JSON.readTree("9"))).isEqualTo(PowerState.SUSPENDED);
        assertThat(HypervInventory.power(JSON.readTree("\"Off\""))).isEqualTo(PowerState.OFF);
    }

    @Test
    void macAddressesRoundTripFromAnyOfTheirWrittenForms() {
        qt().forAll(longs().between(1, 0xffff_ffff_ffffL), integers().between(0, 2))
                .checkAssert(
                        (value, form) -> {
                            String hex = String.format(Locale.ROOT, "%012X", value);
                            String written =
                                    switch (form) {
                                        case 0 -> hex; // Get-VMNetworkAdapter: 00155D0A0B0C
                                        case 1 ->
                                                hex.replaceAll(
                                                        "(..)(?!$)", "$1-"); // 00-15-5D-0A-0B-0C
                                        default ->
                                                hex.toLowerCase(Locale.ROOT)
                                                        .replaceAll("(..)(?!$)", "$1:");
                                    };
                            assertThat(HypervInventory.mac(written))
                                    .contains(
                                            hex.toLowerCase(Locale.ROOT)
                                                    .replaceAll("(..)(?!$)", "$1:"));
                        });
    }

    @Test
    void readingAnyTextAsAMacOrAStateNeverThrows() {
        qt().forAll(strings().allPossible().ofLengthBetween(0, 40))
                .checkAssert(
                        s -> {
                            assertThat(HypervInventory.mac(s)).isNotNull();
                            assertThat(HypervInventory.power(JSON.getNodeFactory().textNode(s)))
                                    .isNotNull();
                        });
    }
}
