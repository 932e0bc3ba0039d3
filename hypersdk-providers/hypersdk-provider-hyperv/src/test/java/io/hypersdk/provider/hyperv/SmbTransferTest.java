package io.hypersdk.provider.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.ProviderSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * transfer=smb: Export-VM (or, with method=copy, Convert-VHD) writes under the share's directory
 * and smbj reads it from a real smbd.
 */
class SmbTransferTest {
    private static final String PASSWORD = "Smb-Pa55-word";

    @TempDir Path tmp;

    @Test
    void theDisksTravelOverSmbFromTheSharedStagingDirectory() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path raw = TestImages.raw(images, "boot", 8, 7);
        Path vhdx = TestImages.convert(raw, images.resolve("smb-boot.vhdx"));
        String user = SambaServer.newUserName();
        Path hostRoot = Files.createDirectories(tmp.resolve("host"));
        try (FakeHypervHost host =
                new FakeHypervHost(hostRoot, user, PASSWORD, FakeHypervHost.newKey())) {
            Path shared = Files.createDirectories(host.local("D:\\exports"));
            try (SambaServer smb =
                    new SambaServer(
                            Files.createDirectories(tmp.resolve("samba")),
                            user,
                            "exports",
                            shared,
                            PASSWORD)) {
                host.addVm("beta", 3, 1, List.of(vhdx));
                ProviderConfig c =
                        ProviderConfig.builder(Map.of())
                                .set("host", "127.0.0.1")
                                .set("port", Integer.toString(host.port()))
                                .set("user", user)
                                .set("host-key", host.fingerprint())
                                .set("transfer", "smb")
                                .set("share", "exports")
                                .set("share-path", "D:\\exports")
                                .set("smb-port", Integer.toString(smb.port()))
                                .build();
                Path out = tmp.resolve("out");
                try (ProviderSession s =
                        new HypervExportProvider(
                                        Map.of("HYPERV_PASSWORD", PASSWORD), Clock.systemUTC())
                                .connect(c)) {
                    ArtifactManifest m =
                            s.export(
                                            ExportRequest.builder("beta", out)
                                                    .checksums(true)
                                                    .build(),
                                            ProgressListener.NONE,
                                            Cancellation.create())
                                    .manifest();
                    Path disk = m.disks().get(0).localPath();
                    assertThat(TestImages.identical(disk, raw)).isTrue();
                    assertThat(m.disks().get(0).checksum())
                            .contains("sha256:" + HypervExportTest.sha256(disk));
                }
                assertThat(host.invocations())
                        .anySatisfy(
                                i -> assertThat(i.stdin()).contains("D:\\\\exports\\\\hypersdk-"));
                assertThat(shared).isEmptyDirectory();
                // method=copy: SMB reaches only the share, so the disk is converted into it first
                try (ProviderSession s =
                        new HypervExportProvider(
                                        Map.of("HYPERV_PASSWORD", PASSWORD), Clock.systemUTC())
                                .connect(c.toBuilder().set("method", "copy").build())) {
                    ArtifactManifest m =
                            s.export(
                                            ExportRequest.builder("beta", tmp.resolve("copied"))
                                                    .build(),
                                            ProgressListener.NONE,
                                            Cancellation.create())
                                    .manifest();
                    assertThat(TestImages.identical(m.disks().get(0).localPath(), raw)).isTrue();
                }
                assertThat(host.merges())
                        .singleElement()
                        .satisfies(
                                x ->
                                        assertThat(x.destination())
                                                .startsWith("D:\\exports\\hypersdk-"));
                assertThat(shared).isEmptyDirectory();
            }
        }
    }

    @Test
    void smbWithoutAShareIsAConfigurationErrorWithTheFix() {
        ProviderConfig c =
                ProviderConfig.builder(Map.of())
                        .set("host", "h")
                        .set("user", "u")
                        .set("transfer", "smb")
                        .build();
        assertThatThrownBy(() -> HypervSettings.from(c, Map.of()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'share'")
                .hasMessageContaining("transfer=smb,share=");
    }
}
