package io.hypersdk.systemd.units;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A directory install.sh installs into with --root, and what is in it; test-only. */
final class StagingRoot {

    private final Path root;

    StagingRoot(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path resolve(String absolute) {
        return root.resolve(absolute.replaceFirst("^/+", ""));
    }

    /** Puts a stub hyper2kvm at {@code absolute} inside the root and returns its staged path. */
    Path stubBinary(String absolute) throws IOException {
        Path stub = resolve(absolute);
        Files.createDirectories(stub.getParent());
        Files.writeString(stub, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        return stub;
    }

    /** install.sh with these arguments plus --root; run as the current user (root in CI). */
    Exec.Result install(Object... args) {
        return Exec.run(
                Exec.argv("bash", ShippedFiles.file("install.sh"), "--root", root, List.of(args)),
                Map.of(),
                60);
    }

    /** The staged GID of a group, from the staged /etc/group. */
    Optional<Integer> gid(String group) {
        Path file = resolve("/etc/group");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        for (String line : ShippedFiles.read(file).split("\n")) {
            String[] f = line.split(":");
            if (f.length >= 3 && f[0].equals(group)) {
                return Optional.of(Integer.parseInt(f[2]));
            }
        }
        return Optional.empty();
    }

    static int mode(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int uid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int gid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Everything observable about the tree: per path its type, mode, owner, and content hash and
     * modification time (files) or target (links). Two equal snapshots mean nothing was changed.
     */
    Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String key = "/" + root.relativize(p);
                String owner = uid(p) + ":" + gid(p) + " " + Integer.toOctalString(mode(p));
                if (Files.isSymbolicLink(p)) {
                    out.put(key, "link -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(key, "dir " + owner);
                } else {
                    out.put(
                            key,
                            "file "
                                    + owner
                                    + " "
                                    + sha256(p)
                                    + " "
                                    + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                                            .toMillis());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
