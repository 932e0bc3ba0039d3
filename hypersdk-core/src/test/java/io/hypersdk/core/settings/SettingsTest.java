package io.hypersdk.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    @Test
    void hyper2kvmDefaultsAreTheSeedDefaults() {
        Hyper2KvmSettings d = Hyper2KvmSettings.defaults();

        assertThat(d.daemon()).isFalse();
        assertThat(d.instance()).isEmpty();
        assertThat(d.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.daemonTimeout()).isEqualTo(Duration.ofMinutes(60));
        assertThat(d.watchDirOrDefault()).isEqualTo(Path.of("/var/lib/hyper2kvm/queue"));
        assertThat(d.outputDirOrDefault()).isEqualTo(Path.of("/var/lib/hyper2kvm/output"));
        assertThat(d.queueLayout()).isEmpty();
        assertThat(d.requireDaemon()).isFalse();
        assertThat(d.pollOnly()).isFalse();
    }

    @Test
    void anInstancePicksItsOwnDirectoriesUnlessOverridden() {
        Hyper2KvmSettings s =
                Hyper2KvmSettings.builder().daemon(true).instance("vsphere-prod").build();

        assertThat(s.watchDirOrDefault())
                .isEqualTo(Path.of("/var/lib/hyper2kvm/vsphere-prod/queue"));
        assertThat(s.outputDirOrDefault())
                .isEqualTo(Path.of("/var/lib/hyper2kvm/vsphere-prod/output"));
        assertThat(s.toBuilder().watchDir(Path.of("/srv/q")).build().watchDirOrDefault())
                .isEqualTo(Path.of("/srv/q"));
        assertThat(Hyper2KvmSettings.builder().instance("").build().instance()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {1_000, 60_000, 5_000})
    void pollIntervalsFromOneToSixtySecondsAreAccepted(long millis) {
        assertThat(
                        Hyper2KvmSettings.builder()
                                .pollInterval(Duration.ofMillis(millis))
                                .build()
                                .pollInterval())
                .isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 999, 60_001, -5_000, 3_600_000})
    void pollIntervalsOutsideOneToSixtySecondsAreRejectedNamingTheOption(long millis) {
        assertThatThrownBy(
                        () ->
                                Hyper2KvmSettings.builder()
                                        .pollInterval(Duration.ofMillis(millis))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "Hyper2KVMPollInterval must be between 1 and 60 seconds (got: ");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 60, 240})
    void daemonTimeoutsFromOneTo240MinutesAreAccepted(long minutes) {
        assertThat(
                        Hyper2KvmSettings.builder()
                                .daemonTimeout(Duration.ofMinutes(minutes))
                                .build()
                                .daemonTimeout())
                .isEqualTo(Duration.ofMinutes(minutes));
    }

    @Test
    void daemonTimeoutsOutsideOneTo240MinutesAreRejectedNamingTheOption() {
        assertThatThrownBy(
                        () ->
                                Hyper2KvmSettings.builder()
                                        .daemonTimeout(Duration.ofMinutes(241))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "Hyper2KVMDaemonTimeout must be between 1 and 240 minutes (got: 241 min)");
        assertThatThrownBy(
                        () ->
                                Hyper2KvmSettings.builder()
                                        .daemonTimeout(Duration.ofSeconds(59))
                                        .build())
                .hasMessage("Hyper2KVMDaemonTimeout must be between 1 and 240 minutes (got: 59 s)");
        assertThatThrownBy(() -> Hyper2KvmSettings.builder().daemonTimeout(Duration.ZERO).build())
                .hasMessageStartingWith("Hyper2KVMDaemonTimeout must be between 1 and 240 minutes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vsphere-prod", "aws_1", "a:b", "x.y", "A9"})
    void validInstanceNamesAreAccepted(String name) {
        assertThat(Hyper2KvmSettings.builder().instance(name).build().instance()).contains(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", ".hidden", "-rf", "a b", "x\0y", "ü"})
    void invalidInstanceNamesAreRejectedWithTheRule(String name) {
        assertThatThrownBy(() -> Hyper2KvmSettings.builder().instance(name).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Hyper2KVMInstance \"")
                .hasMessageEndingWith(
                        "use 1-200 characters of letters, digits, ':', '_', '.', '-', not"
                                + " starting with '.' or '-'");
    }

    @Test
    void instanceNamesAreLimitedTo200Characters() {
        assertThat(Hyper2KvmSettings.builder().instance("a".repeat(200)).build().instance())
                .isPresent();
        assertThatThrownBy(() -> Hyper2KvmSettings.builder().instance("a".repeat(201)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void explicitDirectoriesMustBeAbsolute() {
        assertThatThrownBy(() -> Hyper2KvmSettings.builder().watchDir(Path.of("queue")).build())
                .hasMessage("Hyper2KVMWatchDir must be an absolute path (got: queue)");
        assertThatThrownBy(() -> Hyper2KvmSettings.builder().outputDir(Path.of("out")).build())
                .hasMessage("Hyper2KVMOutputDir must be an absolute path (got: out)");
    }

    @Test
    void enumsParseTheirIdsAndNameTheAllowedValues() {
        assertThat(QueueLayout.parse("disk-watch")).isEqualTo(QueueLayout.DISK_WATCH);
        assertThat(QueueLayout.parse(" DISK_WATCH ")).isEqualTo(QueueLayout.DISK_WATCH);
        assertThat(QueueLayout.WORKFLOW.id()).isEqualTo("workflow");
        assertThat(Converter.parse("qemu-img")).isEqualTo(Converter.QEMU_IMG);
        assertThat(Converter.HYPER2KVM.id()).isEqualTo("hyper2kvm");
        assertThat(TargetFormat.parse("VDI")).isEqualTo(TargetFormat.VDI);
        assertThatThrownBy(() -> QueueLayout.parse("spool"))
                .hasMessage(
                        "unknown queue layout \"spool\": use one of workflow, flat, disk-watch");
        assertThatThrownBy(() -> TargetFormat.parse("vmdk"))
                .hasMessage("unknown target format \"vmdk\": use one of qcow2, raw, vdi");
        assertThatThrownBy(() -> Converter.parse("virt-v2v"))
                .hasMessage("unknown converter \"virt-v2v\": use one of hyper2kvm, qemu-img");
    }

    @Test
    void pipelineDefaultsAndValidation() {
        PipelineSettings d = PipelineSettings.defaults();

        assertThat(d.enabled()).isFalse();
        assertThat(d.converter()).isEqualTo(Converter.HYPER2KVM);
        assertThat(d.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.inspect() && d.fix() && d.convert() && d.validate()).isTrue();
        assertThat(d.targetFormat()).isEqualTo(TargetFormat.QCOW2);
        assertThat(d.libvirt().uri()).isEqualTo("qemu:///system");
        assertThat(PipelineSettings.builder().compressLevel(9).build().compressLevel())
                .isEqualTo(OptionalInt.of(9));
        assertThatThrownBy(() -> PipelineSettings.builder().compressLevel(0).build())
                .hasMessage("CompressLevel must be between 1 and 9 (got: 0)");
        assertThatThrownBy(() -> PipelineSettings.builder().timeout(Duration.ZERO).build())
                .hasMessage("PipelineTimeout must be positive (got: PT0S)");
        PipelineSettings changed =
                d.toBuilder()
                        .enabled(true)
                        .fix(false)
                        .hyper2kvm(Hyper2KvmSettings.builder().daemon(true).build())
                        .build();
        assertThat(changed.fix()).isFalse();
        assertThat(changed.hyper2kvm().daemon()).isTrue();
        assertThat(changed.toBuilder().build()).isEqualTo(changed);
    }

    @Test
    void libvirtSettingsValidateUriAndNames() {
        LibvirtSettings l = LibvirtSettings.builder().enabled(true).bridge("br0").pool("").build();

        assertThat(l.bridge()).contains("br0");
        assertThat(l.pool()).isEmpty();
        assertThatThrownBy(() -> LibvirtSettings.builder().uri("system").build())
                .hasMessage("LibvirtURI \"system\" is not a libvirt URI (e.g. qemu:///system)");
        assertThatThrownBy(() -> LibvirtSettings.builder().bridge("br/0").build())
                .hasMessageStartingWith("LibvirtBridge \"br/0\" is not a valid name");
    }
}
