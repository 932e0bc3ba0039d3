package io.hypersdk.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.hypersdk.core.JobId;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConversionExitCodesTest {

    /** Every outcome, with the code hyperexport and hyperctl job wait have always given it. */
    static Stream<Arguments> table() {
        JobId job = JobId.generate();
        return Stream.of(
                Arguments.of(new ConversionOutcome.Converted(), 0),
                Arguments.of(new ConversionOutcome.Queued(job, false), 0),
                Arguments.of(new ConversionOutcome.Queued(job, true), 0),
                Arguments.of(new ConversionOutcome.Failed("hyper2kvm exited 1"), 4),
                Arguments.of(new ConversionOutcome.TimedOut(Duration.ofMinutes(5), false), 5),
                Arguments.of(new ConversionOutcome.TimedOut(Duration.ofMinutes(5), true), 5),
                Arguments.of(new ConversionOutcome.Cancelled(false), 130),
                Arguments.of(new ConversionOutcome.Cancelled(true), 130));
    }

    @ParameterizedTest(name = "{0} exits {1}")
    @MethodSource("table")
    void eachOutcomeHasItsDocumentedExitCode(ConversionOutcome outcome, int code) {
        assertThat(ConversionExitCodes.of(outcome)).isEqualTo(code);
    }

    @Test
    void theConstantsAreTheDocumentedNumbers() {
        assertThat(
                        new int[] {
                            ConversionExitCodes.CONVERTED,
                            ConversionExitCodes.FAILED,
                            ConversionExitCodes.TIMED_OUT,
                            ConversionExitCodes.CANCELLED
                        })
                .containsExactly(0, 4, 5, 130);
    }

    @Test
    void noOutcomeIsANullPointerException() {
        assertThatNullPointerException()
                .isThrownBy(() -> ConversionExitCodes.of(null))
                .withMessage("outcome");
    }
}
