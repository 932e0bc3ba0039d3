package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileDescriptor;
import org.junit.jupiter.api.Test;

class TtyTest {
    @Test
    void terminalDevicesAreTerminalsAndPipesFilesAndDevNullAreNot() {
        assertThat(Tty.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(Tty.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(Tty.isTerminalDevice("/dev/console")).isTrue();
        assertThat(Tty.isTerminalDevice("pipe:[123456]")).isFalse();
        assertThat(Tty.isTerminalDevice("/dev/null")).isFalse();
        assertThat(Tty.isTerminalDevice("/tmp/out.log")).isFalse();
        assertThat(Tty.isTerminalDevice("socket:[42]")).isFalse();
    }

    @Test
    void theTestJvmsRedirectedStandardErrorIsNotATerminal() {
        // surefire's forked JVM writes stderr into a pipe to the build
        assertThat(Tty.isTerminal(FileDescriptor.err)).isFalse();
    }
}
