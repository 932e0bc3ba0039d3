package io.hypersdk.provider.hyperv;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * An SSH agent ({@code ssh-agent}, {@code gpg-agent}, ...) reached over its Unix socket ({@code
 * SSH_AUTH_SOCK}) with the JDK's own Unix domain sockets. MINA SSHD's {@link AbstractAgentProxy}
 * writes and reads the agent protocol (draft-miller-ssh-agent: REQUEST_IDENTITIES 11 /
 * IDENTITIES_ANSWER 12, SIGN_REQUEST 13 / SIGN_RESPONSE 14 with the rsa-sha2-256 / rsa-sha2-512
 * flags); this class only carries its length-prefixed messages. MINA's own Unix agent client needs
 * Tomcat's native APR library, which a Linux export host rarely has.
 */
final class UnixSocketAgent extends AbstractAgentProxy {
    /** Larger answers are refused: an identities list of a few keys is a few KiB. */
    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;
    private final SocketChannel channel;

    UnixSocketAgent(Path socket) throws IOException {
        super(null);
        this.socket = socket;
        this.channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Sends one prepared message (length included) and returns the answer after its length. */
    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer length = ByteBuffer.allocate(4);
        readFully(length);
        int n = length.flip().getInt();
        if (n <= 0 || n > MAX_MESSAGE) {
            throw new IOException(
                    "the SSH agent at " + socket + " answered with a message of " + n + " bytes");
        }
        ByteBuffer body = ByteBuffer.allocate(n);
        readFully(body);
        return new ByteArrayBuffer(body.array());
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("the SSH agent at " + socket + " closed the connection");
            }
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            channel.close();
        }
    }

    /** Gives MINA's client a new connection to the agent for each authentication. */
    record Factory(Path socket) implements SshAgentFactory {
        @Override
        public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
            return List.of();
        }

        @Override
        public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
            return new UnixSocketAgent(socket);
        }

        @Override
        public SshAgentServer createServer(ConnectionService service) {
            throw new UnsupportedOperationException("agent forwarding is not offered");
        }
    }
}
