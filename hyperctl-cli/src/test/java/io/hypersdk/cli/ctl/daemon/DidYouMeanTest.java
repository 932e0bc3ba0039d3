package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.cli.ctl.ExitCodes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A typo'd operation or option is a usage error that names what was probably meant. */
class DidYouMeanTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "daemon|statsu, 'statsu', status",
        "daemon|lisst, 'lisst', list",
        "daemon|status|--instnce|prod, '--instnce', --instance",
        "daemon|list|--jsn, '--jsn', --json",
    })
    void aTypoGetsADidYouMean(String argv, String typo, String meant) {
        Cli r = Cli.run(argv.split("\\|"));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out()).isEmpty();
        String first = r.err().lines().findFirst().orElse("");
        assertThat(first)
                .startsWith("hyperctl: ")
                .contains(typo)
                .contains("did you mean")
                .contains(meant);
    }
}
