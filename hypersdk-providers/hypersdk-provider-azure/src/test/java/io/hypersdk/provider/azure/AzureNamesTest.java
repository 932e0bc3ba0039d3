package io.hypersdk.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.ProviderConfigException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What --vm accepts, SAS redaction, MAC and power-state mapping. */
class AzureNamesTest {
    static final String SUB = "11111111-2222-3333-4444-555555555555";

    @Test
    void aVmIsANameWithAGroupARgSlashNameOrAResourceId() {
        assertThat(AzureVmRef.parse("web-01", Optional.of("rg1"), SUB))
                .isEqualTo(new AzureVmRef("rg1", "web-01"));
        assertThat(AzureVmRef.parse("rg2/web-01", Optional.of("rg1"), SUB))
                .isEqualTo(new AzureVmRef("rg2", "web-01"));
        assertThat(
                        AzureVmRef.parse(
                                "/subscriptions/"
                                        + SUB
                                        + "/resourceGroups/rg3/providers/Microsoft.Compute/virtualMachines/db",
                                Optional.empty(),
                                SUB))
                .isEqualTo(new AzureVmRef("rg3", "db"));
        assertThatThrownBy(() -> AzureVmRef.parse("web-01", Optional.empty(), SUB))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("resource-group=");
        assertThatThrownBy(
                        () ->
                                AzureVmRef.parse(
                                        "/subscriptions/99999999-2222-3333-4444-555555555555/resourceGroups/r/providers"
                                                + "/Microsoft.Compute/virtualMachines/v",
                                        Optional.empty(),
                                        SUB))
                .hasMessageContaining("subscription=99999999");
    }

    @Test
    void parsingAnyTextGivesARefOrTheDocumentedException() {
        qt().withExamples(500)
                .forAll(strings().allPossible().ofLengthBetween(1, 40))
                .checkAssert(
                        s -> {
                            try {
                                AzureVmRef r = AzureVmRef.parse(s, Optional.of("rg"), SUB);
                                assertThat(r.name()).doesNotContain("/");
                            } catch (ProviderConfigException e) {
                                assertThat(e.getMessage()).isNotBlank();
                            }
                        });
    }

    @Test
    void aSasSignatureIsRedactedWherever() {
        String sas =
                "https://md-x.blob.storage.azure.net/abc/abcd?sv=2018-03-28&sr=b&si=x&sig=AbC%2Bd%3D&se=1";
        assertThat(SasUrls.redact("failed: " + sas + " (again)"))
                .doesNotContain("AbC")
                .contains("sig=****&se=1");
        assertThat(SasUrls.redact("SIG%3Dsecret")).doesNotContain("secret");
        assertThat(SasUrls.redact(null)).isEmpty();
    }

    @Test
    void macsAndPowerStatesMapToTheSpi() {
        assertThat(AzureInventory.mac("00-0D-3A-1B-C7-21")).isEqualTo("00:0d:3a:1b:c7:21");
        assertThat(AzureInventory.power("running")).isEqualTo(PowerState.ON);
        assertThat(AzureInventory.power("deallocated")).isEqualTo(PowerState.OFF);
        assertThat(AzureInventory.power("stopped")).isEqualTo(PowerState.OFF);
        assertThat(AzureInventory.power("weird")).isEqualTo(PowerState.UNKNOWN);
    }
}
