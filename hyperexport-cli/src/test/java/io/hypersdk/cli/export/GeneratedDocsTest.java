package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The man page and completion script picocli generates at build time, checked for content and use.
 */
class GeneratedDocsTest {
    @TempDir Path tmp;

    @Test
    void manPageListsEveryFlagAndTheExitCodes() throws Exception {
        CommandLine cli = new CommandLine(new HyperExportCommand());
        ManPageGenerator.generateManPage(
                tmp.toFile(), null, new boolean[0], false, cli.getCommandSpec());
        String adoc = Files.readString(tmp.resolve("hyperexport.adoc"));
        assertThat(adoc).contains(":doctype: manpage", "= hyperexport(1)", "Exit codes");
        for (var option : cli.getCommandSpec().options()) {
            assertThat(adoc)
                    .as("man page mentions %s", option.longestName())
                    .contains(option.longestName().replace("--", ""));
        }
        assertThat(adoc).contains("130", "cancelled", "usage error", "timeout");
    }

    @Test
    void bashCompletionCompletesTheDaemonFlags() throws Exception {
        String script = AutoComplete.bash("hyperexport", new CommandLine(new HyperExportCommand()));
        Path file = Files.writeString(tmp.resolve("hyperexport_completion"), script);
        Process p =
                new ProcessBuilder(
                                "bash",
                                "-c",
                                "source '"
                                        + file
                                        + "'; COMP_WORDS=(hyperexport --hyper2kvm-po); COMP_CWORD=1;"
                                        + " _picocli_hyperexport; printf '%s\\n' \"${COMPREPLY[@]}\"")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.lines().map(String::strip))
                .contains("--hyper2kvm-poll-interval", "--hyper2kvm-poll-only");
    }

    @Test
    void serveHasItsManPageAndIsCompletedWithItsOptions() throws Exception {
        CommandLine cli = new CommandLine(new HyperExportCommand());
        ManPageGenerator.generateManPage(
                tmp.toFile(), null, new boolean[0], false, cli.getCommandSpec());
        assertThat(Files.readString(tmp.resolve("hyperexport.adoc")))
                .contains("== Commands", "xref:hyperexport-serve.adoc[*serve*]");
        String serve = Files.readString(tmp.resolve("hyperexport-serve.adoc"));
        assertThat(serve)
                .contains("= hyperexport-serve(1)", "--listen", "--state-dir", "--token-file");

        String script = AutoComplete.bash("hyperexport", cli);
        Path file = Files.writeString(tmp.resolve("hyperexport_completion"), script);
        assertThat(complete(file, "hyperexport se", 1)).contains("serve");
        assertThat(complete(file, "hyperexport serve --st", 2)).contains("--state-dir");
    }

    private static java.util.List<String> complete(Path script, String words, int cword)
            throws Exception {
        Process p =
                new ProcessBuilder(
                                "bash",
                                "-c",
                                "source '"
                                        + script
                                        + "'; COMP_WORDS=("
                                        + words
                                        + "); COMP_CWORD="
                                        + cword
                                        + "; _complete_hyperexport; printf '%s\\n' \"${COMPREPLY[@]}\"")
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().map(String::strip).toList();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
        "--format, ovf ova",
        "--manifest-target, qcow2 raw vdi",
        "--converter, hyper2kvm qemu-img",
        "--hyper2kvm-queue-layout, workflow flat disk-watch",
    })
    void bashCompletionOffersTheLibraryEnumsIds(String flag, String ids) throws Exception {
        String script = AutoComplete.bash("hyperexport", new CommandLine(new HyperExportCommand()));
        Path file = Files.writeString(tmp.resolve("hyperexport_completion"), script);
        // stderr only says that compopt runs outside a real completion
        Process p =
                new ProcessBuilder(
                                "bash",
                                "-c",
                                "source '"
                                        + file
                                        + "'; COMP_WORDS=(hyperexport "
                                        + flag
                                        + " ''); COMP_CWORD=2;"
                                        + " _picocli_hyperexport; printf '%s\\n' \"${COMPREPLY[@]}\"")
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.lines().map(String::strip).toList())
                .containsExactlyInAnyOrder(ids.split(" "));
    }

    @Test
    void asciidoctorRendersTheManPageToRoffWithoutWarnings() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/asciidoctor")),
                "asciidoctor is not installed (scripts/install-test-deps.sh installs it)");
        ManPageGenerator.generateManPage(
                tmp.toFile(),
                null,
                new boolean[0],
                false,
                new CommandLine(new HyperExportCommand()).getCommandSpec());
        Process p =
                new ProcessBuilder(
                                "/usr/bin/asciidoctor",
                                "--backend=manpage",
                                "--failure-level=WARN",
                                "--destination-dir=" + tmp,
                                tmp.resolve("hyperexport.adoc").toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).isEmpty();
        String roff = Files.readString(tmp.resolve("hyperexport.1"));
        assertThat(roff)
                .contains(".TH \"HYPEREXPORT\" \"1\"", "hyper2kvm\\-poll\\-interval", "OPTIONS...");
    }
}
