package io.hypersdk.provider.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider against the in-JVM SSH + SFTP Hyper-V host, with real VHDX files from qemu-img. */
class HypervExportTest {
    private static final String PASSWORD = "s3cret-Pa55-hyperv";

    @TempDir Path tmp;
    private FakeHypervHost host;
    private Path rawBoot;
    private Path rawData;
    private FakeHypervHost.Vm alpha;

    @BeforeEach
    void start() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        rawData = TestImages.raw(images, "data", 8, 1);
        rawBoot = TestImages.raw(images, "boot", 16, 2);
        Path data = TestImages.convert(rawData, images.resolve("alpha-data.vhdx"));
        Path boot = TestImages.convert(rawBoot, images.resolve("alpha-boot.vhdx"));
        host = new FakeHypervHost(Files.createDirectories(tmp.resolve("host")), PASSWORD);
        // drive order data, boot; the firmware's boot order names the boot disk first
        alpha = host.addVm("alpha", 3, 2, List.of(data, boot));
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
    }

    private ProviderSession connect(Map<String, String> options) throws Exception {
        ProviderConfig.Builder b =
                ProviderConfig.builder(Map.of())
                        .set("host", "127.0.0.1")
                        .set("port", Integer.toString(host.port()))
                        .set("user", FakeHypervHost.USER)
                        .set("known-hosts", tmp.resolve("no-known-hosts").toString());
        if (!options.containsKey("host-key")) {
            b.set("host-key", host.fingerprint());
        }
        options.forEach(b::set);
        return new HypervExportProvider(Map.of("HYPERV_PASSWORD", PASSWORD), Clock.systemUTC())
                .connect(b.build());
    }

    private ExportResult export(ProviderSession s, String vm, Path out) {
        return s.export(
                ExportRequest.builder(vm, out).checksums(true).parallel(2).build(),
                ProgressListener.NONE,
                Cancellation.create());
    }

    @Test
    void exportsTheVhdxFilesOverSftpBootDiskFirstWithRealSizesAndChecksums() throws Exception {
        Path out = tmp.resolve("out");
        try (ProviderSession s = connect(Map.of())) {
            ExportResult r = export(s, "alpha", out);
            ArtifactManifest m = r.manifest();
            assertThat(m.disks()).hasSize(2);
            DiskArtifact boot = m.disks().get(0);
            assertThat(boot.sourceFormat()).isEqualTo(DiskFormat.VHDX);
            assertThat(TestImages.identical(boot.localPath(), rawBoot))
                    .as("boot disk first")
                    .isTrue();
            assertThat(TestImages.identical(m.disks().get(1).localPath(), rawData)).isTrue();
            for (int i = 0; i < 2; i++) {
                DiskArtifact d = m.disks().get(i);
                Path onHost = host.local(alpha.disks.get(1 - i));
                assertThat(d.bytes())
                        .isEqualTo(Files.size(onHost))
                        .isEqualTo(Files.size(d.localPath()))
                        .isPositive();
                assertThat(d.checksum()).contains("sha256:" + sha256(onHost));
            }
            assertThat(m.vm().orElseThrow().firmware()).isEqualTo(Firmware.UEFI);
            assertThat(m.vm().orElseThrow().secureboot()).isTrue();
            assertThat(m.vm().orElseThrow().memGb()).isEqualTo(4); // dynamic memory maximum
            assertThat(m.nics())
                    .singleElement()
                    .satisfies(
                            n -> {
                                assertThat(n.mac()).contains("00:15:5d:0a:0b:0c");
                                assertThat(n.network()).contains("Default Switch");
                            });
            assertThat(m.source().orElseThrow().provider()).isEqualTo("hyperv");
            assertThat(r.manifestPath()).exists();
            assertThat(Files.readString(r.manifestPath())).contains("\"source_format\": \"vhdx\"");
        }
        // staging removed on the host, and no checkpoint for a VM that is off
        assertThat(host.local("C:\\ProgramData\\hypersdk\\staging")).isEmptyDirectory();
        assertThat(host.invocations()).noneMatch(i -> i.script().equals(Scripts.CHECKPOINT));
    }

    @Test
    void describeReadsGenerationSecureBootDisksAndNics() throws Exception {
        try (ProviderSession s = connect(Map.of())) {
            VmDescription d = s.describe("alpha");
            assertThat(d.powerState()).isEqualTo(PowerState.OFF);
            assertThat(d.firmware()).isEqualTo(Firmware.UEFI);
            assertThat(d.disks())
                    .extracting(x -> x.fileName().orElseThrow())
                    .containsExactly(alpha.disks.get(1), alpha.disks.get(0));
            assertThat(d.disks().get(0).capacityBytes()).isEqualTo(16L << 20);
            assertThat(s.listVms())
                    .singleElement()
                    .satisfies(v -> assertThat(v.name()).isEqualTo("alpha"));
            assertThatThrownBy(() -> s.describe("nope"))
                    .isInstanceOf(VmNotFoundException.class)
                    .hasMessageContaining("'nope'");
        }
    }

    @Test
    void aVmNameWithQuotesSemicolonsAndSubexpressionsReachesPowerShellOnlyAsData()
            throws Exception {
        String evil = "x'; Remove-VM -Force; '\"$(Stop-Computer -Force)\"`; & del C:\\*";
        Path img = TestImages.convert(rawData, tmp.resolve("images/evil.vhdx"));
        host.addVm(evil, 3, 1, List.of(img));
        try (ProviderSession s = connect(Map.of())) {
            ExportResult r = export(s, evil, tmp.resolve("evil-out"));
            assertThat(r.manifest().source().orElseThrow().vmName()).contains(evil);
            assertThat(r.manifest().vm().orElseThrow().firmware()).isEqualTo(Firmware.BIOS);
        }
        Set<String> fixed =
                Set.of(
                        Scripts.LIST,
                        Scripts.DESCRIBE,
                        Scripts.CHECKPOINT,
                        Scripts.EXPORT,
                        Scripts.REMOVE_CHECKPOINT,
                        Scripts.REMOVE_STAGING);
        assertThat(host.invocations())
                .isNotEmpty()
                .allSatisfy(
                        i -> {
                            assertThat(fixed).as("only fixed scripts run").contains(i.script());
                            assertThat(i.commandLine())
                                    .isEqualTo(PowerShellHost.commandLine(i.script()))
                                    .doesNotContain("Remove-VM")
                                    .doesNotContain("$(");
                        });
        assertThat(host.invocations().get(0).stdin())
                .as("the name travels as JSON data on stdin")
                .isEqualTo(
                        new com.fasterxml.jackson.databind.ObjectMapper()
                                .writeValueAsString(Map.of("vm", evil)));
    }

    @Test
    void aRunningVmIsExportedFromACheckpointThatIsRemovedAfterwards() throws Exception {
        alpha.state = 2;
        try (ProviderSession s = connect(Map.of())) {
            ExportResult r = export(s, "alpha", tmp.resolve("out"));
            assertThat(r.manifest().source().orElseThrow().exportMethod())
                    .contains("export-vmsnapshot");
        }
        assertThat(host.removedCheckpoints()).hasSize(1);
        assertThat(host.checkpoints()).isEmpty();
    }

    @Test
    void theCheckpointIsRemovedWhenTheExportFails() throws Exception {
        alpha.state = 2;
        host.failExport(true);
        try (ProviderSession s = connect(Map.of())) {
            assertThatThrownBy(() -> export(s, "alpha", tmp.resolve("out")))
                    .isInstanceOf(ExportException.class)
                    .hasMessageContaining("not enough space");
        }
        assertThat(host.removedCheckpoints()).hasSize(1);
        assertThat(host.checkpoints()).isEmpty();
        assertThat(host.local("C:\\ProgramData\\hypersdk\\staging")).isEmptyDirectory();
    }

    @Test
    void aRunningVmIsRefusedWithTheFixWhenCheckpointsAreOff() throws Exception {
        alpha.state = 2;
        try (ProviderSession s = connect(Map.of("checkpoint", "false"))) {
            assertThatThrownBy(() -> export(s, "alpha", tmp.resolve("out")))
                    .isInstanceOf(InvalidSourceException.class)
                    .hasMessageContaining("alpha")
                    .hasMessageContaining("Stop-VM")
                    .hasMessageContaining("checkpoint=true");
        }
        assertThat(host.checkpoints()).isEmpty();
    }

    @Test
    void aPartialFileIsContinuedAtItsLengthNotFetchedAgain() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path boot = host.local(alpha.disks.get(1));
        byte[] prefix = Files.readAllBytes(boot);
        byte[] marker = new byte[4096];
        java.util.Arrays.fill(marker, (byte) 0x5a);
        // a .part of the right length whose bytes differ from the source: only resuming keeps them
        Files.write(out.resolve(".alpha-disk-0.vhdx.part"), marker);
        try (ProviderSession s = connect(Map.of())) {
            ExportResult r = export(s, "alpha", out);
            Path got = r.manifest().disks().get(0).localPath();
            byte[] bytes = Files.readAllBytes(got);
            assertThat(bytes).hasSize(prefix.length);
            assertThat(java.util.Arrays.copyOf(bytes, 4096)).isEqualTo(marker);
            assertThat(java.util.Arrays.copyOfRange(bytes, 4096, bytes.length))
                    .isEqualTo(java.util.Arrays.copyOfRange(prefix, 4096, prefix.length));
            assertThat(r.manifest().disks().get(0).checksum()).contains("sha256:" + sha256(got));
        }
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureThatDoesNotShowThePassword() throws Exception {
        ProviderConfig c = host.config().build();
        String wrong = "wr0ng-Pa55word-value";
        assertThatThrownBy(
                        () ->
                                new HypervExportProvider(
                                                Map.of("HYPERV_PASSWORD", wrong), Clock.systemUTC())
                                        .connect(c))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("HYPERV_PASSWORD")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain(wrong));
    }

    static String stackText(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
