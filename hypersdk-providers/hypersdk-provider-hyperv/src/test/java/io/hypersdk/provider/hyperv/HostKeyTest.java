package io.hypersdk.provider.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.ProviderSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host-key verification: on by default, known_hosts or a pinned SHA256 fingerprint. */
class HostKeyTest {
    private static final String PASSWORD = "hk-Pa55word";

    @TempDir Path tmp;
    private KeyPair key;
    private FakeHypervHost host;

    @BeforeEach
    void start() throws Exception {
        key = FakeHypervHost.newKey();
        host = new FakeHypervHost(Files.createDirectories(tmp.resolve("host")), PASSWORD, key);
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
    }

    private ProviderConfig.Builder config(FakeHypervHost h) {
        return ProviderConfig.builder(Map.of())
                .set("host", "127.0.0.1")
                .set("port", Integer.toString(h.port()))
                .set("user", FakeHypervHost.USER)
                .set("known-hosts", tmp.resolve("known_hosts").toString());
    }

    private ProviderSession connect(ProviderConfig c) {
        return new HypervExportProvider(Map.of("HYPERV_PASSWORD", PASSWORD), Clock.systemUTC())
                .connect(c);
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprintAndHowToPinIt() throws Exception {
        String fp = host.fingerprint();
        assertThatThrownBy(() -> connect(config(host).build()))
                .isInstanceOf(ExportException.class)
                .isNotInstanceOf(AuthenticationException.class)
                .hasMessageContaining(fp)
                .hasMessageContaining("--provider-option host-key=" + fp)
                .hasMessageContaining("is not in " + tmp.resolve("known_hosts"));
        assertThat(host.invocations()).isEmpty();
    }

    @Test
    void aPinnedFingerprintIsAccepted() throws Exception {
        try (ProviderSession s =
                connect(config(host).set("host-key", host.fingerprint()).build())) {
            assertThat(s.listVms()).isEmpty();
        }
    }

    @Test
    void aSecondServerKeyIsRefusedWithItsFingerprint() throws Exception {
        String pinned = host.fingerprint();
        try (FakeHypervHost other =
                new FakeHypervHost(Files.createDirectories(tmp.resolve("other")), PASSWORD)) {
            String otherFp = other.fingerprint();
            assertThat(otherFp).isNotEqualTo(pinned);
            assertThatThrownBy(() -> connect(config(other).set("host-key", pinned).build()))
                    .isInstanceOf(ExportException.class)
                    .hasMessageContaining(otherFp)
                    .hasMessageContaining("not the pinned " + pinned)
                    .hasMessageContaining("host-key=" + otherFp);
            assertThat(other.invocations()).isEmpty();
        }
    }

    @Test
    void aKnownHostsEntryIsAcceptedAndAChangedKeyRefused() throws Exception {
        Files.writeString(
                tmp.resolve("known_hosts"),
                "[127.0.0.1]:"
                        + host.port()
                        + " "
                        + PublicKeyEntry.toString(key.getPublic())
                        + "\n");
        try (ProviderSession s = connect(config(host).build())) {
            assertThat(s.listVms()).isEmpty();
        }
        // the same address now answers with another key of the same type
        int port = host.port();
        host.close();
        Files.writeString(
                tmp.resolve("known_hosts"),
                "[127.0.0.1]:"
                        + port
                        + " "
                        + PublicKeyEntry.toString(FakeHypervHost.newKey().getPublic())
                        + "\n");
        host = new FakeHypervHost(tmp.resolve("host"), PASSWORD, key);
        Files.writeString(
                tmp.resolve("known_hosts"),
                "[127.0.0.1]:"
                        + host.port()
                        + " "
                        + PublicKeyEntry.toString(FakeHypervHost.newKey().getPublic())
                        + "\n");
        assertThatThrownBy(() -> connect(config(host).build()))
                .isInstanceOf(ExportException.class)
                .hasMessageContaining("differs from the one in")
                .hasMessageContaining(host.fingerprint());
    }

    @Test
    void aPrivateKeyFileLogsInWithoutAPassword() throws Exception {
        KeyPair client = FakeHypervHost.newKey();
        host.authorize(client.getPublic());
        Path keyFile = tmp.resolve("id_ecdsa");
        try (var out = Files.newOutputStream(keyFile)) {
            new org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter()
                    .writePrivateKey(client, "test", null, out);
        }
        ProviderConfig c =
                config(host)
                        .set("host-key", host.fingerprint())
                        .set("identity", keyFile.toString())
                        .build();
        try (ProviderSession s = new HypervExportProvider(Map.of(), Clock.systemUTC()).connect(c)) {
            assertThat(s.listVms()).isEmpty();
        }
        // another key is refused as a login failure
        Path other = tmp.resolve("id_other");
        try (var out = Files.newOutputStream(other)) {
            new org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter()
                    .writePrivateKey(FakeHypervHost.newKey(), "other", null, out);
        }
        ProviderConfig bad =
                config(host)
                        .set("host-key", host.fingerprint())
                        .set("identity", other.toString())
                        .build();
        assertThatThrownBy(() -> new HypervExportProvider(Map.of(), Clock.systemUTC()).connect(bad))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("identity=");
    }

    @Test
    void aMalformedPinIsAConfigurationErrorNamingTheSetting() {
        assertThatThrownBy(() -> connect(config(host).set("host-key", "md5:aa:bb").build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'host-key'")
                .hasMessageContaining("ssh-keygen -lf");
    }
}
