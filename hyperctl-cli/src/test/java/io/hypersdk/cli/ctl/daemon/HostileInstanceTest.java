package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.cli.ctl.ExitCodes;
import io.hypersdk.core.text.TerminalText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile instance names are refused before any systemctl runs. */
class HostileInstanceTest {

    @TempDir Path dir;
    private Path systemctl;
    private Path calls;

    @BeforeEach
    void recordingSystemctl() throws IOException {
        calls = dir.resolve("calls.log");
        systemctl = dir.resolve("systemctl");
        Files.writeString(
                systemctl,
                "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '"
                        + calls
                        + "'; done\n"
                        + "echo 'System has not been booted with systemd as init system (PID 1). Can'\\''t operate.' >&2\nexit 1\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwx------"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"../x", "a b", "x;y", "x/y", ".hidden", "-rf", "a@b", "$(id)", "x\ny", ""})
    void seedFormRefusesTheNameWithAUsageErrorAndNeverRunsSystemctl(String hostile) {
        Cli r =
                Cli.run(
                        "daemon",
                        "-op",
                        "status",
                        "-instance=" + hostile,
                        "--systemctl",
                        systemctl.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("hyperctl: ");
        assertThat(r.err()).containsAnyOf("invalid instance name", "Expected parameter for option");
        assertThat(r.out()).isEmpty();
        assertThat(calls).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a b", "x;y", "x/y", "-"})
    void modernFormRefusesTheNameToo(String hostile) {
        Cli r =
                Cli.run(
                        "daemon",
                        "status",
                        "--instance=" + hostile,
                        "--json",
                        "--systemctl",
                        systemctl.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err())
                .contains("invalid instance name '" + hostile + "'")
                .contains("letters, digits");
        assertThat(calls).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"\u001b[31mred", "\u001b]0;TITLE\u0007", "x\nhyperctl: forged", "a\u009bb"})
    void aNameWithControlCharactersIsQuotedEscapedOnOneLine(String hostile) {
        Cli r =
                Cli.run(
                        "daemon",
                        "status",
                        "--instance=" + hostile,
                        "--systemctl",
                        systemctl.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err())
                .contains("invalid instance name '" + TerminalText.escape(hostile) + "'");
        assertThat(r.err().lines().toList()).noneMatch(l -> l.startsWith("hyperctl: forged"));
        assertThat(r.err().replace("\n", ""))
                .matches(s -> !TerminalText.hasControl(s), "no control character");
        assertThat(calls).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help", "-op"})
    void anOptionInPlaceOfTheNameIsNotTakenAsTheName(String optionLike) {
        Cli r =
                Cli.run(
                        "daemon",
                        "-op",
                        "status",
                        "-instance",
                        optionLike,
                        "--systemctl",
                        systemctl.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err())
                .contains(
                        "Expected parameter for option '--instance' but found '"
                                + optionLike
                                + "'");
        assertThat(r.out()).doesNotContain("Usage:");
        assertThat(calls).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"restart", "stop", ""})
    void unknownOperationIsAUsageError(String op) {
        Cli r = Cli.run("daemon", "-op=" + op, "--systemctl", systemctl.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err())
                .contains("Unknown daemon operation: " + op)
                .contains("available operations: status, list");
        assertThat(calls).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod", "vsphere-prod", "a:b_c.d"})
    void validNamesDoReachSystemctlAsOneUnitArgument(String name) throws IOException {
        Cli r =
                Cli.run(
                        "daemon",
                        "-op",
                        "status",
                        "-instance",
                        name,
                        "--systemctl",
                        systemctl.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NO_SYSTEMD);
        assertThat(Files.readAllLines(calls)).contains("hyper2kvm@" + name + ".service");
    }
}
