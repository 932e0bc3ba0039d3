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

    /**
     * Every VMState: its number (Windows PowerShell 5.1, PowerShell 7 by default) and its name
     * (PowerShell 7 -EnumsAsStrings) mean the same power state.
     */
    @Test
    void everyVmStateReadsTheSameAsANumberAndAsAName() throws Exception {
        Object[][] states = {
            {"Other", 1, PowerState.UNKNOWN},
            {"Running", 2, PowerState.ON},
            {"Off", 3, PowerState.OFF},
            {"Stopping", 4, PowerState.ON},
            {"Saved", 6, PowerState.SUSPENDED},
            {"Paused", 9, PowerState.SUSPENDED},
            {"Starting", 10, PowerState.ON},
            {"Reset", 11, PowerState.ON},
            {"Saving", 32773, PowerState.SUSPENDED},
            {"Pausing", 32776, PowerState.ON},
            {"Resuming", 32777, PowerState.ON},
            {"FastSaved", 32779, PowerState.SUSPENDED},
            {"FastSaving", 32780, PowerState.SUSPENDED},
            {"RunningCritical", 32781, PowerState.ON},
            {"OffCritical", 32782, PowerState.OFF},
            {"StoppingCritical", 32783, PowerState.ON},
            {"SavedCritical", 32784, PowerState.SUSPENDED},
            {"PausedCritical", 32785, PowerState.SUSPENDED},
            {"StartingCritical", 32786, PowerState.ON},
            {"ResetCritical", 32787, PowerState.ON},
            {"SavingCritical", 32788, PowerState.SUSPENDED},
            {"PausingCritical", 32789, PowerState.ON},
            {"ResumingCritical", 32790, PowerState.ON},
            {"FastSavedCritical", 32791, PowerState.SUSPENDED},
            {"FastSavingCritical", 32792, PowerState.SUSPENDED},
        };
        for (Object[] s : states) {
            assertThat(HypervInventory.power(JSON.readTree(s[1].toString())))
                    .as("VMState %s as %s", s[0], s[1])
                    .isEqualTo(s[2]);
            assertThat(HypervInventory.power(JSON.getNodeFactory().textNode((String) s[0])))
                    .as("VMState %s as a name", s[0])
                    .isEqualTo(s[2]);
        }
    }

    @Test
    void vhdTypeDifferencingIs4OrItsName() throws Exception {
        assertThat(HypervInventory.differencing(JSON.readTree("4"))).isTrue();
        assertThat(HypervInventory.differencing(JSON.readTree("\"Differencing\""))).isTrue();
        assertThat(HypervInventory.differencing(JSON.readTree("3"))).as("Dynamic").isFalse();
        assertThat(HypervInventory.differencing(JSON.readTree("2"))).as("Fixed").isFalse();
        assertThat(HypervInventory.differencing(JSON.readTree("\"Dynamic\""))).isFalse();
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

    @Test
    void aChainThatDoesNotReachABaseDiskIsRefusedWithTheRepair() throws Exception {
        String answer =
                """
        [{"Drive":"C:\\\\VMs\\\\a.avhdx","Depth":0,"Path":"C:\\\\VMs\\\\a.avhdx","VhdFormat":3,"VhdType":4,
          "FileSize":4096,"Size":1048576,"ParentPath":"C:\\\\VMs\\\\gone.vhdx"}]
        """;
        assertThatThrownBy(() -> DiskCopy.chains(JSON.readTree(answer)))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining("C:\\VMs\\a.avhdx")
                .hasMessageContaining("Set-VHD -ParentPath");
    }
}
