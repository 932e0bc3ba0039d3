package io.hypersdk.systemd;

import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jnr.constants.platform.Errno;
import jnr.posix.FileStat;
import jnr.posix.Group;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.POSIXHandler;
import jnr.posix.Passwd;

/**
 * POSIX facts through jnr-posix: process liveness, users and groups (NSS), and file ownership and
 * permission checks as the kernel would make them for another user (what the spool pre-flight
 * needs: "can {@code hyper2kvm}'s user read this disk, write that queue?").
 *
 * <p>Permission checks follow the classic rules: root may read and write everything (not in the
 * {@code ...WithoutPrivileges} checks, for processes without capabilities); otherwise the owner
 * bits apply to the owner, the group bits to members of the group, the other bits to everyone else;
 * every ancestor directory needs the search ({@code x}) bit. ACLs, capabilities, read-only mounts
 * and systemd sandboxing are not considered. Thread-safe.
 */
public final class PosixAccess {
    private static final Object GROUP_DB_LOCK = new Object();
    private static volatile PosixAccess system;

    private final POSIX posix;

    private PosixAccess(POSIX posix) {
        this.posix = posix;
    }

    /** The native implementation (loaded once). */
    public static PosixAccess system() {
        PosixAccess p = system;
        if (p == null) {
            synchronized (PosixAccess.class) {
                if (system == null) {
                    system = new PosixAccess(POSIXFactory.getNativePOSIX(new QuietHandler()));
                }
                p = system;
            }
        }
        return p;
    }

    /**
     * True when a process with this PID exists in this PID namespace and is not a zombie. A PID
     * reported by a systemd in another PID namespace (a container, the test fixture) means nothing
     * here.
     */
    public boolean isAlive(long pid) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            return false;
        }
        int rc = posix.kill((int) pid, 0);
        if (rc != 0 && posix.errno() != Errno.EPERM.intValue()) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (java.io.IOException e) {
            return true; // no /proc: trust kill(2)
        }
    }

    /** Looks a user up by name; empty when no such user exists. */
    public Optional<PosixUser> user(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Passwd pw;
        synchronized (GROUP_DB_LOCK) {
            pw = posix.getpwnam(name);
        }
        if (pw == null) {
            return Optional.empty();
        }
        return Optional.of(
                new PosixUser(
                        pw.getLoginName(),
                        pw.getUID(),
                        pw.getGID(),
                        supplementaryGroups(name, pw.getGID())));
    }

    /** Looks a group up by name; empty when no such group exists. */
    public Optional<PosixGroup> group(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Group g;
        synchronized (GROUP_DB_LOCK) {
            g = posix.getgrnam(name);
        }
        if (g == null) {
            return Optional.empty();
        }
        return Optional.of(new PosixGroup(g.getName(), g.getGID(), members(g)));
    }

    private static List<String> members(Group g) {
        String[] m = g.getMembers();
        return m == null ? List.of() : new ArrayList<>(Arrays.asList(m));
    }

    private Set<Long> supplementaryGroups(String user, long primary) {
        Set<Long> gids = new HashSet<>();
        synchronized (GROUP_DB_LOCK) {
            posix.setgrent();
            try {
                Group g;
                while ((g = posix.getgrent()) != null) {
                    if (g.getGID() != primary && members(g).contains(user)) {
                        gids.add(g.getGID());
                    }
                }
            } finally {
                posix.endgrent();
            }
        }
        return gids;
    }

    /**
     * {@code stat(2)} of a path (following symbolic links).
     *
     * @throws UncheckedIOException wrapping {@link NoSuchFileException}, {@link
     *     AccessDeniedException} or {@link FileSystemException}
     */
    public FileOwnership stat(Path path) {
        Objects.requireNonNull(path, "path");
        FileStat st = posix.allocateStat();
        int rc = posix.stat(path.toString(), st);
        if (rc != 0) {
            int errno = posix.errno();
            FileSystemException e;
            if (errno == Errno.ENOENT.intValue() || errno == Errno.ENOTDIR.intValue()) {
                e = new NoSuchFileException(path.toString());
            } else if (errno == Errno.EACCES.intValue()) {
                e = new AccessDeniedException(path.toString());
            } else {
                e = new FileSystemException(path.toString(), null, "stat failed: errno " + errno);
            }
            throw new UncheckedIOException(e);
        }
        return new FileOwnership(st.uid() & 0xFFFFFFFFL, st.gid() & 0xFFFFFFFFL, st.mode());
    }

    /**
     * Whether {@code user} may read {@code path} (list it, for a directory). False when it does not
     * exist.
     */
    public boolean canRead(Path path, PosixUser user) {
        return allowed(path, user, 4, false);
    }

    /**
     * Whether {@code user} may write {@code path} (create and rename entries in it, for a
     * directory, which also needs the search bit). False when it does not exist.
     */
    public boolean canWrite(Path path, PosixUser user) {
        return allowed(path, user, 2, true);
    }

    /**
     * Whether a process of {@code user} that holds <b>no capabilities</b> may read {@code path}:
     * the permission bits apply even to uid 0. This is a service with {@code PrivateUsers=yes} (uid
     * 0 of its own user namespace, nothing on the host) or an empty {@code CapabilityBoundingSet=}.
     */
    public boolean canReadWithoutPrivileges(Path path, PosixUser user) {
        return allowed(path, user, 4, false, false);
    }

    /**
     * {@link #canWrite}, for a process without capabilities (see {@link
     * #canReadWithoutPrivileges}).
     */
    public boolean canWriteWithoutPrivileges(Path path, PosixUser user) {
        return allowed(path, user, 2, true, false);
    }

    private boolean allowed(Path path, PosixUser user, int bit, boolean write) {
        return allowed(path, user, bit, write, true);
    }

    private boolean allowed(Path path, PosixUser user, int bit, boolean write, boolean rootBypass) {
        Objects.requireNonNull(user, "user");
        Path abs = path.toAbsolutePath().normalize();
        FileOwnership target;
        try {
            target = stat(abs);
        } catch (UncheckedIOException e) {
            return false;
        }
        if (user.uid() == 0 && rootBypass) {
            return true;
        }
        for (Path dir = abs.getParent(); dir != null; dir = dir.getParent()) {
            try {
                if (!permits(stat(dir), user, 1)) {
                    return false;
                }
            } catch (UncheckedIOException e) {
                return false;
            }
        }
        if (!permits(target, user, bit)) {
            return false;
        }
        return !(target.isDirectory() && write) || permits(target, user, 1);
    }

    private static boolean permits(FileOwnership f, PosixUser u, int bit) {
        if (bit == 0) {
            return true;
        }
        int perms = f.permissions();
        int shift = u.uid() == f.uid() ? 6 : u.inGroup(f.gid()) ? 3 : 0;
        return ((perms >> shift) & bit) != 0;
    }

    /** A handler that never prints and turns the rare fatal error into an exception. */
    private static final class QuietHandler implements POSIXHandler {
        @Override
        public void error(Errno error, String extraData) {
            throw new IllegalStateException("POSIX call failed: " + error + " " + extraData);
        }

        @Override
        public void error(Errno error, String methodName, String extraData) {
            throw new IllegalStateException(
                    "POSIX call " + methodName + " failed: " + error + " " + extraData);
        }

        @Override
        public void unimplementedError(String methodName) {
            throw new UnsupportedOperationException(
                    "POSIX call " + methodName + " is not available on this platform");
        }

        @Override
        public void warn(WARNING_ID id, String message, Object... data) {}

        @Override
        public boolean isVerbose() {
            return false;
        }

        @Override
        public File getCurrentWorkingDirectory() {
            return new File(System.getProperty("user.dir"));
        }

        @Override
        public String[] getEnv() {
            return System.getenv().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new);
        }

        @Override
        public InputStream getInputStream() {
            return System.in;
        }

        @Override
        public PrintStream getOutputStream() {
            return System.out;
        }

        @Override
        public int getPID() {
            return (int) ProcessHandle.current().pid();
        }

        @Override
        public PrintStream getErrorStream() {
            return System.err;
        }
    }
}
