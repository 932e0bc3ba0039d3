package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.hypersdk.systemd.UnitName;
import org.junit.jupiter.api.Test;

class InstanceNamesTest {

    @Test
    void anyStringIsEitherAcceptedUnchangedAsAValidUnitInstanceOrRefusedWithTheDocumentedError() {
        qt().withExamples(5000).forAll(strings().ascii().ofLengthBetween(0, 12)).checkAssert(s -> {
            String accepted;
            try {
                accepted = InstanceNames.require(s);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).startsWith("invalid instance name '").contains("letters, digits");
                return;
            }
            assertThat(accepted).isEqualTo(s);
            assertThat(s).doesNotStartWith("-").doesNotStartWith(".").doesNotContain("/", " ", ";", "@");
            // what we accept, hypersdk-systemd accepts too: the unit name is built without escaping
            assertThat(UnitName.instance("hyper2kvm", s).toString()).isEqualTo("hyper2kvm@" + s + ".service");
        });
    }

    @Test
    void namesOfTheConventionAreAccepted() {
        for (String name : new String[] {"vsphere-prod", "a", "dc1:rack_2.x", "A".repeat(200)}) {
            assertThat(InstanceNames.require(name)).isEqualTo(name);
        }
    }

    @Test
    void overlongNamesAreRefused() {
        assertThatThrownBy(() -> InstanceNames.require("a".repeat(201))).isInstanceOf(IllegalArgumentException.class);
    }
}
