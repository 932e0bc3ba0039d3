package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The wizard's steps with scripted answers (the real terminal is covered by WizardPtyTest). */
class WizardFlowTest {
    private static final List<Wizard.Vm> VMS =
            List.of(
                    new Wizard.Vm("web-01", 2, 4L << 30, 0, "on"),
                    new Wizard.Vm("db-01", 4, 8L << 30, 0, "off"),
                    new Wizard.Vm("web-02", 1, 1L << 30, 0, "off"));

    private static final class Script implements Prompter {
        final Deque<String> answers;
        final List<String> screen = new ArrayList<>();

        Script(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public String readLine(String prompt) {
            screen.add(prompt);
            if (answers.isEmpty()) {
                throw new Prompter.Cancelled();
            }
            return answers.poll();
        }

        @Override
        public void println(String line) {
            screen.add(line);
        }

        String text() {
            return String.join("\n", screen);
        }
    }

    private static Wizard.Defaults defaults() {
        HyperExportCommand cmd = new HyperExportCommand();
        return Wizard.Defaults.from(cmd);
    }

    @Test
    void theDaemonIsConfiguredOnlyWhenAskedTo() {
        Script s = new Script("2", "", "1", "/srv/x", "", "y", "y", "n", "y");
        Optional<Wizard.Answers> a = new Wizard(s, VMS, defaults()).run();
        assertThat(a).isPresent();
        assertThat(a.get().vms()).containsExactly("web-01");
        assertThat(a.get().daemon()).isTrue();
        assertThat(a.get().instance()).isEmpty();
        assertThat(a.get().pollSeconds()).isEqualTo(5);
        assertThat(a.get().timeoutMinutes()).isEqualTo(60);
        assertThat(s.text())
                .doesNotContain("poll interval")
                .contains("daemon:           yes, hyper2kvm.service");
    }

    @Test
    void noDaemonQuestionsWithoutConversionAndAtLeastOneVmIsRequired() {
        Script s = new Script("", "a", "", "", "", "", "n", "y");
        Wizard.Answers a = new Wizard(s, VMS, defaults()).run().orElseThrow();
        assertThat(s.text())
                .contains("Please select at least one VM to export.")
                .doesNotContain("use the hyper2kvm daemon?");
        assertThat(a.vms()).containsExactly("db-01", "web-01", "web-02");
        assertThat(a.convert()).isFalse();
        assertThat(a.daemon()).isFalse();
    }

    @Test
    void backFromTheSummaryKeepsEarlierAnswersAndAllowsChanges() {
        Script s =
                new Script(
                        "1", "", "4", "/out", "8", "y", "n", "b", "y", "y", "y", "lab", "", "", "9",
                        "10", "y");
        Wizard.Answers a = new Wizard(s, VMS, defaults()).run().orElseThrow();
        assertThat(a.template()).isEqualTo(Wizard.Template.ARCHIVE);
        assertThat(a.outputDir()).isEqualTo(Path.of("/out"));
        assertThat(a.parallel()).isEqualTo(8);
        assertThat(a.instance()).contains("lab");
        assertThat(a.watchDir()).isEmpty();
        assertThat(a.pollSeconds()).isEqualTo(9);
        assertThat(a.timeoutMinutes()).isEqualTo(10);
        assertThat(s.text()).contains("watch directory [/var/lib/hyper2kvm/lab/queue]");
    }

    @Test
    void answersAreWrittenIntoTheSameOptionsTheFlagsFill() {
        HyperExportCommand cmd = new HyperExportCommand();
        new Wizard.Answers(
                        List.of("web-01"),
                        Wizard.Template.PRODUCTION,
                        Path.of("/e"),
                        2,
                        true,
                        true,
                        Optional.of("p"),
                        Optional.of(Path.of("/q")),
                        Optional.of(Path.of("/o")),
                        11,
                        12)
                .applyTo(cmd);
        assertThat(cmd.export.format).isEqualTo(io.hypersdk.provider.spi.ExportFormat.OVA);
        assertThat(cmd.manifest.verifyManifest).isTrue();
        assertThat(cmd.pipeline.pipeline).isTrue();
        var h = Settings.hyper2kvm(cmd.daemon);
        assertThat(h.daemon()).isTrue();
        assertThat(h.instance()).contains("p");
        assertThat(h.watchDir()).contains(Path.of("/q"));
        assertThat(h.pollInterval().toSeconds()).isEqualTo(11);
        assertThat(h.daemonTimeout().toMinutes()).isEqualTo(12);
    }

    @Test
    void quittingOrCtrlCCancels() {
        assertThat(new Wizard(new Script("q"), VMS, defaults()).run()).isEmpty();
        Script interrupted = new Script("1");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new Wizard(interrupted, VMS, defaults()).run())
                .isInstanceOf(Prompter.Cancelled.class);
    }

    @Test
    void vmsThatShareANameAreOfferedByInventoryPathTheOthersByName() {
        List<io.hypersdk.provider.spi.VmSummary> listed =
                List.of(
                        new io.hypersdk.provider.spi.VmSummary(
                                "vm-1",
                                "web-01",
                                Optional.of("/DC1/vm/web-01"),
                                io.hypersdk.provider.spi.PowerState.OFF,
                                2,
                                1L << 30,
                                Optional.empty()),
                        new io.hypersdk.provider.spi.VmSummary(
                                "vm-2",
                                "web-01",
                                Optional.of("/DC2/vm/web-01"),
                                io.hypersdk.provider.spi.PowerState.ON,
                                2,
                                1L << 30,
                                Optional.empty()),
                        new io.hypersdk.provider.spi.VmSummary(
                                "vm-3",
                                "web-01",
                                Optional.empty(),
                                io.hypersdk.provider.spi.PowerState.ON,
                                2,
                                1L << 30,
                                Optional.empty()),
                        new io.hypersdk.provider.spi.VmSummary(
                                "vm-4",
                                "db-01",
                                Optional.of("/DC1/vm/db-01"),
                                io.hypersdk.provider.spi.PowerState.OFF,
                                4,
                                2L << 30,
                                Optional.empty()));
        assertThat(ExportSession.wizardVms(listed))
                .extracting(Wizard.Vm::name)
                .containsExactly("/DC1/vm/web-01", "/DC2/vm/web-01", "vm-3", "db-01");
    }
}
