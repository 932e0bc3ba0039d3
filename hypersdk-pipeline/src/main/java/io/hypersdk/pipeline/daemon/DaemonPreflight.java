package io.hypersdk.pipeline.daemon;

import io.hypersdk.core.io.FileType;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.settings.Setting;
import io.hypersdk.core.settings.SettingText;
import io.hypersdk.core.spool.SpoolConvention;
import io.hypersdk.core.spool.SpoolDirectories;
import io.hypersdk.core.spool.SpoolPaths;
import io.hypersdk.pipeline.PreflightException;
import io.hypersdk.systemd.FileOwnership;
import io.hypersdk.systemd.PosixAccess;
import io.hypersdk.systemd.PosixGroup;
import io.hypersdk.systemd.PosixUser;
import io.hypersdk.systemd.UnitStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks, before anything is submitted, that the job can work: the spool directories exist, this
 * process can write them, the spool is of the declared layout, and the daemon (with its unit's
 * {@code User}, {@code Group}, {@code PrivateUsers}, {@code PrivateTmp}, {@code ProtectHome},
 * {@code ProtectSystem}, {@code ReadWritePaths} and {@code StateDirectory}/{@code CacheDirectory}/
 * {@code LogsDirectory}) can read the disks the manifest points at and write its spool. A daemon
 * running as root is only trusted to read everything without {@code PrivateUsers=yes}: with it, it
 * is uid 0 of its own user namespace without capabilities, bound by file permissions. Every problem
 * is reported in one line that names the input and the fix.
 */
public final class DaemonPreflight {
    private static final List<Path> HOME_DIRS =
            List.of(Path.of("/home"), Path.of("/root"), Path.of("/run/user"));
    private static final List<Path> TMP_DIRS = List.of(Path.of("/tmp"), Path.of("/var/tmp"));

    private final PosixAccess posix;

    private DaemonPreflight(PosixAccess posix) {
        this.posix = posix;
    }

    /**
     * A pre-flight that checks permissions through {@code posix}.
     *
     * @param posix POSIX access (users, file modes)
     * @return the pre-flight
     */
    public static DaemonPreflight using(PosixAccess posix) {
        return new DaemonPreflight(Objects.requireNonNull(posix, "posix"));
    }

    /**
     * Throws when anything would stop the daemon from doing the job.
     *
     * @param dirs the spool
     * @param manifest the manifest to submit (absolute disk paths)
     * @param unit the daemon's unit status, when known
     * @throws PreflightException listing every problem, each with its fix
     */
    public void check(SpoolDirectories dirs, ArtifactManifest manifest, Optional<UnitStatus> unit) {
        Objects.requireNonNull(manifest, "manifest");
        throwIfAny(findProblems(dirs, Optional.of(manifest), unit));
    }

    /**
     * The checks that need no manifest, for before the export: the spool and the daemon output
     * directory exist as directories of the declared layout, this process can publish into the
     * spool, and the daemon can see and write it.
     *
     * @param dirs the spool
     * @param unit the daemon's unit status, when known
     * @throws PreflightException listing every problem, each with its fix
     */
    public void checkSpool(SpoolDirectories dirs, Optional<UnitStatus> unit) {
        throwIfAny(findProblems(dirs, Optional.empty(), unit));
    }

    private static void throwIfAny(List<SettingText> problems) {
        if (!problems.isEmpty()) {
            SettingText all = problems.get(0);
            for (SettingText p : problems.subList(1, problems.size())) {
                all = all.text("; ").append(p);
            }
            throw new PreflightException(all);
        }
    }

    /**
     * Every problem found, each one line naming the input and the fix; empty when all is well.
     *
     * @param dirs the spool
     * @param manifest the manifest to submit (absolute disk paths)
     * @param unit the daemon's unit status, when known
     * @return the problems
     */
    public List<String> problems(
            SpoolDirectories dirs, ArtifactManifest manifest, Optional<UnitStatus> unit) {
        return findProblems(dirs, Optional.of(manifest), unit).stream()
                .map(SettingText::toString)
                .toList();
    }

    private List<SettingText> findProblems(
            SpoolDirectories dirs, Optional<ArtifactManifest> manifest, Optional<UnitStatus> unit) {
        List<SettingText> out = new ArrayList<>();
        String unitName = unit.map(UnitStatus::id).orElse("the hyper2kvm unit");
        Path submitDir = dirs.paths().submitDir();

        // 1. the spool exists, is of this layout, and we can publish into it
        if (Files.exists(dirs.watchDir()) && !Files.isDirectory(dirs.watchDir())) {
            out.add(
                    SettingText.of(
                                    "watch directory "
                                            + dirs.watchDir()
                                            + " ("
                                            + dirs.origin()
                                            + ") "
                                            + notADirectory(dirs.watchDir())
                                            + ": ")
                            .set(Setting.HYPER2KVM_WATCH_DIR)
                            .text(" to the directory the daemon watches"));
        } else if (!Files.isDirectory(dirs.watchDir())) {
            out.add(
                    SettingText.of(
                                    "watch directory "
                                            + dirs.watchDir()
                                            + " does not exist ("
                                            + dirs.origin()
                                            + "): "
                                            + (unit.isPresent()
                                                    ? "start "
                                                            + unitName
                                                            + " once so that it creates it, or "
                                                    : ""))
                            .set(Setting.HYPER2KVM_WATCH_DIR)
                            .text(" to the directory the daemon watches"));
        } else {
            layoutMismatch(dirs).ifPresent(out::add);
            if (out.isEmpty() && !Files.isDirectory(submitDir)) {
                out.add(
                        SettingText.of(
                                "spool "
                                        + dirs.watchDir()
                                        + " has no "
                                        + submitDir.getFileName()
                                        + "/ directory, which the workflow layout needs: start "
                                        + unitName
                                        + " (the daemon creates it) or create it with the daemon's owner"));
            } else if (out.isEmpty() && !Files.isWritable(submitDir)) {
                out.add(
                        SettingText.of(
                                "cannot write to "
                                        + submitDir
                                        + " ("
                                        + describe(submitDir)
                                        + "): run as a"
                                        + " member of the daemon's group with a group-writable spool (chmod 2775), or as root"));
            }
        }
        if (Files.exists(dirs.outputDir()) && !Files.isDirectory(dirs.outputDir())) {
            out.add(
                    SettingText.of(
                                    "daemon output directory "
                                            + dirs.outputDir()
                                            + " ("
                                            + dirs.origin()
                                            + ") "
                                            + notADirectory(dirs.outputDir())
                                            + ": ")
                            .set(Setting.HYPER2KVM_OUTPUT_DIR)
                            .text(" to the daemon's --output-dir"));
        } else if (!Files.isDirectory(dirs.outputDir())) {
            out.add(
                    SettingText.of(
                                    "daemon output directory "
                                            + dirs.outputDir()
                                            + " does not exist ("
                                            + dirs.origin()
                                            + "): "
                                            + (unit.isPresent()
                                                    ? "start " + unitName + " once or "
                                                    : ""))
                            .set(Setting.HYPER2KVM_OUTPUT_DIR)
                            .text(" to the daemon's --output-dir"));
        } else if (!Files.isReadable(dirs.outputDir())) {
            out.add(
                    SettingText.of(
                            "cannot read the daemon output directory "
                                    + dirs.outputDir()
                                    + " ("
                                    + describe(dirs.outputDir())
                                    + "): make it readable for this user (chmod o+rx or"
                                    + " join the daemon's group)"));
        }

        if (unit.isEmpty()) {
            return out;
        }
        UnitStatus u = unit.get();

        // 2. the daemon can see and write its spool
        for (Path spool : List.of(dirs.watchDir(), dirs.outputDir())) {
            if (u.privateTmp() && under(spool, TMP_DIRS)) {
                out.add(
                        SettingText.of(
                                "daemon cannot see "
                                        + spool
                                        + ": "
                                        + u.id()
                                        + " has PrivateTmp=yes,"
                                        + " so its /tmp is its own; use "
                                        + SpoolConvention.watchDir(Optional.empty())
                                        + " and "
                                        + SpoolConvention.outputDir(Optional.empty())));
            }
            if (hidesHome(u) && under(spool, HOME_DIRS)) {
                out.add(
                        SettingText.of(
                                "daemon cannot see "
                                        + spool
                                        + ": "
                                        + u.id()
                                        + " has ProtectHome="
                                        + u.protectHome()
                                        + "; use a spool under "
                                        + SpoolConvention.BASE));
            }
            if ("strict".equals(u.protectSystem()) && !under(spool, u.writablePaths())) {
                out.add(
                        SettingText.of(
                                "daemon cannot write "
                                        + spool
                                        + ": "
                                        + u.id()
                                        + " has ProtectSystem=strict and "
                                        + spool
                                        + " is neither in its ReadWritePaths ("
                                        + u.readWritePaths()
                                        + ") nor in a"
                                        + " StateDirectory/CacheDirectory/LogsDirectory ("
                                        + u.writablePaths()
                                        + "); add it to"
                                        + " ReadWritePaths= or use the instance's own directories"));
            }
        }
        Optional<PosixUser> daemonUser = daemonUser(u, out);
        boolean unprivileged = u.privateUsers();
        daemonUser.ifPresent(
                user -> {
                    if (Files.isDirectory(submitDir) && !canWrite(submitDir, user, unprivileged)) {
                        out.add(
                                SettingText.of(
                                        "daemon user "
                                                + user.name()
                                                + " cannot write "
                                                + submitDir
                                                + " ("
                                                + describe(submitDir)
                                                + "), so it cannot claim or move jobs: chown it to "
                                                + user.name()
                                                + " or make it group-writable for the daemon's group"));
                    }
                });

        // 3. the daemon can read the disks (disk-watch gets a copy in the spool instead)
        if (dirs.layout() != QueueLayout.DISK_WATCH && manifest.isPresent()) {
            List<DiskArtifact> disks =
                    dirs.layout() == QueueLayout.FLAT
                            ? List.of(manifest.get().bootDisk())
                            : manifest.get().disks();
            for (DiskArtifact d : disks) {
                Path p = d.localPath();
                if (u.privateTmp() && under(p, TMP_DIRS)) {
                    out.add(
                            SettingText.of(
                                    "daemon cannot read "
                                            + p
                                            + ": "
                                            + u.id()
                                            + " has PrivateTmp=yes;"
                                            + " export under "
                                            + SpoolConvention.EXPORTS
                                            + " or use direct mode"));
                } else if (hidesHome(u) && under(p, HOME_DIRS)) {
                    out.add(
                            SettingText.of(
                                    "daemon cannot read "
                                            + p
                                            + ": "
                                            + u.id()
                                            + " has ProtectHome="
                                            + u.protectHome()
                                            + "; export under "
                                            + SpoolConvention.EXPORTS
                                            + " or use direct mode"));
                } else if (daemonUser.isPresent()
                        && Files.exists(p)
                        && !canRead(p, daemonUser.get(), unprivileged)) {
                    out.add(
                            SettingText.of(
                                    "daemon cannot read "
                                            + p
                                            + ": "
                                            + u.id()
                                            + " runs as User="
                                            + daemonUser.get().name()
                                            + (unprivileged && daemonUser.get().uid() == 0
                                                    ? " with PrivateUsers=yes (no capabilities, so file permissions apply)"
                                                    : "")
                                            + " and the file or a parent directory denies it ("
                                            + describe(p)
                                            + "); make it readable for that user or export under"
                                            + " "
                                            + SpoolConvention.EXPORTS));
                }
            }
        }
        return out;
    }

    private boolean canRead(Path p, PosixUser user, boolean unprivileged) {
        return unprivileged ? posix.canReadWithoutPrivileges(p, user) : posix.canRead(p, user);
    }

    private boolean canWrite(Path p, PosixUser user, boolean unprivileged) {
        return unprivileged ? posix.canWriteWithoutPrivileges(p, user) : posix.canWrite(p, user);
    }

    /**
     * The daemon's identity for permission checks: User= (root when unset) with Group= as its
     * primary group; empty for a privileged root, which may read and write anything.
     */
    private Optional<PosixUser> daemonUser(UnitStatus u, List<SettingText> out) {
        Optional<String> name = u.user().filter(s -> !s.isBlank());
        boolean root = name.isEmpty() || name.get().equals("root") || name.get().equals("0");
        if (root && !u.privateUsers()) {
            return Optional.empty(); // root with its capabilities
        }
        Optional<PosixUser> user;
        if (root) {
            user = Optional.of(posix.user("root").orElse(new PosixUser("root", 0, 0, Set.of())));
        } else if (name.get().chars().allMatch(Character::isDigit)) {
            user = Optional.empty();
        } else {
            user = posix.user(name.get());
        }
        if (user.isEmpty()) {
            out.add(
                    SettingText.of(
                            u.id()
                                    + " runs as User="
                                    + name.orElse("root")
                                    + ", which does not exist on this"
                                    + " host: create the user (systemd/install.sh does) or fix User= in the unit"));
            return user;
        }
        Optional<PosixGroup> group = u.group().filter(g -> !g.isBlank()).flatMap(posix::group);
        if (group.isPresent() && group.get().gid() != user.get().gid()) {
            PosixUser base = user.get();
            Set<Long> others = new HashSet<>(base.supplementaryGids());
            others.add(base.gid());
            user = Optional.of(new PosixUser(base.name(), base.uid(), group.get().gid(), others));
        }
        return user;
    }

    private static boolean hidesHome(UnitStatus u) {
        return "yes".equals(u.protectHome())
                || "tmpfs".equals(u.protectHome())
                || "true".equals(u.protectHome());
    }

    static boolean under(Path p, List<Path> roots) {
        Path n = p.toAbsolutePath().normalize();
        for (Path r : roots) {
            if (n.startsWith(r.toAbsolutePath().normalize())) {
                return true;
            }
        }
        return false;
    }

    /** What a path that exists but is not a directory is, in words that are true. */
    static String notADirectory(Path p) {
        return FileType.of(p).phrase() + ", not a directory";
    }

    private String describe(Path p) {
        try {
            FileOwnership o = posix.stat(p);
            return "owner uid "
                    + o.uid()
                    + ", gid "
                    + o.gid()
                    + ", mode "
                    + String.format("%04o", o.permissions());
        } catch (UncheckedIOException e) {
            return "cannot stat: " + e.getCause().getMessage();
        }
    }

    /** A spool that plainly belongs to another layout, and the setting to change. */
    static Optional<SettingText> layoutMismatch(SpoolDirectories dirs) {
        Path w = dirs.watchDir();
        boolean workflowDirs =
                SpoolPaths.of(QueueLayout.WORKFLOW, w).markerDirs().stream()
                        .anyMatch(Files::isDirectory);
        boolean diskWatchDirs =
                SpoolPaths.of(QueueLayout.DISK_WATCH, w).markerDirs().stream()
                        .anyMatch(Files::isDirectory);
        boolean manifests = hasFiles(w, "*.json");
        QueueLayout seen = null;
        switch (dirs.layout()) {
            case WORKFLOW -> {
                if (!workflowDirs && diskWatchDirs) {
                    seen = QueueLayout.DISK_WATCH;
                } else if (!workflowDirs && manifests) {
                    seen = QueueLayout.FLAT;
                }
            }
            case DISK_WATCH, FLAT -> {
                if (workflowDirs && !diskWatchDirs) {
                    seen = QueueLayout.WORKFLOW;
                } else if (dirs.layout() == QueueLayout.FLAT && diskWatchDirs) {
                    seen = QueueLayout.DISK_WATCH;
                }
            }
            default -> {}
        }
        if (seen == null) {
            return Optional.empty();
        }
        String evidence =
                switch (seen) {
                    case DISK_WATCH ->
                            "it has "
                                    + SpoolPaths.DOT_PROCESSED
                                    + "/ or "
                                    + SpoolPaths.DOT_ERRORS
                                    + "/ and no "
                                    + SpoolPaths.TO_BE_PROCESSED
                                    + "/";
                    case WORKFLOW -> "it has " + SpoolPaths.TO_BE_PROCESSED + "/";
                    case FLAT ->
                            "it has manifests directly in it and no "
                                    + SpoolPaths.TO_BE_PROCESSED
                                    + "/";
                };
        return Optional.of(
                SettingText.of(
                                "spool "
                                        + w
                                        + " looks like a "
                                        + seen.id()
                                        + " spool ("
                                        + evidence
                                        + ") but the layout is "
                                        + dirs.layout().id()
                                        + " ("
                                        + dirs.origin()
                                        + "): ")
                        .set(Setting.HYPER2KVM_QUEUE_LAYOUT, seen.id())
                        .text(" (or QUEUE_LAYOUT=" + seen.id() + " in the unit's Environment)"));
    }

    private static boolean hasFiles(Path dir, String glob) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
