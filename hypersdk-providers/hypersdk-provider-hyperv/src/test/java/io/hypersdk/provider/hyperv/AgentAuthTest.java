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
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Login with the keys of a real {@code ssh-agent} (SSH_AUTH_SOCK), holding an ed25519 and an RSA
 * key made by {@code ssh-keygen}; the host double accepts only the key a test authorizes.
 */
class AgentAuthTest {
    @TempDir static Path keys;
    @TempDir Path tmp;
    private FakeHypervHost host;
    private SshAgentProcess agent;
    private static Path ed25519;
    private static Path rsa;

    @BeforeAll
    static void keys() throws Exception {
        ed25519 = SshAgentProcess.newKey(keys, "ed25519");
        rsa = SshAgentProcess.newKey(keys, "rsa");
    }

    @BeforeEach
    void start() throws Exception {
        agent = new SshAgentProcess(Files.createDirectories(tmp.resolve("agent")));
        host = new FakeHypervHost(Files.createDirectories(tmp.resolve("host")), "no-password-used");
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
        agent.close();
    }

    private ProviderConfig.Builder config() throws Exception {
        return host.config();
    }

    private ProviderSession connect(ProviderConfig c) {
        return new HypervExportProvider(
                        Map.of("SSH_AUTH_SOCK", agent.socket().toString()), Clock.systemUTC())
                .connect(c);
    }

    @Test
    void theAgentsEd25519OrRsaKeyLogsInWhenNoPasswordOrKeyFileIsGiven() throws Exception {
        agent.add(ed25519);
        agent.add(rsa);
        host.authorize(SshAgentProcess.publicKey(ed25519));
        try (ProviderSession s = connect(config().build())) {
            assertThat(s.listVms()).isEmpty();
        }
        // only the RSA key now: the agent signs with rsa-sha2-256/512, never the key file
        host.deauthorizeAll();
        host.authorize(SshAgentProcess.publicKey(rsa));
        assertThat(config().build().get("identity")).as("no key file is given").isEmpty();
        try (ProviderSession s = connect(config().set("auth", "agent").build())) {
            assertThat(s.listVms()).isEmpty();
        }
        assertThat(host.invocations()).hasSize(2);
    }

    @Test
    void anAgentWithoutTheRightKeyIsARefusalListingWhatItOffered() throws Exception {
        agent.add(ed25519);
        host.authorize(SshAgentProcess.publicKey(rsa));
        String offered = HostKeyCheck.fingerprint(SshAgentProcess.publicKey(ed25519));
        assertThatThrownBy(() -> connect(config().build()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("refused the login of user " + FakeHypervHost.USER)
                .hasMessageContaining("SSH_AUTH_SOCK=" + agent.socket())
                .hasMessageContaining(offered)
                .hasMessageContaining("ssh-add");
        assertThat(host.invocations()).isEmpty();
    }

    @Test
    void anAgentThatIsGoneOrUnsetIsNamed() throws Exception {
        assertThatThrownBy(
                        () ->
                                new HypervExportProvider(Map.of(), Clock.systemUTC())
                                        .connect(config().set("auth", "agent").build()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("auth=agent needs SSH_AUTH_SOCK");
        Path stale = Files.createFile(tmp.resolve("stale.sock"));
        assertThatThrownBy(
                        () ->
                                new HypervExportProvider(
                                                Map.of("SSH_AUTH_SOCK", stale.toString()),
                                                Clock.systemUTC())
                                        .connect(config().build()))
                .isInstanceOf(ExportException.class)
                .hasMessageContaining("SSH agent at SSH_AUTH_SOCK=" + stale)
                .hasMessageContaining("ssh-add");
    }
}
