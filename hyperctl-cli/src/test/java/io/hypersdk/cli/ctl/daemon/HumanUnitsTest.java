package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanUnitsTest {

    @ParameterizedTest
    @CsvSource({
        "0,0s",
        "45,45s",
        "60,1min",
        "185,3min 5s",
        "7200,2h",
        "8100,2h 15min",
        "86400,1d",
        "273600,3d 4h",
        "-5,0s"
    })
    void durationsShowTheTwoLargestUnits(long seconds, String expected) {
        assertThat(HumanUnits.duration(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0,0B", "1023,1023B", "1536,1.5K", "123456789,117.7M", "2147483648,2.0G"})
    void sizesUseBinaryUnits(long bytes, String expected) {
        assertThat(HumanUnits.bytes(bytes)).isEqualTo(expected);
    }
}
