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
 * plus a mount namespace ({@code unshare --mount}) held open by a {@code sleep} process. Each of
 * the two conversion hosts has its own tree ({@link #shareA}, {@link #shareB}: its spool, its
 * output, the exports it converts) on its own disk, served by its own test-started {@code
 * /usr/sbin/sshd} (host key and client key made here, {@code internal-sftp} only); a veth pair
 * joins each export host to each conversion host, and every export host mounts both trees with
 * {@code sshfs} at the same paths, so paths in manifests mean the same file everywhere while
 * inotify sees nothing of the other hosts' changes. Each daemon claims from its own spool on its
 * own machine: no claim goes over sshfs.
 *
 * <p>Everything started here is ended by PID in {@link #close()}, which also runs from a shutdown
 * hook when a test run dies; deleting the network namespaces removes the veths.
 */
final class MultiHostHarness implements AutoCloseable {
    /** One host: its namespace name and the PID holding its mount namespace. */
    record Host(
            String name, String netns, long holder, List<String> links, List<String> addresses) {
        /** A conversion host's address on its link to {@code exporter}. */
        String addressFor(Host exporter) {
            return addresses.get(0) + exporter.index() + ".1";
        }

        int index() {
            return Integer.parseInt(name.substring(1));
        }
    }

    private final Path root;
    private final String prefix;
    final Path shareA;
    final Path shareB;
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
        this.shareA = Files.createDirectories(root.resolve("share-a"));
        this.shareB = Files.createDirectories(root.resolve("share-b"));
        this.hook = new Thread(this::closeQuietly, "multihost-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        Host a = host("a");
        Host b = host("b");
        for (int i = 1; i <= exporters; i++) {
            Host e = host("e" + i);
            String la = prefix + "a" + i;
            String lb = prefix + "b" + i;
            link(a, la + "h", e, la, "10.222." + i + ".");
            link(b, lb + "h", e, lb, "10.223." + i + ".");
            exportHosts.add(
                    new Host(
                            e.name(),
                            e.netns(),
                            e.holder(),
                            List.of(la, lb),
                            List.of("10.222." + i + ".2", "10.223." + i + ".2")));
        }
        convA = new Host("a", a.netns(), a.holder(), List.of(), List.of("10.222."));
        convB = new Host("b", b.netns(), b.holder(), List.of(), List.of("10.223."));
        Path ssh = keys();
        startSshd(convA, shareA, ssh);
        startSshd(convB, shareB, ssh);
        for (Host e : exportHosts) {
            mount(e, convA, shareA);
            mount(e, convB, shareB);
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

    private Host host(String name) throws Exception {
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
        await().atMost(Duration.ofSeconds(10)).until(() -> inOwnMountNs(holder.pid()));
        return new Host(name, ns, holder.pid(), List.of(), List.of());
    }

    /** A veth pair between a conversion host (address .1) and an export host (.2). */
    private void link(Host conv, String convSide, Host exporter, String exporterSide, String net)
            throws Exception {
        run(
                "ip",
                "link",
                "add",
                "name",
                convSide,
                "netns",
                conv.netns(),
                "type",
                "veth",
                "peer",
                "name",
                exporterSide,
                "netns",
                exporter.netns());
        run("ip", "-n", conv.netns(), "addr", "add", net + "1/24", "dev", convSide);
        run("ip", "-n", exporter.netns(), "addr", "add", net + "2/24", "dev", exporterSide);
        run("ip", "-n", conv.netns(), "link", "set", convSide, "up");
        run("ip", "-n", exporter.netns(), "link", "set", exporterSide, "up");
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

    private Path keys() throws Exception {
        Path ssh = Files.createDirectories(root.resolve("ssh"));
        for (String key : List.of("host_key", "client_key")) {
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ssh.resolve(key).toString());
        }
        String[] parts = Files.readString(ssh.resolve("host_key.pub")).strip().split(" ");
        StringBuilder known = new StringBuilder();
        for (Host e : exportHosts) {
            for (String conv : List.of("10.222.", "10.223.")) {
                known.append(conv)
                        .append(e.index())
                        .append(".1 ")
                        .append(parts[0])
                        .append(' ')
                        .append(parts[1])
                        .append('\n');
            }
        }
        Files.writeString(ssh.resolve("known_hosts"), known);
        return ssh;
    }

    /** A conversion host's own sshd, serving its tree to the export hosts. */
    private void startSshd(Host conv, Path share, Path ssh) throws Exception {
        // the host's private /run for sshd's privilege separation directory
        run(
                "nsenter",
                "-t",
                "" + conv.holder(),
                "-m",
                "-n",
                "--",
                "sh",
                "-c",
                "mount -t tmpfs tmpfs /run && mkdir -m 0755 /run/sshd");
        StringBuilder cfg = new StringBuilder();
        for (Host e : exportHosts) {
            cfg.append("ListenAddress ").append(conv.addressFor(e)).append(":22\n");
        }
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
        Path config = ssh.resolve("sshd_config-" + conv.name());
        Files.writeString(config, cfg);
        Path log = root.resolve("sshd-" + conv.name() + ".log");
        startIn(conv, List.of("/usr/sbin/sshd", "-D", "-e", "-f", config.toString()), log);
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                Files.exists(log)
                                        && Files.readString(log)
                                                        .split("Server listening", -1)
                                                        .length
                                                > exportHosts.size());
    }

    private void mount(Host h, Host conv, Path share) throws Exception {
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
                        "root@" + conv.addressFor(h) + ":" + share,
                        share.toString()),
                root.resolve("sshfs-" + h.name() + "-" + conv.name() + ".log"));
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

    /** Takes an export host off the network (both links {@code down}) or back on. */
    void network(Host h, boolean up) throws Exception {
        for (String l : h.links()) {
            run("ip", "-n", h.netns(), "link", "set", l, up ? "up" : "down");
        }
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
