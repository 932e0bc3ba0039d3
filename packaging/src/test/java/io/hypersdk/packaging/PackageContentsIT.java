package io.hypersdk.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built .deb, .rpm and tarball: the same files in each (modulo distribution paths), the
 * declared dependencies, conffile and maintainer scripts, lintian and rpmlint clean, the .rpm
 * installed into an empty root, the tarball's launchers run.
 */
class PackageContentsIT {

    /** lintian and rpmlint take a minute or more each: both start with the class, side by side. */
    private static CompletableFuture<Cmd> lintian;

    private static CompletableFuture<Cmd> rpmlint;

    @BeforeAll
    static void startLinters() {
        if (Cmd.onPath("lintian")) {
            // --show-overrides makes lintian count overridden tags for --fail-on, so the levels
            // are checked by the test instead
            lintian =
                    inBackground(
                            "lintian",
                            "--fail-on",
                            "none",
                            "--display-level",
                            ">=pedantic",
                            "--display-experimental",
                            "--show-overrides",
                            Packages.deb().toString());
        }
        if (Cmd.onPath("rpmlint") && Cmd.onPath("rpmbuild")) {
            Path config = Path.of("src/rpm/rpmlint.toml").toAbsolutePath();
            rpmlint = inBackground("rpmlint", "-c", config.toString(), Packages.rpm().toString());
        }
    }

    private static CompletableFuture<Cmd> inBackground(String... argv) {
        return CompletableFuture.supplyAsync(
                () -> Cmd.run(Duration.ofMinutes(5), Map.of(), List.of(argv)));
    }

    /** Debian-only files, with no .rpm counterpart. */
    private static final Set<String> DEB_ONLY = Set.of("/usr/share/lintian/overrides/hypersdk");

    /** The licence file: Debian's place and the RPM one. */
    private static final Map<String, String> DEB_TO_RPM =
            Map.of("/usr/share/doc/hypersdk/copyright", "/usr/share/licenses/hypersdk/LICENSE");

    @Test
    void debAndRpmHoldTheSameFilesModuloDistributionPaths() throws java.io.IOException {
        assumeRpmBuilt();
        Set<String> deb = new TreeSet<>();
        for (String f : Packages.debFiles(Packages.deb())) {
            if (!DEB_ONLY.contains(f)) {
                deb.add(DEB_TO_RPM.getOrDefault(f, f));
            }
        }
        Set<String> rpm = Packages.rpmFiles(Packages.rpm());

        assertThat(rpm).isEqualTo(deb);
        assertThat(deb)
                .contains(
                        "/usr/bin/hyperexport",
                        "/usr/bin/hyperctl",
                        "/usr/share/man/man1/hyperexport.1.gz",
                        "/usr/share/man/man1/hyperctl.1.gz",
                        "/usr/share/bash-completion/completions/hyperexport",
                        "/usr/share/bash-completion/completions/hyperctl",
                        "/usr/lib/systemd/system/hyper2kvm.service",
                        "/usr/lib/systemd/system/hyper2kvm@.service",
                        "/usr/lib/systemd/system/hyper2kvm.target",
                        "/usr/lib/systemd/system/hyper2kvm-appliance.service",
                        "/usr/lib/sysusers.d/hyper2kvm.conf",
                        "/usr/lib/tmpfiles.d/hyper2kvm.conf",
                        "/etc/hyper2kvm/hyper2kvm.conf",
                        "/usr/share/doc/hypersdk/examples/hyper2kvm.conf.example",
                        "/usr/share/doc/hypersdk/examples/sample-appliance.ova",
                        "/usr/share/hypersdk/lib/hyperexport.classpath",
                        "/usr/share/hypersdk/lib/hyperctl.classlist");
        // every unit of systemd/ is packaged (a unit added there needs no change here)
        for (Path unit : ShippedUnits.all()) {
            assertThat(deb).contains("/usr/lib/systemd/system/" + unit.getFileName());
        }
        // every jar the launchers name is packaged
        for (String cli : List.of("hyperexport", "hyperctl")) {
            String classpath =
                    Cmd.ok(
                            "sh",
                            "-c",
                            "dpkg-deb --fsys-tarfile \"$0\" | tar -xOf - ./usr/share/hypersdk/lib/"
                                    + cli
                                    + ".classpath",
                            Packages.deb().toString());
            assertThat(classpath.lines())
                    .isNotEmpty()
                    .allSatisfy(jar -> assertThat(deb).contains("/usr/share/hypersdk/lib/" + jar));
            if (cli.equals("hyperctl")) {
                // entry for entry the build's class path, after the CLI's jar: the build's file
                // ends without a newline, and staging once dropped its last jar (jackson-core)
                String built =
                        java.nio.file.Files.readString(
                                        Packages.target()
                                                .resolve(
                                                        "../../hyperctl-cli/target/hyperctl.classpath")
                                                .normalize())
                                .strip();
                assertThat(classpath.lines().skip(1))
                        .containsExactlyElementsOf(
                                java.util.Arrays.stream(built.split(":"))
                                        .map(j -> java.nio.file.Path.of(j).getFileName().toString())
                                        .toList());
            }
        }
    }

    @Test
    void debDeclaresVersionDependenciesConffileAndScripts() {
        String deb = Packages.deb().toString();
        String version = Cmd.ok("dpkg-deb", "-f", deb, "Version").strip();
        assertThat(Packages.deb().getFileName()).hasToString("hypersdk_" + version + "_all.deb");
        String release = Packages.projectVersion().replace("-SNAPSHOT", "");
        if (Packages.projectVersion().endsWith("-SNAPSHOT")) {
            // jdeb writes 0.1.0-SNAPSHOT as 0.1.0~snapshot: before the release 0.1.0
            assertThat(version).isEqualToIgnoringCase(release + "~SNAPSHOT");
            Cmd.ok("dpkg", "--compare-versions", version, "lt", release);
        } else {
            assertThat(version).isEqualTo(release);
        }
        assertThat(Cmd.ok("dpkg-deb", "-f", deb, "Depends").strip())
                .isEqualTo(
                        "openjdk-17-jre-headless | java17-runtime-headless, qemu-utils, libvirt0,"
                                + " systemd");
        assertThat(Cmd.ok("dpkg-deb", "-f", deb, "Recommends")).contains("hyper2kvm");
        assertThat(Cmd.ok("dpkg-deb", "-I", deb, "conffiles").strip())
                .isEqualTo("/etc/hyper2kvm/hyper2kvm.conf");
        String postinst = Cmd.ok("dpkg-deb", "-I", deb, "postinst");
        assertThat(postinst)
                .contains(
                        "systemd-sysusers /usr/lib/sysusers.d/hyper2kvm.conf",
                        "systemd-tmpfiles --create /usr/lib/tmpfiles.d/hyper2kvm.conf",
                        "systemctl daemon-reload")
                .doesNotContain("systemctl start", "systemctl enable", "deb-systemd-helper");
        assertThat(Cmd.ok("dpkg-deb", "-I", deb, "postrm"))
                .contains("kept /var/lib/hyper2kvm")
                .doesNotContain("rm -rf /var/lib/hyper2kvm;", "groupdel hyper2kvm-submit\n");
    }

    @Test
    void bothPackagesNameTheMaintainerAndLicenceTheRootPomDeclares() {
        RootPom pom = RootPom.read();
        String maintainer = pom.maintainer();
        // a name and an address in a real domain form (lintian's bogus-mail-host is not overridden)
        assertThat(maintainer)
                .matches("\\S.* <[^@\\s]+@[a-z0-9-]+(\\.[a-z0-9-]+)+>")
                .doesNotContain("localhost");
        String deb = Packages.deb().toString();
        assertThat(Cmd.ok("dpkg-deb", "-f", deb, "Maintainer").strip()).isEqualTo(maintainer);
        assertThat(
                        Cmd.ok(
                                "sh",
                                "-c",
                                "dpkg-deb --fsys-tarfile \"$0\" | tar -xOf - ./usr/share/doc/hypersdk/changelog.gz | gzip -dc",
                                deb))
                .containsPattern("(?m)^ -- " + Pattern.quote(maintainer) + "  \\S");

        // the copyright file's licence for the project's own files (Files: *), and the .rpm's
        String copyright =
                Cmd.ok(
                        "sh",
                        "-c",
                        "dpkg-deb --fsys-tarfile \"$0\" | tar -xOf - ./usr/share/doc/hypersdk/copyright",
                        deb);
        Matcher ownFiles =
                Pattern.compile("(?m)^Files: \\*\\n(?:\\S.*\\n)*?License: (\\S+)")
                        .matcher(copyright);
        assertThat(ownFiles.find()).as("copyright has a Files: * stanza: %s", copyright).isTrue();
        assertThat(ownFiles.group(1)).isEqualTo(pom.license());
        if (Cmd.onPath("rpmbuild")) {
            String rpm = Packages.rpm().toString();
            assertThat(Cmd.ok("rpm", "-qp", "--qf", "%{PACKAGER}", rpm)).isEqualTo(maintainer);
            assertThat(Cmd.ok("rpm", "-qp", "--qf", "%{LICENSE}", rpm)).isEqualTo(pom.license());
        }
    }

    @Test
    void rpmDeclaresVersionDependenciesConfigAndScripts() {
        assumeRpmBuilt();
        String rpm = Packages.rpm().toString();
        String version = Packages.projectVersion().replace("-SNAPSHOT", "");
        assertThat(Cmd.ok("rpm", "-qp", "--qf", "%{VERSION}", rpm)).isEqualTo(version);
        if (Packages.projectVersion().endsWith("-SNAPSHOT")) {
            assertThat(Cmd.ok("rpm", "-qp", "--qf", "%{RELEASE}", rpm)).matches("SNAPSHOT\\d{14}");
        }
        assertThat(Cmd.ok("rpm", "-qp", "--qf", "%{ARCH}", rpm)).isEqualTo("noarch");
        assertThat(Cmd.ok("rpm", "-qp", "--requires", rpm))
                .contains("java-17-openjdk-headless", "qemu-img", "libvirt-libs", "systemd");
        assertThat(Cmd.ok("rpm", "-qp", "--recommends", rpm)).contains("hyper2kvm");
        assertThat(Cmd.ok("rpm", "-qp", "--qf", "[%{FILEFLAGS:fflags} %{FILENAMES}\\n]", rpm))
                .contains("cn /etc/hyper2kvm/hyper2kvm.conf");
        assertThat(Cmd.ok("rpm", "-qp", "--scripts", rpm))
                .contains(
                        "systemd-sysusers /usr/lib/sysusers.d/hyper2kvm.conf",
                        "kept /var/lib/hyper2kvm")
                .doesNotContain("systemctl start", "systemctl enable");
    }

    @Test
    void lintianIsCleanModuloTheShippedOverrides() {
        assumeTrue(lintian != null, "lintian is not installed (scripts/install-test-deps.sh)");
        Cmd run = lintian.join();
        write(Packages.target().resolve("lintian.txt"), run.toString());
        assertThat(run.exitCode()).as("%s", run).isZero();
        // E: W: I: P: X: are tags; O: overridden ones (each with its reason, N:, from the
        // overrides)
        assertThat(run.output().lines().filter(l -> l.matches("[EWIPX]: .*")))
                .as("%s", run)
                .isEmpty();
        assertThat(run.output()).contains("O: hypersdk: ");
    }

    @Test
    void rpmlintIsClean() {
        assumeRpmBuilt();
        assumeTrue(rpmlint != null, "rpmlint is not installed (scripts/install-test-deps.sh)");
        Cmd run = rpmlint.join();
        write(Packages.target().resolve("rpmlint.txt"), run.toString());
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.output()).contains("0 errors, 0 warnings");
    }

    @Test
    void rpmInstallsIntoAnEmptyRoot(@TempDir Path root) {
        assumeRpmBuilt();
        // no RPM-based root is reachable here: an empty root, without the dependencies and
        // without the scriptlets (they need a shell and systemd inside the root; the
        // booted-container test runs the same scripts from the .deb)
        Cmd install =
                Cmd.run(
                        Duration.ofMinutes(2),
                        Map.of(),
                        List.of(
                                "rpm",
                                "--root",
                                root.toString(),
                                "-i",
                                "--nodeps",
                                "--noscripts",
                                Packages.rpm().toString()));
        assertThat(install.exitCode()).as("%s", install).isZero();
        assertThat(Cmd.ok("rpm", "--root", root.toString(), "-q", "hypersdk"))
                .startsWith("hypersdk-");
        assertThat(Cmd.ok("rpm", "--root", root.toString(), "-V", "--nodeps", "hypersdk"))
                .isEmpty();
        assertThat(root.resolve("usr/bin/hyperexport")).isExecutable();
        assertThat(Packages.treeFiles(root)).containsAll(Packages.rpmFiles(Packages.rpm()));
    }

    @Test
    void tarballHasTheLayoutAndItsLaunchersRun(@TempDir Path dir) {
        Cmd.ok("tar", "-xzf", Packages.tarball().toString(), "-C", dir.toString());
        Path home = dir.resolve("hypersdk-" + Packages.projectVersion());
        assertThat(Packages.treeFiles(home))
                .contains(
                        "/bin/hyperexport",
                        "/bin/hyperctl",
                        "/lib/hyperexport.classpath",
                        "/lib/hyperctl.classpath",
                        "/man/man1/hyperexport.1",
                        "/man/man1/hyperctl.1",
                        "/completion/hyperexport",
                        "/completion/hyperctl",
                        "/systemd/hyper2kvm.service",
                        "/systemd/install.sh",
                        "/systemd/hyper2kvm.sysusers",
                        "/systemd/hyper2kvm.tmpfiles",
                        "/examples/sample-appliance.ova");
        // the same jars as the .deb
        Set<String> debJars = new TreeSet<>();
        for (String f : Packages.debFiles(Packages.deb())) {
            if (f.startsWith("/usr/share/hypersdk/lib/")) {
                debJars.add(f.substring("/usr/share/hypersdk/lib".length()));
            }
        }
        Set<String> tarJars = new TreeSet<>();
        for (String f : Packages.treeFiles(home)) {
            if (f.startsWith("/lib/")) {
                tarJars.add(f.substring("/lib".length()));
            }
        }
        assertThat(tarJars).isEqualTo(debJars);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> env = Map.of("JAVA", java);
        Cmd version =
                Cmd.run(
                        Duration.ofMinutes(1),
                        env,
                        List.of(home + "/bin/hyperexport", "--version"));
        assertThat(version.exitCode()).as("%s", version).isZero();
        assertThat(version.output()).contains(Packages.projectVersion());
        Cmd ctl = Cmd.run(Duration.ofMinutes(1), env, List.of(home + "/bin/hyperctl", "--version"));
        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        assertThat(ctl.output()).contains("hyperctl");

        // a class-data-sharing archive made from the shipped class list is used
        Cmd dump =
                Cmd.run(
                        Duration.ofMinutes(2),
                        Map.of("JAVA", java, "HYPERSDK_CDS", "dump"),
                        List.of(home + "/bin/hyperctl"));
        assertThat(dump.exitCode()).as("%s", dump).isZero();
        assertThat(home.resolve("cds/hyperctl.jsa")).isNotEmptyFile();
        Cmd shared =
                Cmd.run(
                        Duration.ofMinutes(1),
                        Map.of("JAVA", java, "HYPERCTL_JAVA_OPTS", "-Xshare:on"),
                        List.of(home + "/bin/hyperctl", "--version"));
        assertThat(shared.exitCode())
                .as("-Xshare:on fails when the archive is unusable: %s", shared)
                .isZero();
    }

    @Test
    void aMissingJavaGetsAClearError(@TempDir Path dir) {
        Cmd.ok("tar", "-xzf", Packages.tarball().toString(), "-C", dir.toString());
        Path launcher = dir.resolve("hypersdk-" + Packages.projectVersion() + "/bin/hyperexport");
        Cmd run =
                Cmd.run(
                        Duration.ofSeconds(30),
                        Map.of("JAVA", "/nonexistent/java"),
                        List.of(launcher.toString(), "--version"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output())
                .contains("/nonexistent/java not found", "openjdk-17-jre-headless", "JAVA_HOME");
    }

    /** The .rpm is built only where rpmbuild is (profile rpm). */
    private static void assumeRpmBuilt() {
        assumeTrue(
                Cmd.onPath("rpmbuild"),
                "rpmbuild is not installed, so the .rpm was not built (Debian package rpm;"
                        + " scripts/install-test-deps.sh installs it)");
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
