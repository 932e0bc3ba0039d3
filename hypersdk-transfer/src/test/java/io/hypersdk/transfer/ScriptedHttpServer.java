package io.hypersdk.transfer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A loopback TCP server that answers every connection with bytes a test scripts from the request
 * text, so that the HTTP client meets exactly the wire format under test (chunking, interim
 * answers, malformed lines, a connection closed mid-body). Requests are recorded as text.
 */
final class ScriptedHttpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread acceptor;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Function<String, byte[]> script;

    ScriptedHttpServer(Function<String, byte[]> script) throws IOException {
        this.script = script;
        this.socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "scripted-http");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers every request with the same bytes. */
    static ScriptedHttpServer answering(String head, byte[] body) throws IOException {
        return new ScriptedHttpServer(
                req -> concat(head.getBytes(StandardCharsets.ISO_8859_1), body));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    void script(Function<String, byte[]> s) {
        this.script = s;
    }

    int port() {
        return socket.getLocalPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** The request texts (request line and headers), in arrival order. */
    List<String> requests() {
        return requests;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread t = new Thread(() -> serve(s), "scripted-http-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s;
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream()) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            int c;
            while (matched < 4 && (c = in.read()) >= 0) {
                head.write(c);
                matched =
                        (c == '\r' && (matched == 0 || matched == 2))
                                        || (c == '\n' && (matched == 1 || matched == 3))
                                ? matched + 1
                                : c == '\r' ? 1 : 0;
            }
            String request = head.toString(StandardCharsets.ISO_8859_1);
            requests.add(request);
            out.write(script.apply(request));
            out.flush();
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
