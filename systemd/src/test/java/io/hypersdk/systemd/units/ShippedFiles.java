package io.hypersdk.systemd.units;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the shipped files of systemd/ are, and what a unit file says; test-only. */
final class ShippedFiles {

    static final List<String> UNITS =
            List.of(
                    "hyper2kvm.service",
                    "hyper2kvm@.service",
                    "hyper2kvm.target",
                    "hyper2kvm-appliance.service",
                    "hyper2kvm-spool.service",
                    "hyper2kvm-spool@.service",
                    "hypersdk-server.service");

    /** The daemon services (the appliance unit is a oneshot they require). */
    static final List<String> DAEMONS = List.of("hyper2kvm.service", "hyper2kvm@.service");

    static final List<String> CONFIG_EXAMPLES =
            List.of(
                    "hyper2kvm.conf.example",
                    "hyper2kvm-vsphere.conf.example",
                    "hyper2kvm-aws.conf.example");

    /** The binary every unit runs. */
    static final String BINARY = "/usr/local/bin/hyper2kvm";

    /** What hyper2kvm-appliance.service runs (Debian package libguestfs-tools). */
    static final String APPLIANCE_BUILDER = "/usr/sbin/libguestfs-make-fixed-appliance";

    /** The fixed appliance the daemons' LIBGUESTFS_PATH names. */
    static final String APPLIANCE = "/var/cache/hyper2kvm-appliance/appliance";

    private ShippedFiles() {}

    /** The systemd/ directory (surefire runs in the module directory). */
    static Path dir() {
        Path here = Path.of("").toAbsolutePath();
        if (Files.isRegularFile(here.resolve("install.sh"))) {
            return here;
        }
        String repo = System.getProperty("hypersdk.repo.dir");
        if (repo != null && Files.isRegularFile(Path.of(repo, "systemd", "install.sh"))) {
            return Path.of(repo, "systemd");
        }
        throw new IllegalStateException(
                "cannot find systemd/install.sh from "
                        + here
                        + "; run the tests from the systemd module");
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The directive lines of a unit file ("Key=value"), comments and blank lines dropped, in order.
     */
    static List<String> directives(String unitText) {
        List<String> out = new ArrayList<>();
        for (String line : unitText.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
                continue;
            }
            out.add(t);
        }
        return out;
    }

    /** Every value of one key in a unit file, in order. */
    static List<String> values(String unitText, String key) {
        List<String> out = new ArrayList<>();
        for (String d : directives(unitText)) {
            if (d.startsWith(key + "=")) {
                out.add(d.substring(key.length() + 1));
            }
        }
        return out;
    }
}
