package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code --version} alone is answered before the command line is built (issue 15, start-up); the
 * answer must be the one picocli gives when it parses the whole command line.
 */
class VersionAnswerTest {

    @Test
    void versionAloneAnswersExactlyWhatPicocliAnswers() {
        Cli.Result alone = Cli.run("--version");
        // not alone: picocli parses the whole command line and prints its version help
        Cli.Result parsed = Cli.run("--quiet", "--version");

        alone.succeeds();
        parsed.succeeds();
        assertThat(alone.out())
                .isEqualTo(parsed.out())
                .startsWith("hyperexport 0.1.0")
                .contains("Java " + System.getProperty("java.version"));
        assertThat(alone.err()).isEmpty();
        assertThat(Cli.run("-V").out()).isEqualTo(parsed.out());
    }

    @Test
    void onlyAVersionFlagAloneIsAnsweredEarly() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        assertThat(VersionProvider.answerAlone(new String[] {"--version", "--quiet"}, out))
                .isFalse();
        assertThat(VersionProvider.answerAlone(new String[] {"--vm", "--version"}, out)).isFalse();
        assertThat(VersionProvider.answerAlone(new String[] {"--Version"}, out)).isFalse();
        assertThat(VersionProvider.answerAlone(new String[0], out)).isFalse();
        assertThat(bytes.size()).isZero();
    }
}
