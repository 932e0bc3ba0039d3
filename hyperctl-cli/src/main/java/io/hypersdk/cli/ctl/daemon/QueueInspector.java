package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.spool.SpoolDirectories;
import io.hypersdk.core.spool.SpoolPaths;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads a spool directory per its queue layout (DESIGN.md "Daemon mode: spool layouts"):
 *
 * <ul>
 *   <li>workflow: waiting = manifests in {@code to_be_processed/}, in progress = files in {@code
 *       processing/};
 *   <li>flat: waiting = {@code *.manifest.json} in the watch dir; no on-disk claim;
 *   <li>disk-watch: waiting = disk files in the watch dir without a {@code
 *       .errors/NAME.error.json}; the 0.0.x daemon claims in memory only, so the file being
 *       converted counts as waiting.
 * </ul>
 *
 * Dot-files (submissions still being written) never count.
 */
final class QueueInspector {

    static final Set<String> DISK_SUFFIXES =
            Set.of(".vmdk", ".ova", ".ovf", ".vhd", ".vhdx", ".raw", ".img", ".ami");
    private static final Set<String> MANIFEST_SUFFIXES = Set.of(".json", ".yaml", ".yml");

    private final Clock clock;

    QueueInspector(Clock clock) {
        this.clock = clock;
    }

    QueueSnapshot inspect(SpoolDirectories dirs) {
        Path watch = dirs.watchDir();
        try {
            if (!Files.isDirectory(watch)) {
                return QueueSnapshot.unreadable(
                        "watch directory "
                                + watch
                                + " does not exist"
                                + (dirs.watchDirOrigin() == SpoolDirectories.Origin.CONVENTION
                                        ? " (the unit sets no WATCH_DIR; set it in the unit's Environment)"
                                        : "; the daemon creates it when it starts, or create it"));
            }
            SpoolPaths paths = dirs.paths();
            return switch (dirs.layout()) {
                case WORKFLOW -> workflow(paths);
                case FLAT -> flat(watch);
                case DISK_WATCH -> diskWatch(paths);
            };
        } catch (AccessDeniedException e) {
            return QueueSnapshot.unreadable(
                    "cannot read "
                            + e.getFile()
                            + ": permission denied; run hyperctl as root or as a member of the daemon's group");
        } catch (IOException | SecurityException e) {
            return QueueSnapshot.unreadable(
                    "cannot read the spool under " + watch + ": " + e.getMessage());
        }
    }

    private QueueSnapshot workflow(SpoolPaths paths) throws IOException {
        Path watch = paths.watchDir();
        Path toBeProcessed = paths.submitDir();
        Path processing = paths.claimDir().orElseThrow();
        if (!Files.isDirectory(toBeProcessed)) {
            String hint =
                    SpoolPaths.of(QueueLayout.DISK_WATCH, watch).markerDirs().stream()
                                    .anyMatch(Files::isDirectory)
                            ? "; it looks like a disk-watch spool: set QUEUE_LAYOUT=disk-watch in the unit"
                            : "; the workflow daemon creates it when it starts";
            return QueueSnapshot.unreadable(
                    "no " + SpoolPaths.TO_BE_PROCESSED + "/ in " + watch + hint);
        }
        Count waiting = count(toBeProcessed, p -> hasSuffix(p, MANIFEST_SUFFIXES));
        OptionalInt inProgress =
                Files.isDirectory(processing)
                        ? OptionalInt.of(count(processing, p -> true).n)
                        : OptionalInt.of(0);
        return new QueueSnapshot(
                OptionalInt.of(waiting.n),
                inProgress,
                waiting.age(clock),
                Optional.empty(),
                Optional.empty());
    }

    private QueueSnapshot flat(Path watch) throws IOException {
        Count waiting = count(watch, p -> p.getFileName().toString().endsWith(".manifest.json"));
        return new QueueSnapshot(
                OptionalInt.of(waiting.n),
                OptionalInt.empty(),
                waiting.age(clock),
                Optional.empty(),
                Optional.of("the flat layout has no claim step: jobs in progress are not visible"));
    }

    private QueueSnapshot diskWatch(SpoolPaths paths) throws IOException {
        Path watch = paths.watchDir();
        Path errors = paths.failedDir().orElseThrow();
        int[] failed = {0};
        Count waiting =
                count(
                        watch,
                        p -> {
                            if (!hasSuffix(p, DISK_SUFFIXES)) {
                                return false;
                            }
                            if (Files.exists(errors.resolve(p.getFileName() + ".error.json"))) {
                                failed[0]++;
                                return false;
                            }
                            return true;
                        });
        String note = "disk-watch keeps no on-disk claim: a disk being converted counts as waiting";
        if (failed[0] > 0) {
            note +=
                    "; "
                            + failed[0]
                            + " failed input(s) left in the watch directory (see .errors/)";
        }
        return new QueueSnapshot(
                OptionalInt.of(waiting.n),
                OptionalInt.empty(),
                waiting.age(clock),
                Optional.empty(),
                Optional.of(note));
    }

    private static boolean hasSuffix(Path p, Set<String> suffixes) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && suffixes.contains(name.substring(dot));
    }

    /** Regular, non-hidden files of one directory that match, and the oldest modification time. */
    private static Count count(Path dir, Predicate<Path> matches) throws IOException {
        Count c = new Count();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (p.getFileName().toString().startsWith(".") || !matches.test(p)) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (NoSuchFileException gone) {
                    continue; // claimed or withdrawn while we looked
                }
                if (!a.isRegularFile()) {
                    continue;
                }
                c.n++;
                Instant m = a.lastModifiedTime().toInstant();
                if (c.oldest == null || m.isBefore(c.oldest)) {
                    c.oldest = m;
                }
            }
        } catch (NotDirectoryException e) {
            throw new IOException(dir + " is not a directory", e);
        }
        return c;
    }

    private static final class Count {
        int n;
        Instant oldest;

        Optional<Duration> age(Clock clock) {
            if (oldest == null) {
                return Optional.empty();
            }
            Duration d = Duration.between(oldest, clock.instant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        }
    }
}
