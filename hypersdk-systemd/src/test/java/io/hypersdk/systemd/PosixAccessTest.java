package io.hypersdk.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixAccessTest {
    private final PosixAccess posix = PosixAccess.system();

    @TempDir Path dir;

    private static boolean root() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void ownProcessIsAliveAndAnExitedChildIsNot() throws Exception {
        assertThat(posix.isAlive(ProcessHandle.current().pid())).isTrue();
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThat(posix.isAlive(p.pid())).isFalse();
        assertThat(posix.isAlive(0)).isFalse();
        assertThat(posix.isAlive(-5)).isFalse();
        assertThat(posix.isAlive(1L << 40)).isFalse();
    }

    @Test
    void aProcessOwnedByAnotherUserIsAliveToo() {
        // PID 1 belongs to root; kill(1, 0) from an unprivileged user gives EPERM, which still
        // means alive
        assertThat(posix.isAlive(1)).isTrue();
    }

    @Test
    void rootWithoutCapabilitiesIsBoundByThePermissionBits() throws Exception {
        assumeTrue(root(), "chown to another user needs root");
        PosixUser rootUser = posix.user("root").orElseThrow();
        var lookup = dir.getFileSystem().getUserPrincipalLookupService();
        Path alices = Files.writeString(dir.resolve("alice-only.vmdk"), "x");
        Files.setPosixFilePermissions(alices, PosixFilePermissions.fromString("rw-------"));
        Files.setOwner(alices, lookup.lookupPrincipalByName("nobody"));
        Path shared = Files.writeString(dir.resolve("world-readable.vmdk"), "x");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setOwner(shared, lookup.lookupPrincipalByName("nobody"));
        Path ownSpool = Files.createDirectory(dir.resolve("spool"));
        Files.setPosixFilePermissions(ownSpool, PosixFilePermissions.fromString("r-xr-xr-x"));

        assertThat(posix.canRead(alices, rootUser)).isTrue();
        assertThat(posix.canReadWithoutPrivileges(alices, rootUser)).isFalse();
        assertThat(posix.canReadWithoutPrivileges(shared, rootUser)).isTrue();
        assertThat(posix.canWriteWithoutPrivileges(shared, rootUser)).isFalse();
        assertThat(posix.canWrite(ownSpool, rootUser)).isTrue();
        assertThat(posix.canWriteWithoutPrivileges(ownSpool, rootUser)).isFalse();
        Files.setPosixFilePermissions(ownSpool, PosixFilePermissions.fromString("rwx------"));
        assertThat(posix.canWriteWithoutPrivileges(ownSpool, rootUser)).isTrue();
    }

    @Test
    void usersAndTheirGroupsMatchTheSystemDatabase() throws Exception {
        PosixUser rootUser = posix.user("root").orElseThrow();
        assertThat(rootUser.uid()).isZero();
        assertThat(rootUser.gid()).isZero();
        PosixUser nobody = posix.user("nobody").orElseThrow();
        assertThat(nobody.uid()).isEqualTo(65534);
        assertThat(posix.user("hypersdk-no-such-user")).isEmpty();
        assertThat(posix.user("")).isEmpty();
        assertThat(posix.group("root").orElseThrow().gid()).isZero();
        assertThat(posix.group("hypersdk-no-such-group")).isEmpty();

        for (PosixUser u : new PosixUser[] {rootUser, nobody}) {
            Process id = new ProcessBuilder("id", "-G", u.name()).start();
            Set<Long> expected =
                    Stream.of(new String(id.getInputStream().readAllBytes()).strip().split(" "))
                            .map(Long::parseLong)
                            .collect(Collectors.toSet());
            id.waitFor();
            Set<Long> actual = new java.util.HashSet<>(u.supplementaryGids());
            actual.add(u.gid());
            assertThat(actual).as("groups of %s", u.name()).isEqualTo(expected);
        }
    }

    @Test
    void statReportsOwnerAndMode() throws IOException {
        Path f = Files.writeString(dir.resolve("disk.vmdk"), "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));

        FileOwnership o = posix.stat(f);

        assertThat(o.permissions()).isEqualTo(0640);
        assertThat(o.isRegularFile()).isTrue();
        assertThat(o.uid()).isEqualTo(((Number) Files.getAttribute(f, "unix:uid")).longValue());
        assertThat(o.gid()).isEqualTo(((Number) Files.getAttribute(f, "unix:gid")).longValue());
        assertThat(posix.stat(dir).isDirectory()).isTrue();
        assertThatThrownBy(() -> posix.stat(dir.resolve("missing")))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(NoSuchFileException.class);
    }

    @Test
    void readAndWriteChecksFollowOwnerGroupOtherAndAncestorSearchBits() throws IOException {
        assumeTrue(root(), "changing file owners needs root");
        PosixUser nobody = posix.user("nobody").orElseThrow();
        PosixUser rootUser = posix.user("root").orElseThrow();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path readable = Files.writeString(open.resolve("readable"), "x");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(posix.canRead(readable, nobody)).isTrue();
        assertThat(posix.canWrite(readable, nobody)).isFalse();
        assertThat(posix.canWrite(open, nobody)).isFalse();
        assertThat(posix.canWrite(readable, rootUser)).isTrue();

        Path owned = Files.createDirectory(dir.resolve("queue"));
        Files.setPosixFilePermissions(owned, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(owned, "unix:uid", (int) nobody.uid());
        assertThat(posix.canWrite(owned, nobody)).isTrue();
        assertThat(posix.canRead(owned, nobody)).isTrue();

        Path closed = Files.createDirectory(dir.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path inside = Files.writeString(closed.resolve("disk"), "x");
        Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(posix.canRead(inside, nobody))
                .as("no search permission on the parent")
                .isFalse();
        assertThat(posix.canRead(inside, rootUser)).isTrue();

        Path groupDir = Files.createDirectory(dir.resolve("group"));
        Files.setPosixFilePermissions(groupDir, PosixFilePermissions.fromString("rwxrwx---"));
        Files.setAttribute(groupDir, "unix:gid", (int) nobody.gid());
        assertThat(posix.canWrite(groupDir, nobody)).isTrue();
        Files.setPosixFilePermissions(groupDir, PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(posix.canWrite(groupDir, nobody)).isFalse();
        assertThat(posix.canRead(groupDir, nobody)).isTrue();

        assertThat(posix.canRead(dir.resolve("missing"), rootUser)).isFalse();
    }
}
