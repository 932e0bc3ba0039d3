package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import io.hypersdk.core.settings.Converter;
import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.InvalidSettingException;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.settings.Setting;
import io.hypersdk.core.settings.TargetFormat;
import io.hypersdk.provider.spi.ExportFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The batch file and duration parsers: examples plus properties. */
class ParsersTest {
    @Test
    void batchFileSkipsCommentsAndBlankLinesAndTrims() {
        assertThat(
                        BatchFile.parse(
                                "vms.txt",
                                List.of(
                                        "# header",
                                        "",
                                        "  web-01  ",
                                        "db#1",
                                        "app-02 # trailing",
                                        "\t#x")))
                .containsExactly("web-01", "db#1", "app-02");
    }

    @Test
    void batchFileParserThrowsOnlyItsOwnOneLineException() {
        qt().withExamples(300)
                .forAll(
                        lists().of(strings().allPossible().ofLengthBetween(0, 12))
                                .ofSizeBetween(0, 8))
                .checkAssert(
                        lines -> {
                            try {
                                List<String> vms = BatchFile.parse("f", lines);
                                assertThat(vms)
                                        .isNotEmpty()
                                        .allMatch(
                                                v ->
                                                        !v.isBlank()
                                                                && v.equals(v.strip())
                                                                && !v.startsWith("#"));
                                assertThat(vms).doesNotHaveDuplicates();
                            } catch (BatchFile.BatchFileException e) {
                                assertThat(e.getMessage())
                                        .startsWith("--batch f: ")
                                        .doesNotContain("\n");
                            }
                        });
    }

    @Test
    void choiceFlagsTakeTheirIdsIgnoringCaseAndBlanksAndListTheChoicesOtherwise() {
        assertThat(ChoiceConverter.EXPORT_FORMAT.convert(" OVA ")).isEqualTo(ExportFormat.OVA);
        assertThat(ChoiceConverter.CONVERTER.convert("qemu-img")).isEqualTo(Converter.QEMU_IMG);
        assertThat(ChoiceConverter.QUEUE_LAYOUT.convert("Disk-Watch"))
                .isEqualTo(QueueLayout.DISK_WATCH);
        assertThat(ChoiceConverter.TARGET_FORMAT.convert("vdi")).isEqualTo(TargetFormat.VDI);
        assertThat(Converter.QEMU_IMG).hasToString("qemu-img");
        assertThat(ExportFormat.OVA).hasToString("ova");
        assertThatThrownBy(() -> ChoiceConverter.EXPORT_FORMAT.convert("qcow2"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'qcow2' is not an export format: use ovf or ova");
        assertThatThrownBy(() -> ChoiceConverter.CONVERTER.convert("qemu_img"))
                .hasMessage("'qemu_img' is not a converter: use hyper2kvm or qemu-img");
        assertThatThrownBy(() -> ChoiceConverter.QUEUE_LAYOUT.convert("spool"))
                .hasMessage("'spool' is not a queue layout: use workflow, flat or disk-watch");
        assertThatThrownBy(() -> ChoiceConverter.TARGET_FORMAT.convert("vmdk"))
                .hasMessage("'vmdk' is not a target format: use qcow2, raw or vdi");
    }

    @Test
    void libraryEnumsAreTheOptionTypesAndTheCommandLineConvertsTheirIds() {
        HyperExportCommand cmd = new HyperExportCommand();
        ChoiceConverter.registerAll(new picocli.CommandLine(cmd))
                .parseArgs(
                        "--format",
                        "Ova",
                        "--manifest-target",
                        "raw",
                        "--converter",
                        "qemu-img",
                        "--hyper2kvm-queue-layout",
                        "disk-watch");
        assertThat(cmd.export.format).isEqualTo(ExportFormat.OVA);
        assertThat(cmd.manifest.target).isEqualTo(TargetFormat.RAW);
        assertThat(cmd.pipeline.converter).isEqualTo(Converter.QEMU_IMG);
        assertThat(cmd.daemon.layout()).contains(QueueLayout.DISK_WATCH);
    }

    @Test
    void librarySettingErrorsNameTheFlagWithoutReadingTheMessage() {
        InvalidSettingException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        InvalidSettingException.class,
                        () -> Hyper2KvmSettings.builder().watchDir(Path.of("queue")).build());
        assertThat(e.setting()).isEqualTo(Setting.HYPER2KVM_WATCH_DIR);
        assertThat(ExitCodeMapper.oneLine(e))
                .isEqualTo("--hyper2kvm-watch-dir must be an absolute path (got: queue)");
        picocli.CommandLine.Model.CommandSpec spec =
                new picocli.CommandLine(new HyperExportCommand()).getCommandSpec();
        for (Setting s : Setting.values()) {
            assertThat(spec.findOption(ExitCodeMapper.FLAGS.name(s)))
                    .as("the flag of " + s)
                    .isNotNull();
        }
    }

    @Test
    void durationsInGoAndIsoForm() {
        assertThat(new DurationConverter().convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(new DurationConverter().convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(new DurationConverter().convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(new DurationConverter().convert("PT30M")).isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> new DurationConverter().convert("30"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("use a number with a unit");
        assertThatThrownBy(() -> new DurationConverter().convert("0s"))
                .hasMessageContaining("not a positive duration");
        assertThatThrownBy(() -> new DurationConverter().convert("1x"))
                .isInstanceOf(TypeConversionException.class);
    }

    @Test
    void durationFormatRoundTrips() {
        qt().forAll(longs().between(1, 10L * 24 * 3600 * 1000))
                .checkAssert(
                        ms -> {
                            Duration d = Duration.ofMillis(ms);
                            assertThat(DurationConverter.parse(DurationConverter.format(d)))
                                    .isEqualTo(d);
                        });
    }

    @Test
    void durationParserThrowsOnlyTypeConversionException() {
        qt().withExamples(500)
                .forAll(strings().allPossible().ofLengthBetween(0, 10))
                .checkAssert(
                        s -> {
                            try {
                                new DurationConverter().convert(s);
                            } catch (TypeConversionException e) {
                                assertThat(e.getMessage()).isNotBlank();
                            }
                        });
    }

    @Test
    void wizardNumberListsAndRanges() {
        assertThat(Wizard.numbers("1 3-4,2", 5)).contains(List.of(1, 3, 4, 2));
        assertThat(Wizard.numbers("0", 5)).isEmpty();
        assertThat(Wizard.numbers("6", 5)).isEmpty();
        assertThat(Wizard.numbers("web", 5)).isEmpty();
    }
}
