package io.hypersdk.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The .deb installed with apt into a minimal Debian 12 root (so that its dependencies resolve for
 * real), booted with {@code systemd-nspawn -b}, and used inside the booted system: the CLIs, the
 * man page, the README's main command on the installed sample appliance, the daemon started under
 * systemd and seen by hyperctl, an upgrade that keeps an edited conffile and a result, and remove
 * and purge that leave what the policy says. One boot for the whole class; the transcript is
 * written to target/container-test-transcript.txt.
 *
 * <p>Root only (CI runs as root). The debootstrapped root is cached in {@code
 * /var/cache/hypersdk-packaging-test/bookworm} (built once, ~250 MB), the downloaded .debs in
 * {@code .../apt-archives}; each run works on a copy under target/container. systemd-nspawn runs in
 * a cgroup of its own, so the container's systemd never touches the host's processes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BootedContainerIT {

    private static final Path CACHE =
            Path.of(
                    System.getProperty(
                            "hypersdk.packaging.cache", "/var/cache/hypersdk-packaging-test"));
    private static final String INCLUDE = "systemd,systemd-sysv,dbus,man-db";
    private static final String SAMPLE = "/usr/share/doc/hypersdk/examples/sample-appliance.ova";

    private static Path work;
    private static Path root;
    private static Path transcript;
    private static String name;
    private static final List<Path> cgroups = new ArrayList<>();
    private static Process nspawn;
    private static long init;

    @BeforeAll
    static void installAndBoot() throws IOException {
        assumeTrue(Cmd.isRoot(), "the booted-container test runs as root only (CI runs as root)");
        for (String tool :
                List.of("debootstrap", "systemd-nspawn", "nsenter", "dpkg-deb", "curl")) {
            assumeTrue(Cmd.onPath(tool), tool + " is not installed (scripts/install-test-deps.sh)");
        }
        work = Packages.target().resolve("container");
        transcript = Packages.target().resolve("container-test-transcript.txt");
        Files.writeString(transcript, "# BootedContainerIT " + Instant.now() + "\n");
        Cmd.ok("rm", "-rf", work.toString());
        Files.createDirectories(work);
        name = "hsdk-pkg-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        makeCgroups();

        Path base = bookwormRoot();
        root = work.resolve("root");
        log(
                Cmd.run(
                        Duration.ofMinutes(5),
                        Map.of(),
                        List.of("cp", "-a", "--reflink=auto", base.toString(), root.toString())));

        // N, and N+1: the same package rebuilt with a bumped version and a changed default config
        Files.copy(Packages.deb(), root.resolve("root/hypersdk.deb"));
        rebuildWithBumpedVersion(Packages.deb(), root.resolve("root/hypersdk-next.deb"));

        // apt resolves the declared dependencies from the host's Debian mirror
        Path archives = Files.createDirectories(CACHE.resolve("apt-archives/partial")).getParent();
        Cmd apt =
                nspawn(
                        Duration.ofMinutes(8),
                        List.of("--bind=" + archives + ":/var/cache/apt/archives"),
                        "apt-get update -q && apt-get install -y -q --no-install-recommends"
                                + " /root/hypersdk.deb");
        assertThat(apt.exitCode()).as("%s", apt).isZero();

        // the stand-ins for hyper2kvm and libguestfs' appliance builder (tests only)
        Path standIn = ShippedUnits.repo().resolve("hypersdk-pipeline/src/test/standin/hyper2kvm");
        Files.copy(standIn, root.resolve("usr/local/bin/hyper2kvm"));
        Path builder = root.resolve("usr/sbin/libguestfs-make-fixed-appliance");
        Files.writeString(
                builder,
                "#!/bin/sh\n# stand-in (tests only)\nmkdir -p \"$1\" && echo stand-in > \"$1/README.fixed\"\n");
        Cmd.ok(
                "chmod",
                "0755",
                root.resolve("usr/local/bin/hyper2kvm").toString(),
                builder.toString());

        boot();
    }

    @AfterAll
    static void shutDown() throws IOException, InterruptedException {
        if (nspawn != null) {
            // SIGTERM to the nspawn we started: it asks the container's systemd to power off
            nspawn.destroy();
            if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
                nspawn.destroyForcibly();
                nspawn.waitFor(30, TimeUnit.SECONDS);
            }
            append("# container stopped, exit " + nspawn.exitValue() + "\n");
        }
        for (Path cg : cgroups) {
            if (Files.isDirectory(cg)) {
                Cmd.run(
                        Duration.ofSeconds(30),
                        Map.of(),
                        List.of(
                                "find",
                                cg.toString(),
                                "-depth",
                                "-type",
                                "d",
                                "-exec",
                                "rmdir",
                                "{}",
                                ";"));
            }
        }
        if (name != null) {
            Cmd.run("rm", "-rf", "/run/systemd/nspawn/propagate/" + name);
        }
        if (root != null) {
            Cmd.run(Duration.ofMinutes(2), Map.of(), List.of("rm", "-rf", root.toString()));
        }
    }

    @Test
    @Order(1)
    void theClisRunWithTheirManPagesAndArchives() {
        assertThat(inside("hyperexport --version").output()).contains(Packages.projectVersion());
        assertThat(inside("hyperctl --version").output()).contains("hyperctl");
        assertThat(inside("man -w hyperexport").output().strip())
                .isEqualTo("/usr/share/man/man1/hyperexport.1.gz");
        assertThat(inside("man -w hyperctl").output().strip())
                .isEqualTo("/usr/share/man/man1/hyperctl.1.gz");
        // postinst made the class-data-sharing archives with the installed JVM; -Xshare:on fails
        // when the archive cannot be used
        inside("ls -l /var/cache/hypersdk/");
        inside("HYPERCTL_JAVA_OPTS=-Xshare:on hyperctl --version");
        inside("HYPEREXPORT_JAVA_OPTS=-Xshare:on hyperexport --version");
        // the declared dependencies came from Debian, and the launchers run Debian's Java 17
        assertThat(
                        inside(
                                        "dpkg-query -W -f='${Status} ${Package}\\n' openjdk-17-jre-headless qemu-utils libvirt0")
                                .output())
                .contains(
                        "install ok installed openjdk-17-jre-headless",
                        "install ok installed qemu-utils",
                        "install ok installed libvirt0");
    }

    @Test
    @Order(2)
    void theReadmesMainCommandRunsOnTheInstalledSample() {
        Cmd export =
                inside(
                        "hyperexport --provider local --vm "
                                + SAMPLE
                                + " --output /root/export --pipeline --converter qemu-img --libvirt"
                                + " --libvirt-uri test:///default");
        assertThat(export.output()).isNotBlank();
        assertThat(inside("find /root/export -name '*.qcow2' | head -1").output())
                .contains(".qcow2");
        inside("qemu-img info \"$(find /root/export -name '*.qcow2' | head -1)\"");
    }

    @Test
    @Order(3)
    void theDaemonStartsUnderSystemdAndHyperctlSeesItActive() {
        // what postinst made: the group and the spool, nothing enabled or started
        assertThat(inside("getent group hyper2kvm-submit").output())
                .startsWith("hyper2kvm-submit:");
        assertThat(
                        inside(
                                        "stat -c '%a %U:%G %n' /var/lib/hyper2kvm/queue /var/lib/hyper2kvm/output")
                                .output())
                .contains(
                        "2770 root:hyper2kvm-submit /var/lib/hyper2kvm/queue",
                        "2770 root:hyper2kvm-submit /var/lib/hyper2kvm/output");
        assertThat(insideAny("systemctl is-enabled hyper2kvm.service hyper2kvm.target").output())
                .doesNotContain("enabled");
        assertThat(insideAny("systemctl is-active hyper2kvm.service").output().strip())
                .isEqualTo("inactive");

        inside("systemctl start hyper2kvm.service");
        Cmd status = inside("hyperctl daemon status");
        assertThat(status.output()).contains("active");
        inside("hyperctl daemon status --json");

        // a job through the daemon: the sample's disk dropped into the queue becomes a result
        inside(
                "cd /root && tar -xf "
                        + SAMPLE
                        + " sample-appliance-disk1.vmdk && install -m 0660 sample-appliance-disk1.vmdk"
                        + " /var/lib/hyper2kvm/queue/.job-1.vmdk && mv /var/lib/hyper2kvm/queue/.job-1.vmdk"
                        + " /var/lib/hyper2kvm/queue/job-1.vmdk");
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () ->
                                insideAny("ls /var/lib/hyper2kvm/output/*/job-1/disk.qcow2")
                                                .exitCode()
                                        == 0);
        inside("ls -lR /var/lib/hyper2kvm/output");
    }

    @Test
    @Order(4)
    void theJobServerRunsAsADynamicUserWithItsStateAndStopsCleanly() throws IOException {
        String unit = "hypersdk-server.service";
        assertThat(insideAny("systemctl is-enabled " + unit).output()).doesNotContain("enabled");
        inside("systemctl start " + unit);
        // Type=exec: started means exec'd; serving means the health route answers on loopback
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            String state =
                                    enter("systemctl show -p ActiveState,NRestarts " + unit)
                                            .output();
                            if (!state.contains("ActiveState=active")
                                    || !state.contains("NRestarts=0")) {
                                throw new AssertionError(
                                        unit
                                                + " is not running: "
                                                + state
                                                + insideAny(
                                                        "journalctl -u " + unit + " --no-pager"));
                            }
                            return loopback("/health").exitCode() == 0;
                        });
        Cmd health = loopback("/health");
        assertThat(health.output()).contains("\"status\":\"healthy\"");
        assertThat(loopback("/status").output()).contains("\"total_jobs\":0");

        // DynamicUser=yes: a user allocated for the run, from systemd's dynamic range, in no
        // passwd file, with the submitters' group as a supplementary group
        String pid = inside("systemctl show -p MainPID --value " + unit).output().strip();
        String uid = inside("systemctl show -p UID --value " + unit).output().strip();
        assertThat(Integer.parseInt(uid)).isBetween(61184, 65519);
        assertThat(inside("stat -c %u /proc/" + pid).output().strip()).isEqualTo(uid);
        assertThat(insideAny("grep -c hypersdk-server /etc/passwd").output().strip())
                .isEqualTo("0");
        assertThat(inside("ls -l /run/systemd/dynamic-uid/").output()).contains("hypersdk-server");
        String submitGid = inside("getent group hyper2kvm-submit | cut -d: -f3").output().strip();
        assertThat(inside("grep '^Groups:' /proc/" + pid + "/status").output().split("\\s+"))
                .contains(submitGid);

        // StateDirectory=: /var/lib/hypersdk-server, the dynamic user's (under private/), holds
        // the SQLite job database
        assertThat(inside("readlink /var/lib/hypersdk-server").output().strip())
                .isEqualTo("private/hypersdk-server");
        assertThat(inside("stat -c '%a %u' /var/lib/private/hypersdk-server/").output().strip())
                .isEqualTo("750 " + uid);
        assertThat(inside("stat -c %u /var/lib/hypersdk-server/jobs.db").output().strip())
                .isEqualTo(uid);
        assertThat(inside("head -c 15 /var/lib/hypersdk-server/jobs.db").output())
                .isEqualTo("SQLite format 3");

        // the exposure systemd/README.md claims, measured on the running unit
        Cmd security = inside("systemd-analyze security --no-pager " + unit);
        Matcher claimed =
                Pattern.compile("rates it \\*\\*(\\d+\\.\\d) \\(OK\\)\\*\\*")
                        .matcher(
                                Files.readString(ShippedUnits.repo().resolve("systemd/README.md")));
        assertThat(claimed.find()).as("systemd/README.md states the unit's exposure").isTrue();
        assertThat(security.output())
                .contains("Overall exposure level for " + unit + ": " + claimed.group(1) + " OK");

        // a clean stop: SIGTERM, the server closes and the JVM exits 0. Any other exit status (143
        // after an unhandled SIGTERM, a crash) would leave the unit failed with Result=exit-code;
        // a successful one is inactive (and garbage-collected, so ExecMainStatus is not kept)
        inside("systemctl stop " + unit);
        assertThat(inside("systemctl show -p ActiveState,Result " + unit).output())
                .contains("ActiveState=inactive", "Result=success");
        assertThat(inside("journalctl -u " + unit + " --no-pager").output())
                .contains(
                        "hyperexport serve: listening on",
                        "hyperexport serve: stopping",
                        unit + ": Deactivated successfully.")
                .doesNotContain("status=143", "Failed with result");
        // the state stays for the next start
        inside("test -s /var/lib/private/hypersdk-server/jobs.db");
    }

    @Test
    @Order(5)
    void anUpgradeKeepsTheEditedConffileAndTheResults() {
        inside("echo '# edited by the upgrade test' >> /etc/hyper2kvm/hyper2kvm.conf");
        String before = inside("sha256sum /var/lib/hyper2kvm/output/*/job-1/disk.qcow2").output();

        // an unattended upgrade: the edited conffile is kept, the new default lands beside it
        inside(
                "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends"
                        + " -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold"
                        + " /root/hypersdk-next.deb");
        assertThat(inside("dpkg-query -W -f='${Version}' hypersdk").output())
                .isEqualTo(bumpedVersion());
        assertThat(inside("tail -n 1 /etc/hyper2kvm/hyper2kvm.conf").output().strip())
                .isEqualTo("# edited by the upgrade test");
        assertThat(inside("tail -n 1 /etc/hyper2kvm/hyper2kvm.conf.dpkg-dist").output().strip())
                .isEqualTo("# changed in the upgrade test's version");
        assertThat(inside("sha256sum /var/lib/hyper2kvm/output/*/job-1/disk.qcow2").output())
                .isEqualTo(before);
        // postinst told the running systemd about the new units
        assertThat(
                        inside("systemctl show -p NeedDaemonReload --value hyper2kvm.service")
                                .output()
                                .strip())
                .isEqualTo("no");
        inside("HYPERCTL_JAVA_OPTS=-Xshare:on hyperctl --version");
    }

    @Test
    @Order(6)
    void removeAndPurgeLeaveWhatThePolicySays() {
        inside("systemctl start hypersdk-server.service");
        Cmd remove = inside("DEBIAN_FRONTEND=noninteractive apt-get remove -y -q hypersdk");
        assertThat(remove.output())
                .contains(
                        "kept /etc/hyper2kvm",
                        "kept",
                        "/var/lib/hyper2kvm",
                        "/var/lib/private/hypersdk-server");
        // prerm stopped the daemon and the job server; the programs are gone, the configuration
        // and data stay
        assertThat(insideAny("systemctl is-active hyper2kvm.service").output().strip())
                .isIn("inactive", "unknown");
        assertThat(insideAny("systemctl is-active hypersdk-server.service").output().strip())
                .isIn("inactive", "unknown");
        inside("test -s /var/lib/private/hypersdk-server/jobs.db");
        assertThat(insideAny("test -e /usr/bin/hyperexport").exitCode()).isNotZero();
        assertThat(insideAny("test -e /var/cache/hypersdk").exitCode()).isNotZero();
        inside("test -f /etc/hyper2kvm/hyper2kvm.conf");
        inside("ls /var/lib/hyper2kvm/output/*/job-1/disk.qcow2");
        inside("getent group hyper2kvm-submit");
        assertThat(inside("dpkg-query -W -f='${Status}' hypersdk").output())
                .isEqualTo("deinstall ok config-files");

        Cmd purge = inside("DEBIAN_FRONTEND=noninteractive apt-get purge -y -q hypersdk");
        assertThat(purge.output())
                .contains(
                        "kept /var/lib/hyper2kvm (spool and results)", "groupdel hyper2kvm-submit");
        assertThat(insideAny("test -e /etc/hyper2kvm/hyper2kvm.conf").exitCode()).isNotZero();
        inside("test -s /var/lib/private/hypersdk-server/jobs.db");
        inside("ls /var/lib/hyper2kvm/output/*/job-1/disk.qcow2");
        inside("getent group hyper2kvm-submit");
        assertThat(insideAny("dpkg-query -W -f='${Status}' hypersdk").output())
                .doesNotContain("installed", "config-files");
        inside("ls -la /etc/hyper2kvm || true");
    }

    // ------------------------------------------------------------------ the container

    /** The cached debootstrapped root; made once (debootstrap needs the host's Debian mirror). */
    private static Path bookwormRoot() throws IOException {
        Path base = CACHE.resolve("bookworm");
        if (Files.isExecutable(base.resolve("usr/lib/systemd/systemd"))) {
            append("# cached root " + base + "\n");
            return base;
        }
        Files.createDirectories(CACHE);
        Path tmp = CACHE.resolve("bookworm.tmp");
        Cmd.run(Duration.ofMinutes(2), Map.of(), List.of("rm", "-rf", tmp.toString()));
        Cmd debootstrap =
                Cmd.run(
                        Duration.ofMinutes(10),
                        Map.of(),
                        List.of(
                                "debootstrap",
                                "--variant=minbase",
                                "--include=" + INCLUDE,
                                "bookworm",
                                tmp.toString(),
                                hostMirror()));
        log(debootstrap);
        assertThat(debootstrap.exitCode()).as("debootstrap: %s", debootstrap).isZero();
        Files.move(tmp, base);
        return base;
    }

    /** The Debian mirror the host's apt uses (deb822 .sources or sources.list). */
    static String hostMirror() throws IOException {
        List<Path> files = new ArrayList<>();
        Path list = Path.of("/etc/apt/sources.list");
        if (Files.isRegularFile(list)) {
            files.add(list);
        }
        Path dir = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(dir)) {
            try (var s = Files.newDirectoryStream(dir, "*.{list,sources}")) {
                s.forEach(files::add);
            }
        }
        Pattern oneLine = Pattern.compile("(?m)^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+bookworm\\s");
        Pattern deb822 = Pattern.compile("(?m)^URIs:\\s*(\\S+)");
        for (Path f : files) {
            String text = Files.readString(f);
            for (Pattern p : List.of(oneLine, deb822)) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    String uri = m.group(1);
                    if (!uri.contains("security") && uri.startsWith("http")) {
                        return uri;
                    }
                }
            }
        }
        return "http://deb.debian.org/debian";
    }

    /**
     * A cgroup of this run in each hierarchy nspawn uses, so the container's systemd owns only it.
     */
    private static void makeCgroups() throws IOException {
        Path fs = Path.of("/sys/fs/cgroup");
        List<Path> parents =
                Files.isDirectory(fs.resolve("unified"))
                        ? List.of(fs.resolve("unified"), fs.resolve("systemd"))
                        : List.of(fs);
        for (Path parent : parents) {
            if (Files.exists(parent.resolve("cgroup.procs"))) {
                cgroups.add(Files.createDirectory(parent.resolve(name)));
            }
        }
        assumeTrue(!cgroups.isEmpty(), "no writable cgroup hierarchy under /sys/fs/cgroup");
    }

    /** argv that runs the rest inside this run's cgroups. */
    private static List<String> inCgroups(List<String> argv) {
        StringBuilder sh = new StringBuilder();
        for (Path cg : cgroups) {
            sh.append("echo $$ > '").append(cg).append("/cgroup.procs' && ");
        }
        sh.append("exec \"$@\"");
        List<String> all = new ArrayList<>(List.of("sh", "-c", sh.toString(), "sh"));
        all.addAll(argv);
        return all;
    }

    /** A command in the (not booted) root: systemd-nspawn without -b, with the host's network. */
    private static Cmd nspawn(Duration timeout, List<String> options, String script) {
        List<String> argv =
                new ArrayList<>(
                        List.of(
                                "systemd-nspawn",
                                "-q",
                                "-D",
                                root.toString(),
                                "--register=no",
                                "--keep-unit",
                                "-M",
                                name,
                                "-E",
                                "DEBIAN_FRONTEND=noninteractive"));
        argv.addAll(options);
        argv.addAll(List.of("sh", "-c", script));
        Cmd c = Cmd.run(timeout, Map.of(), inCgroups(argv));
        log(c);
        return c;
    }

    private static void boot() throws IOException {
        Path console = work.resolve("console.log");
        ProcessBuilder pb =
                new ProcessBuilder(
                                inCgroups(
                                        List.of(
                                                "systemd-nspawn",
                                                "-b",
                                                "-D",
                                                root.toString(),
                                                "--register=no",
                                                "--keep-unit",
                                                "--private-network",
                                                "-M",
                                                name,
                                                "--console=read-only")))
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(console.toFile());
        nspawn = pb.start();
        append(
                "$ systemd-nspawn -b -D "
                        + root
                        + " --register=no --keep-unit --private-network -M "
                        + name
                        + "\n");
        // the container's init is nspawn's child
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> nspawn.children().findFirst().isPresent() || !nspawn.isAlive());
        assertThat(nspawn.isAlive()).as("nspawn exited: %s", Files.readString(console)).isTrue();
        init = nspawn.children().findFirst().orElseThrow().pid();
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            String state = enter("systemctl is-system-running").output().strip();
                            return state.equals("running") || state.equals("degraded");
                        });
        insideAny("systemctl is-system-running; systemctl --failed --no-legend");
    }

    /** A shell command run in the booted container (all its namespaces, a clean environment). */
    private static Cmd enter(String script) {
        return Cmd.run(
                Duration.ofMinutes(3),
                Map.of(),
                List.of(
                        "nsenter",
                        "-t",
                        Long.toString(init),
                        "-a",
                        "--",
                        "env",
                        "-i",
                        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                        "HOME=/root",
                        "TERM=dumb",
                        "sh",
                        "-c",
                        script));
    }

    /**
     * GET of a path of the job server on the container's loopback, with the host's curl in the
     * container's network namespace only; logged.
     */
    private static Cmd loopback(String path) {
        List<String> argv =
                List.of(
                        "nsenter",
                        "-t",
                        Long.toString(init),
                        "-n",
                        "--",
                        "curl",
                        "-sS",
                        "--fail",
                        "--max-time",
                        "5",
                        "http://127.0.0.1:8080" + path);
        Cmd c = Cmd.run(Duration.ofSeconds(30), Map.of(), argv);
        log(c);
        return c;
    }

    /** Runs script in the container, logs it, and fails the test unless it exits 0. */
    private static Cmd inside(String script) {
        Cmd c = insideAny(script);
        assertThat(c.exitCode()).as("%s", c).isZero();
        return c;
    }

    /** Runs script in the container and logs it, whatever its exit code. */
    private static Cmd insideAny(String script) {
        long start = System.nanoTime();
        Cmd c = enter(script);
        append(
                String.format(
                        "[container]# %s%n%s[exit %d, %.1f s]%n",
                        script, c.output(), c.exitCode(), (System.nanoTime() - start) / 1e9));
        return c;
    }

    private static String bumpedVersion() {
        return Cmd.ok("dpkg-deb", "-f", Packages.deb().toString(), "Version").strip()
                + "+upgradetest1";
    }

    /** Repacks the .deb as version N+1 whose shipped default config also changed. */
    private static void rebuildWithBumpedVersion(Path deb, Path next) throws IOException {
        Path tree = work.resolve("next");
        Cmd.ok("dpkg-deb", "-R", deb.toString(), tree.toString());
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(
                control,
                Files.readString(control)
                        .replaceFirst("(?m)^Version: .*$", "Version: " + bumpedVersion()));
        Files.writeString(
                tree.resolve("etc/hyper2kvm/hyper2kvm.conf"),
                "# changed in the upgrade test's version\n",
                StandardOpenOption.APPEND);
        log(
                Cmd.run(
                        Duration.ofMinutes(2),
                        Map.of(),
                        List.of(
                                "dpkg-deb",
                                "--root-owner-group",
                                "-Znone",
                                "-b",
                                tree.toString(),
                                next.toString())));
        assertThat(next).isNotEmptyFile();
    }

    private static void log(Cmd c) {
        append(c + "\n");
    }

    private static void append(String text) {
        try {
            Files.writeString(
                    transcript,
                    text,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
