package io.hypersdk.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The packages this module built (target/), and their file lists. */
final class Packages {
    private Packages() {}

    static Path target() {
        return Path.of(System.getProperty("hypersdk.packaging.target", "target")).toAbsolutePath();
    }

    /** The project version, e.g. 0.1.0-SNAPSHOT. */
    static String projectVersion() {
        String v = System.getProperty("hypersdk.version");
        if (v == null) {
            throw new IllegalStateException("run through Maven (failsafe sets hypersdk.version)");
        }
        return v;
    }

    static Path deb() {
        return single(target(), "hypersdk_*_all.deb");
    }

    static Path rpm() {
        return single(target().resolve("rpm/hypersdk/RPMS/noarch"), "hypersdk-*.noarch.rpm");
    }

    static Path tarball() {
        return single(target(), "hypersdk-*.tar.gz");
    }

    private static Path single(Path dir, String glob) {
        List<Path> found = new ArrayList<>();
        try (var s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": not built (mvn verify -pl packaging -am)", e);
        }
        if (found.size() != 1) {
            throw new IllegalStateException(
                    "expected one " + glob + " in " + dir + ", found " + found + " (mvn clean?)");
        }
        return found.get(0);
    }

    /** The .deb's files and symlinks (no directories), as absolute paths. */
    static Set<String> debFiles(Path deb) {
        Set<String> files = new TreeSet<>();
        for (String line : Cmd.ok("dpkg-deb", "-c", deb.toString()).lines().toList()) {
            if (line.startsWith("d")) {
                continue;
            }
            String name = line.substring(line.indexOf(" ./") + 2);
            int arrow = name.indexOf(" -> ");
            files.add(arrow < 0 ? name : name.substring(0, arrow));
        }
        return files;
    }

    /** The .rpm's files and symlinks (no directories), as absolute paths. */
    static Set<String> rpmFiles(Path rpm) {
        Set<String> files = new TreeSet<>();
        String out =
                Cmd.ok(
                        "rpm",
                        "-qp",
                        "--qf",
                        "[%{FILEMODES:perms} %{FILENAMES}\\n]",
                        rpm.toString());
        for (String line : out.lines().toList()) {
            if (!line.startsWith("d")) {
                files.add(line.substring(line.indexOf(' ') + 1));
            }
        }
        return files;
    }

    /** Regular files and symlinks under root, as absolute paths inside root. */
    static Set<String> treeFiles(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .map(p -> "/" + root.relativize(p))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
