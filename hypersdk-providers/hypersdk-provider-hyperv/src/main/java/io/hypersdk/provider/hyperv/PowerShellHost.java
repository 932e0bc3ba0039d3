package io.hypersdk.provider.hyperv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.ExportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SSH session to a Hyper-V host whose commands run in Windows PowerShell. Every script is one of
 * the fixed texts in {@link Scripts}, sent as {@code -EncodedCommand}; the values it works on (VM
 * names, paths) travel as a JSON document on the script's standard input, so no value is ever part
 * of a command line.
 */
final class PowerShellHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PowerShellHost.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Exit code the scripts use for "no such VM". */
    static final int EXIT_VM_NOT_FOUND = 3;

    private final HypervSettings settings;
    private final SshClient client;
    private final ClientSession session;

    private PowerShellHost(HypervSettings settings, SshClient client, ClientSession session) {
        this.settings = settings;
        this.client = client;
        this.session = session;
    }

    /**
     * Connects and authenticates.
     *
     * @throws AuthenticationException the host refused the credentials
     * @throws ExportException unreachable host, or a host key that is not trusted
     */
    static PowerShellHost connect(HypervSettings settings) {
        HostKeyCheck keys =
                new HostKeyCheck(
                        settings.host(),
                        settings.port(),
                        settings.pinnedHostKey(),
                        settings.knownHosts());
        List<String> agentKeys =
                settings.agentSocket().map(PowerShellHost::agentKeys).orElse(List.of());
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(keys);
        settings.identity()
                .ifPresent(p -> client.setKeyIdentityProvider(new FileKeyPairProvider(p)));
        settings.agentSocket()
                .ifPresent(s -> client.setAgentFactory(new UnixSocketAgent.Factory(s)));
        client.start();
        ClientSession session = null;
        try {
            session =
                    client.connect(settings.user(), settings.host(), settings.port())
                            .verify(settings.timeout())
                            .getSession();
            if (settings.password().isPresent()) {
                session.addPasswordIdentity(settings.password().get().reveal());
            }
            session.auth().verify(settings.timeout());
            return new PowerShellHost(settings, client, session);
        } catch (IOException | RuntimeException e) {
            closeQuietly(session, client);
            if (keys.refusal().isPresent()) {
                throw new ExportException(
                        "refusing to connect to Hyper-V host: " + keys.refusal().get(), e);
            }
            if (session != null && isAuthFailure(e)) {
                throw new AuthenticationException(refusal(settings, agentKeys));
            }
            throw new ExportException(
                    "cannot reach Hyper-V host "
                            + settings.hostPort()
                            + " over SSH: "
                            + safeMessage(e)
                            + "; check --provider-option host=/port= and that OpenSSH runs on the host",
                    e);
        }
    }

    /**
     * The fingerprints of the keys the agent at {@code socket} holds, asked once before connecting
     * so that an unreachable agent is named as such and a refusal can list what was offered.
     */
    private static List<String> agentKeys(Path socket) {
        try (UnixSocketAgent agent = new UnixSocketAgent(socket)) {
            List<String> out = new ArrayList<>();
            for (Map.Entry<PublicKey, String> e : agent.getIdentities()) {
                out.add(
                        HostKeyCheck.fingerprint(e.getKey())
                                + " ("
                                + KeyUtils.getKeyType(e.getKey())
                                + ")");
            }
            return out;
        } catch (IOException e) {
            throw new ExportException(
                    "cannot use the SSH agent at "
                            + HypervSettings.AGENT_VARIABLE
                            + "="
                            + socket
                            + ": "
                            + safeMessage(e)
                            + "; start it again (eval $(ssh-agent); ssh-add KEYFILE) or use --provider-option identity=KEYFILE",
                    e);
        }
    }

    /** One line saying who refused whom with what, and what to change. */
    private static String refusal(HypervSettings settings, List<String> agentKeys) {
        String prefix =
                "Hyper-V host "
                        + settings.hostPort()
                        + " refused the login of user "
                        + settings.user();
        if (settings.agentSocket().isPresent()) {
            return prefix
                    + (agentKeys.isEmpty()
                            ? " because the SSH agent at "
                                    + HypervSettings.AGENT_VARIABLE
                                    + "="
                                    + settings.agentSocket().get()
                                    + " holds no key; add the key the host's authorized_keys lists with ssh-add KEYFILE"
                            : " with the keys of the SSH agent at "
                                    + HypervSettings.AGENT_VARIABLE
                                    + "="
                                    + settings.agentSocket().get()
                                    + " ("
                                    + String.join(", ", agentKeys)
                                    + "); add the key the host's authorized_keys lists with ssh-add KEYFILE, or use --provider-option identity=KEYFILE");
        }
        return prefix
                + "; check the user, the key (--provider-option identity=FILE) or "
                + HypervSettings.PASSWORD_VARIABLE
                + " in the environment";
    }

    /**
     * The command line that runs {@code script}: fixed text only, the script base64 in UTF-16LE.
     */
    static String commandLine(String script) {
        String encoded =
                Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
        return "powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand "
                + encoded;
    }

    /**
     * Runs one script with {@code parameters} as JSON on its standard input and reads its standard
     * output as JSON.
     *
     * @throws HypervCommandException the script failed (exit code and PowerShell's first error
     *     line)
     */
    JsonNode run(String script, Map<String, ?> parameters) {
        byte[] input;
        try {
            input = JSON.writeValueAsBytes(parameters);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (ChannelExec ch = session.createExecChannel(commandLine(script))) {
            ch.setOut(out);
            ch.setErr(err);
            ch.open().verify(settings.timeout());
            try (OutputStream stdin = ch.getInvertedIn()) {
                stdin.write(input);
                stdin.flush();
            }
            Set<ClientChannelEvent> ev =
                    ch.waitFor(
                            EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS),
                            settings.timeout());
            if (ev.contains(ClientChannelEvent.TIMEOUT)) {
                throw new HypervCommandException(
                        -1,
                        "no answer from " + settings.hostPort() + " within " + settings.timeout());
            }
            Integer s = ch.getExitStatus();
            status = s == null ? -1 : s;
        } catch (IOException e) {
            throw new ExportException(
                    "PowerShell on "
                            + settings.hostPort()
                            + " failed: "
                            + safeMessage(e)
                            + "; check the SSH connection",
                    e);
        }
        if (status != 0) {
            String first =
                    err.toString(StandardCharsets.UTF_8)
                            .strip()
                            .lines()
                            .findFirst()
                            .orElse("(no error text)");
            throw new HypervCommandException(status, first);
        }
        String text = out.toString(StandardCharsets.UTF_8).strip();
        try {
            return text.isEmpty() ? JSON.nullNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new ExportException(
                    "PowerShell on "
                            + settings.hostPort()
                            + " did not answer with JSON ("
                            + e.getMessage().lines().findFirst().orElse("")
                            + "); is the SSH default shell Windows PowerShell 5.1 or PowerShell 7?",
                    e);
        }
    }

    /** A new SFTP client on this session; the caller closes it. */
    SftpClient sftp() throws IOException {
        return SftpClientFactory.instance().createSftpClient(session);
    }

    /**
     * The SFTP path of a Windows path as Windows OpenSSH shows it: {@code C:\a\b} is {@code
     * /C:/a/b}.
     */
    static String sftpPath(String windowsPath) {
        return "/" + windowsPath.replace('\\', '/');
    }

    HypervSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        closeQuietly(session, client);
    }

    private static boolean isAuthFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("No more authentication methods available")
                    || m.contains("authentication")) {
                return true;
            }
        }
        return false;
    }

    private static String safeMessage(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(ClientSession session, SshClient client) {
        try {
            if (session != null) {
                session.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the SSH session: {}", e.toString());
        }
        client.stop();
    }
}
