package io.hypersdk.provider.hyperv;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * A real OpenSSH {@code ssh-agent} for tests, started in the foreground on a socket in a directory
 * of the test's own and ended by its PID. Keys come from {@code ssh-keygen} and enter the agent
 * through {@code ssh-add}, with {@code SSH_AUTH_SOCK} set only in that child's environment.
 */
final class SshAgentProcess implements AutoCloseable {
    private final Process process;
    private final Path socket;

    SshAgentProcess(Path dir) throws IOException {
        this.socket = dir.resolve("agent.sock");
        this.process =
                new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("ssh-agent.log").toFile())
                        .start();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Files.exists(socket) || !process.isAlive());
        if (!process.isAlive()) {
            throw new IOException(
                    "ssh-agent ended: " + Files.readString(dir.resolve("ssh-agent.log")));
        }
    }

    /** The agent's socket: what SSH_AUTH_SOCK names. */
    Path socket() {
        return socket;
    }

    /** {@code ssh-add KEY} against this agent only. */
    void add(Path privateKey) throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder("ssh-add", privateKey.toString()).redirectErrorStream(true);
        pb.environment().put("SSH_AUTH_SOCK", socket.toString());
        pb.environment().remove("DISPLAY");
        pb.environment().remove("SSH_ASKPASS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ssh-add " + privateKey + " failed: " + out);
        }
    }

    /** {@code ssh-keygen -t TYPE} without a passphrase into {@code dir/id_<type>}. */
    static Path newKey(Path dir, String type) throws IOException, InterruptedException {
        Path key = dir.resolve("id_" + type);
        List<String> size = type.equals("rsa") ? List.of("-b", "2048") : List.of();
        List<String> cmd =
                new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", ""));
        cmd.addAll(size);
        cmd.addAll(List.of("-C", "hypersdk-test-" + type, "-f", key.toString()));
        TestImages.run(cmd.toArray(String[]::new));
        return key;
    }

    /** The public half of a key made by {@link #newKey}. */
    static PublicKey publicKey(Path privateKey) throws Exception {
        return AuthorizedKeyEntry.readAuthorizedKeys(Path.of(privateKey + ".pub"))
                .get(0)
                .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
    }

    /** Ends the agent this object started, by its PID. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
