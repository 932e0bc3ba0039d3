package io.hypersdk.provider.vsphere.soap;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.provider.spi.PowerState;
import org.junit.jupiter.api.Test;

/** vim25's power state spellings map to the SPI's PowerState and back. */
class PowerStatesTest {

    @Test
    void theThreeVim25SpellingsMapToTheSpiStatesAndBack() {
        assertThat(PowerStates.parse("poweredOn")).contains(PowerState.ON);
        assertThat(PowerStates.parse("poweredOff")).contains(PowerState.OFF);
        assertThat(PowerStates.parse(" suspended\n")).contains(PowerState.SUSPENDED);
        for (PowerState s :
                new PowerState[] {PowerState.ON, PowerState.OFF, PowerState.SUSPENDED}) {
            assertThat(PowerStates.parse(PowerStates.vim25Name(s))).contains(s);
        }
    }

    @Test
    void anyOtherSpellingIsNotAState() {
        assertThat(PowerStates.parse(null)).isEmpty();
        assertThat(PowerStates.parse("")).isEmpty();
        assertThat(PowerStates.parse("PoweredOn")).isEmpty();
        assertThat(PowerStates.parse(PowerStates.vim25Name(PowerState.UNKNOWN))).isEmpty();
    }
}
