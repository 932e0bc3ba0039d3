package io.hypersdk.core.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NameBudgetsTest {
    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aNameWithTheSdksPrefixAndTemporarySuffixesNeverExceeds255Bytes() {
        qt().withExamples(500)
                .forAll(strings().allPossible().ofLengthBetween(0, 400))
                .checkAssert(
                        name -> {
                            String dir =
                                    "export-"
                                            + VmNames.forFileName(name, VmNames.budget("export-"));
                            String ova = VmNames.forFileName(name, VmNames.budget(".ova")) + ".ova";
                            assertThat(bytes(dir))
                                    .isLessThanOrEqualTo(VmNames.MAX_FINAL_NAME_BYTES);
                            assertThat(bytes("." + ova + ".part.state.tmp"))
                                    .isLessThanOrEqualTo(VmNames.MAX_FILE_NAME_BYTES);
                            assertThat(dir).doesNotContain("/", "\0", "..");
                        });
    }

    @Test
    void aShortSafeNameIsUnchangedAndALongOneGetsAStableHash() {
        assertThat(VmNames.forFileName("web-01", VmNames.budget("export-"))).isEqualTo("web-01");
        String longName = "a".repeat(252);
        String cut = VmNames.forFileName(longName, VmNames.budget("export-"));
        assertThat(bytes(cut)).isEqualTo(VmNames.budget("export-"));
        assertThat(cut)
                .matches("a+-[0-9a-f]{12}")
                .isEqualTo(VmNames.forFileName(longName, VmNames.budget("export-")));
        assertThat(VmNames.forFileName(longName + "b", VmNames.budget("export-")))
                .isNotEqualTo(cut);
    }

    @Test
    void fitFileNameKeepsTheExtensionAndDistinguishesNamesThatDifferPastTheCut() {
        qt().withExamples(300)
                .forAll(
                        strings().betweenCodePoints('a', 'z').ofLengthBetween(0, 300),
                        integers().between(32, 255))
                .checkAssert(
                        (stem, budget) -> {
                            String name = stem + "x.vmdk";
                            String fitted = VmNames.fitFileName(name, budget);
                            assertThat(bytes(fitted)).isLessThanOrEqualTo(budget);
                            assertThat(fitted).endsWith(".vmdk");
                            if (bytes(name) <= budget) {
                                assertThat(fitted).isEqualTo(name);
                            } else {
                                assertThat(VmNames.fitFileName(stem + "y.vmdk", budget))
                                        .isNotEqualTo(fitted);
                            }
                        });
    }

    @Test
    void aBudgetTooSmallForAnyNameIsRefused() {
        assertThatThrownBy(() -> VmNames.forFileName("x", 15))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name budget 15");
    }
}
