package io.hypersdk.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/install.sh (hosts installed from source) and the packages install the same files: each
 * file install.sh puts under a staging root, moved to the package's place, is in the .deb with the
 * same bytes, and every systemd file of the .deb is one install.sh installs.
 */
class InstallScriptParityIT {

    /** install.sh's place of a file, mapped to the package's; empty: not a packaged file. */
    static Optional<String> packagedPath(String installed) {
        if (installed.matches("/etc/systemd/system/[^/]+\\.wants/.*")) {
            return Optional.empty(); // enablement: the packages never enable anything
        }
        if (installed.equals("/usr/local/bin/hyper2kvm")) {
            return Optional.empty(); // hyper2kvm itself: the packages recommend it
        }
        if (installed.matches("/etc/(passwd|group|shadow|gshadow)-?|/etc/\\.pwd\\.lock")) {
            return Optional.empty(); // the group, made by the same sysusers file in postinst
        }
        Map<String, String> prefixes = new TreeMap<>();
        prefixes.put("/etc/systemd/system/", "/usr/lib/systemd/system/");
        prefixes.put("/etc/sysusers.d/", "/usr/lib/sysusers.d/");
        prefixes.put("/etc/tmpfiles.d/", "/usr/lib/tmpfiles.d/");
        prefixes.put(
                "/usr/local/share/doc/hyper2kvm-systemd/", "/usr/share/doc/hypersdk/examples/");
        prefixes.put("/etc/hyper2kvm/", "/etc/hyper2kvm/");
        for (var e : prefixes.entrySet()) {
            if (installed.startsWith(e.getKey())) {
                String rest = installed.substring(e.getKey().length());
                if (rest.equals("README.md")) {
                    rest = "README.systemd.md";
                }
                return Optional.of(e.getValue() + rest);
            }
        }
        return Optional.of("(unmapped) " + installed);
    }

    /** The .deb's files that install.sh's part of the system covers. */
    static boolean systemdPart(String packaged) {
        return packaged.startsWith("/usr/lib/systemd/")
                || packaged.startsWith("/usr/lib/sysusers.d/")
                || packaged.startsWith("/usr/lib/tmpfiles.d/")
                || packaged.startsWith("/etc/")
                || (packaged.startsWith("/usr/share/doc/hypersdk/examples/")
                        && (packaged.contains("hyper2kvm")
                                || packaged.endsWith("README.systemd.md")));
    }

    @Test
    void installShAndTheDebInstallTheSameFiles(@TempDir Path tmp) throws IOException {
        assumeTrue(Cmd.isRoot(), "install.sh installs as root only (CI runs as root)");
        assumeTrue(Cmd.onPath("systemd-sysusers"), "systemd is not installed");
        Path stage = Files.createDirectories(tmp.resolve("stage"));
        // a hyper2kvm for install.sh to find (the packages do not ship one)
        Path bin = Files.createDirectories(stage.resolve("usr/local/bin")).resolve("hyper2kvm");
        Files.writeString(bin, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Cmd install =
                Cmd.run(
                        Duration.ofMinutes(2),
                        Map.of(),
                        List.of(
                                "bash",
                                ShippedUnits.systemdDir().resolve("install.sh").toString(),
                                "--root",
                                stage.toString()));
        assertThat(install.exitCode()).as("%s", install).isZero();

        Path deb = Files.createDirectories(tmp.resolve("deb"));
        Cmd.ok("dpkg-deb", "-x", Packages.deb().toString(), deb.toString());

        Set<String> fromScript = new TreeSet<>();
        for (String f : Packages.treeFiles(stage)) {
            Optional<String> packaged = packagedPath(f);
            if (packaged.isEmpty()) {
                continue;
            }
            fromScript.add(packaged.get());
            Path inDeb = deb.resolve(packaged.get().substring(1));
            assertThat(inDeb).as("%s installed by install.sh as %s", packaged.get(), f).exists();
            assertThat(inDeb)
                    .as("%s: same bytes as install.sh's %s", inDeb, f)
                    .hasSameBinaryContentAs(stage.resolve(f.substring(1)));
        }
        Set<String> fromDeb = new TreeSet<>();
        for (String f : Packages.debFiles(Packages.deb())) {
            if (systemdPart(f)) {
                fromDeb.add(f);
            }
        }
        assertThat(fromScript).isEqualTo(fromDeb);
    }
}
