package io.hypersdk.cli.export;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * "Hosts" for the multi-host tier (issue 22): each host is a network namespace ({@code ip netns})
 * plus a mount namespace ({@code unshare --mount}) held open by a {@code sleep} process. Conversion
 * host A is the hub: a veth pair joins it to every other host. A test-started {@code
 * /usr/sbin/sshd} (host key and client key made here, {@code internal-sftp} only, listening on the
 * hub's veth addresses) serves the shared tree; conversion host B and every export host mount it
 * with {@code sshfs} at the same path, so paths in manifests mean the same file everywhere while
 * inotify sees nothing of the other hosts' changes.
 *
 * <p>Everything started here is ended by PID in {@link #close()}, which also runs from a shutdown
 * hook when a test run dies; deleting the network namespaces removes the veths.
 */
final class MultiHostHarness implements AutoCloseable {
    /** One host: its namespace name and the PID holding its mount namespace. */
    record Host(String name, String netns, long holder, String link, String hubAddress) {}

    private final Path root;
    private final String prefix;
    final Path share;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    final Host convA;
    final Host convB;
    final List<Host> exportHosts = new ArrayList<>();
    private final Thread hook;
    private volatile boolean closed;

    private MultiHostHarness(Path root, int exporters) throws Exception {
        this.root = root;
        this.prefix = "m" + (ProcessHandle.current().pid() % 100000);
        this.share = Files.createDirectories(root.resolve("share"));
        this.hook = new Thread(this::closeQuietly, "multihost-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        convA = host("a", 0);
        // the hub's private /run for sshd's privilege separation directory
        run(
                "nsenter",
                "-t",
                "" + convA.holder(),
                "-m",
                "-n",
                "--",
                "sh",
                "-c",
                "mount -t tmpfs tmpfs /run && mkdir -m 0755 /run/sshd");
        convB = host("b", 1);
        for (int i = 0; i < exporters; i++) {
            exportHosts.add(host("e" + (i + 1), i + 2));
        }
        startSshd();
        mount(convB);
        for (Host e : exportHosts) {
            mount(e);
        }
    }

    static MultiHostHarness start(Path root, int exporters) throws Exception {
        MultiHostHarness h = null;
        try {
            h = new MultiHostHarness(root, exporters);
            return h;
        } catch (Exception | Error e) {
            if (h != null) {
                h.close();
            }
            throw e;
        }
    }

    private Host host(String name, int index) throws Exception {
        String ns = prefix + name;
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        Process holder =
                track(
                        new ProcessBuilder(
                                        "ip",
                                        "netns",
                                        "exec",
                                        ns,
                                        "unshare",
                                        "--mount",
                                        "--propagation",
                                        "private",
                                        "sleep",
                                        "100000")
                                .redirectErrorStream(true)
                                .redirectOutput(root.resolve("holder-" + name + ".log").toFile())
                                .start());
        run("ip", "-n", ns, "link", "set", "lo", "up");
        if (index == 0) {
            await().atMost(Duration.ofSeconds(10)).until(() -> inOwnMountNs(holder.pid()));
            return new Host(name, ns, holder.pid(), "", "");
        }
        String hubSide = prefix + "h" + index;
        String hostSide = prefix + "x" + index;
        String hubNs = prefix + "a";
        run(
                "ip", "link", "add", "name", hubSide, "netns", hubNs, "type", "veth", "peer",
                "name", hostSide, "netns", ns);
        String net = "10.222." + index + ".";
        run("ip", "-n", hubNs, "addr", "add", net + "1/24", "dev", hubSide);
        run("ip", "-n", ns, "addr", "add", net + "2/24", "dev", hostSide);
        run("ip", "-n", hubNs, "link", "set", hubSide, "up");
        run("ip", "-n", ns, "link", "set", hostSide, "up");
        await().atMost(Duration.ofSeconds(10)).until(() -> inOwnMountNs(holder.pid()));
        return new Host(name, ns, holder.pid(), hostSide, net + "1");
    }

    private static boolean inOwnMountNs(long pid) throws IOException {
        try {
            return !Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/mnt"))
                            .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")))
                    && "sleep"
                            .equals(
                                    ProcessHandle.of(pid)
                                            .flatMap(p -> p.info().command())
                                            .map(c -> Path.of(c).getFileName().toString())
                                            .orElse(""));
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    private void startSshd() throws Exception {
        Path ssh = Files.createDirectories(root.resolve("ssh"));
        run(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                ssh.resolve("host_key").toString());
        run(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                ssh.resolve("client_key").toString());
        StringBuilder cfg = new StringBuilder();
        StringBuilder known = new StringBuilder();
        String hostPub = Files.readString(ssh.resolve("host_key.pub")).strip();
        String[] parts = hostPub.split(" ");
        String hostKey = parts[0] + " " + parts[1];
        List<Host> clients = new ArrayList<>(exportHosts);
        clients.add(0, convB);
        for (Host h : clients) {
            cfg.append("ListenAddress ").append(h.hubAddress()).append(":22\n");
            known.append(h.hubAddress()).append(' ').append(hostKey).append('\n');
        }
        Files.writeString(ssh.resolve("known_hosts"), known);
        cfg.append("HostKey ")
                .append(ssh.resolve("host_key"))
                .append('\n')
                .append("PidFile none\n")
                .append("AuthorizedKeysFile ")
                .append(ssh.resolve("client_key.pub"))
                .append('\n')
                .append("AuthenticationMethods publickey\n")
                .append("PasswordAuthentication no\nKbdInteractiveAuthentication no\n")
                .append("PermitRootLogin prohibit-password\nUsePAM no\nStrictModes no\n")
                .append("Subsystem sftp internal-sftp\nForceCommand internal-sftp\n")
                .append("AllowTcpForwarding no\nX11Forwarding no\n");
        Files.writeString(ssh.resolve("sshd_config"), cfg);
        Path log = root.resolve("sshd.log");
        startIn(
                convA,
                List.of("/usr/sbin/sshd", "-D", "-e", "-f", ssh.resolve("sshd_config").toString()),
                log);
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                Files.readString(log).split("Server listening", -1).length
                                        > clients.size());
    }

    private void mount(Host h) throws Exception {
        Path ssh = root.resolve("ssh");
        startIn(
                h,
                List.of(
                        "sshfs",
                        "-f",
                        "-o",
                        "IdentityFile="
                                + ssh.resolve("client_key")
                                + ",UserKnownHostsFile="
                                + ssh.resolve("known_hosts")
                                + ",StrictHostKeyChecking=yes,BatchMode=yes,reconnect"
                                + ",ServerAliveInterval=2,ServerAliveCountMax=3,dir_cache=no"
                                + ",entry_timeout=0,attr_timeout=0,negative_timeout=0",
                        "root@" + h.hubAddress() + ":" + share,
                        share.toString()),
                root.resolve("sshfs-" + h.name() + ".log"));
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                output(
                                                "nsenter",
                                                "-t",
                                                "" + h.holder(),
                                                "-m",
                                                "--",
                                                "findmnt",
                                                "-n",
                                                "-o",
                                                "FSTYPE",
                                                share.toString())
                                        .strip()
                                        .equals("fuse.sshfs"));
    }

    /** Starts a command inside a host (its network and mount namespaces); output to a file. */
    Process startIn(Host h, List<String> command, Path log) throws IOException {
        List<String> cmd =
                new ArrayList<>(List.of("nsenter", "-t", "" + h.holder(), "-m", "-n", "--"));
        cmd.addAll(command);
        return track(
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start());
    }

    /** The command line of a JVM running {@code mainClass} with this test's classpath. */
    static List<String> java(Class<?> mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(
                List.of(
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Xss512k",
                        "-cp",
                        System.getProperty("java.class.path"),
                        mainClass.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /** Takes an export host off the network ({@code ip link set ... down}) or back on. */
    void link(Host h, boolean up) throws Exception {
        run("ip", "-n", h.netns(), "link", "set", h.link(), up ? "up" : "down");
    }

    /** SIGKILL a process started here and its children, and wait until it is gone. */
    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (a service stop) and wait. */
    static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                kill(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Process track(Process p) {
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }

    static String output(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // best effort from the shutdown hook
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Process> all;
        synchronized (processes) {
            all = new ArrayList<>(processes);
        }
        // newest first: exporters and daemons, then sshfs and sshd, then the holders
        for (int i = all.size() - 1; i >= 0; i--) {
            kill(all.get(i));
        }
        for (String ns : namespaces) {
            try {
                run("ip", "netns", "del", ns);
            } catch (Exception e) {
                // already gone
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // running from the hook
        }
    }
}
