package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.cli.ctl.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Against the plain host systemctl on a host whose PID 1 is not systemd (the CI machine). */
class NoSystemdHostTest {

    private static final Path HOST_SYSTEMCTL = Path.of("/usr/bin/systemctl");

    @BeforeAll
    static void hostWithoutSystemd() {
        assumeTrue(
                Files.isExecutable(HOST_SYSTEMCTL),
                "package systemd is not installed (no /usr/bin/systemctl)");
        assumeFalse(
                Files.isDirectory(Path.of("/run/systemd/system")),
                "this host was booted with systemd; the no-systemd case cannot be observed here");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "daemon|-op|status",
                "daemon|-op|list",
                "daemon|status|--instance|prod",
                "daemon|list|--json",
                "daemon|-op|status|-instance|prod|-json"
            })
    void everyFormSaysTheHostHasNoSystemdAndExitsWithItsOwnCode(String argv) {
        String[] args = (argv + "|--systemctl|" + HOST_SYSTEMCTL).split("\\|");

        Cli r = Cli.run(args);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NO_SYSTEMD);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("hyperctl: this host was not booted with systemd");
    }
}
