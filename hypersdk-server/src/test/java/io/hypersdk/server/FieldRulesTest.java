package io.hypersdk.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.job.JobCodec;
import io.hypersdk.core.job.JobValidationException;
import org.junit.jupiter.api.Test;

/** The ranges the server shows and serves to the form are the ones hypersdk-core enforces. */
class FieldRulesTest {
    @Test
    void everyRangeAgreesWithTheJobModel() {
        FieldRules.RANGES.forEach(
                (field, range) -> {
                    assertThat(valid(field, range.min())).as(field + " = min").isTrue();
                    assertThat(valid(field, range.max())).as(field + " = max").isTrue();
                    assertThat(valid(field, range.min() - 1)).as(field + " = min - 1").isFalse();
                    assertThat(valid(field, range.max() + 1)).as(field + " = max + 1").isFalse();
                });
    }

    private static boolean valid(String field, int value) {
        try {
            JobCodec.readDefinition(
                    "{\"vm_path\": \"x\", \"options\": {\"" + field + "\": " + value + "}}",
                    JobCodec.Format.JSON);
            return true;
        } catch (JobValidationException e) {
            return false;
        }
    }
}
