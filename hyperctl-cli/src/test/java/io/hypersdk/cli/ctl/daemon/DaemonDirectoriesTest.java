package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.cli.ctl.daemon.DaemonDirectories.Source;
import io.hypersdk.core.settings.QueueLayout;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DaemonDirectoriesTest {

    @Test
    void directoriesAndLayoutComeFromTheUnitEnvironment() {
        DaemonDirectories d = DaemonDirectories.fromEnvironment(Map.of(
                "WATCH_DIR", "/srv/h2k/prod/in", "OUTPUT_DIR", "/srv/h2k/prod/out", "QUEUE_LAYOUT", "disk-watch",
                "OTHER", "x"), Optional.of("prod"));

        assertThat(d.watchDir()).isEqualTo(Path.of("/srv/h2k/prod/in"));
        assertThat(d.outputDir()).isEqualTo(Path.of("/srv/h2k/prod/out"));
        assertThat(d.layout()).contains(QueueLayout.DISK_WATCH);
        assertThat(d.watchDirSource()).isEqualTo(Source.UNIT);
        assertThat(d.outputDirSource()).isEqualTo(Source.UNIT);
        assertThat(d.layoutSource()).isEqualTo(Source.UNIT);
        assertThat(d.anyFromConvention()).isFalse();
    }

    @Test
    void namedInstanceWithoutEnvironmentFallsBackToTheConventionAndSaysSo() {
        DaemonDirectories d = DaemonDirectories.fromEnvironment(Map.of(), Optional.of("vsphere-prod"));

        assertThat(d.watchDir()).isEqualTo(Path.of("/var/lib/hyper2kvm/vsphere-prod/queue"));
        assertThat(d.outputDir()).isEqualTo(Path.of("/var/lib/hyper2kvm/vsphere-prod/output"));
        assertThat(d.layout()).contains(QueueLayout.WORKFLOW);
        assertThat(d.watchDirSource()).isEqualTo(Source.CONVENTION);
        assertThat(d.layoutSource()).isEqualTo(Source.DEFAULT);
        assertThat(d.anyFromConvention()).isTrue();
    }

    @Test
    void defaultInstanceFallsBackToTheDefaultDirectories() {
        DaemonDirectories d = DaemonDirectories.fromEnvironment(Map.of("OUTPUT_DIR", "/data/out"), Optional.empty());

        assertThat(d.watchDir()).isEqualTo(Path.of("/var/lib/hyper2kvm/queue"));
        assertThat(d.watchDirSource()).isEqualTo(Source.CONVENTION);
        assertThat(d.outputDir()).isEqualTo(Path.of("/data/out"));
        assertThat(d.outputDirSource()).isEqualTo(Source.UNIT);
    }
}
