package io.hypersdk.cli.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code hyperctl SUBCOMMAND ...} runs under a root that holds that subcommand alone (start-up,
 * issue 15): every subcommand answers help, usage errors and option errors exactly as under the
 * whole tree, which the man page and completion describe.
 */
class LeanRootTest {

    static List<Arguments> commandLines() {
        return wrap(
                new String[] {"daemon", "--help"},
                new String[] {"daemon", "-op", "nope"},
                new String[] {"daemon", "--no-such-option"},
                new String[] {"daemon", "status", "--help"},
                new String[] {"job", "--help"},
                new String[] {"job", "status"},
                new String[] {"spool", "--help"},
                new String[] {"spool", "publish"},
                new String[] {"jobs", "--help"},
                new String[] {"jobs"},
                new String[] {"jobs", "show", "--server", "not a url", "x"});
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void aSubcommandAnswersAsUnderTheWholeTree(String[] args) {
        String[] lean = run(Hyperctl.commandLine(args), args);
        String[] whole = run(Hyperctl.commandLine(), args);
        assertThat((Object) Hyperctl.commandLine(args).getCommand())
                .isInstanceOf(Hyperctl.Lean.class);
        assertThat(Hyperctl.commandLine(args).getSubcommands()).containsOnlyKeys(args[0]);
        assertThat(lean).as(String.join(" ", args)).containsExactly(whole);
    }

    @ParameterizedTest
    @MethodSource("rootCommandLines")
    void anythingElseGetsTheWholeTree(String[] args) {
        assertThat((Object) Hyperctl.commandLine(args).getCommand()).isInstanceOf(Hyperctl.class);
        assertThat(Hyperctl.commandLine(args).getSubcommands())
                .containsKeys("daemon", "job", "spool", "jobs", "help");
    }

    static List<Arguments> rootCommandLines() {
        return wrap(
                new String[] {},
                new String[] {"--help"},
                new String[] {"help", "daemon"},
                new String[] {"generate-completion"},
                new String[] {"deamon"});
    }

    /** Exit code, standard output and standard error of one run. */
    private static String[] run(CommandLine cli, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    private static List<Arguments> wrap(String[]... commandLines) {
        return java.util.Arrays.stream(commandLines).map(a -> Arguments.of((Object) a)).toList();
    }
}
