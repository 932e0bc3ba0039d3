package io.hypersdk.provider.hyperv;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code smbd} for tests: a config in a temp directory, listening on a free loopback port,
 * sharing one directory read-only to a local user the fixture creates (and removes on {@link
 * #close()}). Needs root and the {@code samba} package; stopped by its PID.
 */
final class SambaServer implements AutoCloseable {
    static final Path SMBD = Path.of("/usr/sbin/smbd");

    private final Path dir;
    private final String user;
    private final int port;
    private final Process smbd;

    /** A fresh local user name for {@link #SambaServer}. */
    static String newUserName() {
        return "hvsmb" + UUID.randomUUID().toString().substring(0, 8);
    }

    SambaServer(Path dir, String user, String share, Path sharePath, String password)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(SMBD)) {
            throw new IllegalStateException(
                    SMBD + " is missing: install Debian's samba (scripts/install-test-deps.sh)");
        }
        this.dir = dir;
        this.user = user;
        this.port = freePort();
        for (String sub : List.of("run", "lock", "state", "cache", "private", "ncalrpc", "log")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Path conf = dir.resolve("smb.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "[global]",
                        "  workgroup = WORKGROUP",
                        "  server role = standalone server",
                        "  smb ports = " + port,
                        "  interfaces = 127.0.0.1",
                        "  bind interfaces only = yes",
                        "  disable netbios = yes",
                        "  server min protocol = SMB2_10",
                        "  pid directory = " + dir.resolve("run"),
                        "  lock directory = " + dir.resolve("lock"),
                        "  state directory = " + dir.resolve("state"),
                        "  cache directory = " + dir.resolve("cache"),
                        "  private dir = " + dir.resolve("private"),
                        "  ncalrpc dir = " + dir.resolve("ncalrpc"),
                        "  log file = " + dir.resolve("log/smbd.log"),
                        "  passdb backend = tdbsam:" + dir.resolve("private/passdb.tdb"),
                        "  load printers = no",
                        "  printing = bsd",
                        "  printcap name = /dev/null",
                        "  disable spoolss = yes",
                        "",
                        "[" + share + "]",
                        "  path = " + sharePath,
                        "  read only = yes",
                        "  valid users = " + user,
                        ""));
        run(List.of("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user), "");
        try {
            run(
                    List.of("smbpasswd", "-c", conf.toString(), "-a", "-s", user),
                    password + "\n" + password + "\n");
            // the share's parents must be traversable by the user
            // (only directories below the temporary directory, never the temporary directory
            // itself:
            // /tmp must keep its 1777; and bits are only added, never taken away)
            Path tmpdir = Path.of(System.getProperty("java.io.tmpdir"));
            for (Path p = sharePath; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
                if (p.startsWith(tmpdir) && !p.equals(tmpdir)) {
                    java.util.Set<java.nio.file.attribute.PosixFilePermission> mode =
                            Files.getPosixFilePermissions(p);
                    mode.add(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
                    mode.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(p, mode);
                }
            }
            smbd =
                    new ProcessBuilder(
                                    SMBD.toString(),
                                    "--foreground",
                                    "--configfile=" + conf,
                                    "--debug-stdout",
                                    "-d",
                                    "1")
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("log/stdout.txt").toFile())
                            .start();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(this::listening);
        } catch (IOException | RuntimeException | InterruptedException e) {
            stop();
            throw e;
        }
    }

    String user() {
        return user;
    }

    int port() {
        return port;
    }

    private boolean listening() {
        if (smbd != null && !smbd.isAlive()) {
            throw new IllegalStateException("smbd exited: see " + dir.resolve("log"));
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping smbd", e);
        }
    }

    private void stop() throws IOException, InterruptedException {
        if (smbd != null) {
            ProcessHandle h = smbd.toHandle();
            List<ProcessHandle> children = h.descendants().toList();
            smbd.destroy(); // SIGTERM to our smbd's PID
            if (!smbd.waitFor(10, TimeUnit.SECONDS)) {
                smbd.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroy); // connection workers it forked
            // (smbd runs in its own process group: on exit it signals that group, never ours)
        }
        run(List.of("userdel", user), "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void run(List<String> cmd, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(cmd.get(0) + " failed: " + out.strip());
        }
    }
}
