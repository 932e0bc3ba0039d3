package io.hypersdk.transfer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forwarding HTTP proxy on 127.0.0.1 for tests: {@code CONNECT host:port} tunnels (https) and
 * absolute-form requests (http), both forwarded byte for byte; or, when told to, a 407 for
 * everything. Records each request line.
 */
final class LoopbackProxy implements AutoCloseable {

    private final ServerSocket socket;
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private volatile boolean demandAuthentication;

    LoopbackProxy() throws IOException {
        socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "loopback-proxy");
        t.setDaemon(true);
        t.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }

    List<String> requestLines() {
        return requestLines;
    }

    void demandAuthentication(boolean v) {
        demandAuthentication = v;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread t = new Thread(() -> serve(client), "loopback-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            byte[] b = head.toByteArray();
            int n = b.length;
            if (n >= 4
                    && b[n - 4] == '\r'
                    && b[n - 3] == '\n'
                    && b[n - 2] == '\r'
                    && b[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private void serve(Socket client) {
        try (client;
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream()) {
            String head = readHead(in);
            String requestLine = head.substring(0, Math.max(0, head.indexOf("\r\n")));
            requestLines.add(requestLine);
            if (demandAuthentication) {
                out.write(
                        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            String[] parts = requestLine.split(" ");
            try (Socket origin = new Socket()) {
                if (parts[0].equals("CONNECT")) {
                    String[] hp = parts[1].split(":");
                    origin.connect(
                            new InetSocketAddress(
                                    InetAddress.getLoopbackAddress(), Integer.parseInt(hp[1])));
                    out.write(
                            "HTTP/1.1 200 Connection established\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } else {
                    URI target = URI.create(parts[1]);
                    origin.connect(
                            new InetSocketAddress(
                                    InetAddress.getLoopbackAddress(), target.getPort()));
                    String originForm =
                            target.getRawPath()
                                    + (target.getRawQuery() == null
                                            ? ""
                                            : "?" + target.getRawQuery());
                    origin.getOutputStream()
                            .write(
                                    (parts[0]
                                                    + " "
                                                    + originForm
                                                    + " "
                                                    + parts[2]
                                                    + head.substring(requestLine.length()))
                                            .getBytes(StandardCharsets.ISO_8859_1));
                }
                Thread up = new Thread(() -> pump(in, origin), "loopback-proxy-up");
                up.setDaemon(true);
                up.start();
                origin.getInputStream().transferTo(out);
            }
        } catch (IOException | RuntimeException e) {
            // a side went away; the test sees it on its own connection
        }
    }

    private static void pump(InputStream in, Socket origin) {
        try {
            in.transferTo(origin.getOutputStream());
        } catch (IOException e) {
            // the other direction ended
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
