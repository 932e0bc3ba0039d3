package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.core.spool.SpoolDirectories;
import io.hypersdk.core.spool.SpoolPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a daemon's claimed job that has not moved for longer than a threshold: hyper2kvm 0.0.x
 * locks up (its statistics save deadlocks) and then ignores SIGTERM, so the unit stays
 * "active/running" while nothing converts. A job has moved when anything under its claim changed:
 *
 * <ul>
 *   <li>workflow: the claimed file in {@code processing/} (its change time: the claim is a rename);
 *   <li>disk-watch: a disk in the watch directory without an answer whose job directory {@code
 *       <output>/<date>/<job>/} exists (the daemon creates it when it starts the job): the newest
 *       change of that directory and what is in it;
 *   <li>flat: no claim on disk, nothing to judge.
 * </ul>
 */
final class StuckJobs {

    /** The default threshold of {@code --stuck-after}. */
    static final Duration DEFAULT_THRESHOLD = Duration.ofMinutes(15);

    /** A claimed job that has not moved for {@code idle}; {@code claim} is what shows the claim. */
    record StuckJob(String job, Duration idle, Path claim) {}

    private final Duration threshold;
    private final Clock clock;

    StuckJobs(Duration threshold, Clock clock) {
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException(
                    "the stuck-job threshold must be positive (got " + threshold + ")");
        }
        this.threshold = threshold;
        this.clock = clock;
    }

    /** The stuck job of each active instance that has one, by instance name, in report order. */
    Map<String, StuckJob> of(List<InstanceReport> reports) {
        Map<String, StuckJob> out = new LinkedHashMap<>();
        for (InstanceReport r : reports) {
            if (r.isActive()) {
                find(r.directories()).ifPresent(s -> out.put(r.name(), s));
            }
        }
        return out;
    }

    /** The claimed job that has been idle longest, if it is idle beyond the threshold. */
    Optional<StuckJob> find(Optional<SpoolDirectories> spool) {
        if (spool.isEmpty()) {
            return Optional.empty(); // the queue view already reports why the spool is unknown
        }
        SpoolDirectories dirs = spool.get();
        try {
            List<StuckJob> claimed =
                    switch (dirs.layout()) {
                        case WORKFLOW -> workflow(dirs.paths());
                        case DISK_WATCH -> diskWatch(dirs.paths(), dirs.outputDir());
                        case FLAT -> List.of();
                    };
            return claimed.stream()
                    .filter(s -> s.idle().compareTo(threshold) > 0)
                    .max((a, b) -> a.idle().compareTo(b.idle()));
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return Optional.empty(); // the queue view already reports an unreadable spool
        }
    }

    private List<StuckJob> workflow(SpoolPaths spool) throws IOException {
        List<StuckJob> out = new ArrayList<>();
        Path processing = spool.claimDir().orElseThrow();
        if (!Files.isDirectory(processing)) {
            return out;
        }
        for (Path p : list(processing)) {
            String name = p.getFileName().toString();
            if (!name.startsWith(".") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                out.add(new StuckJob(stem(name), idleSince(changed(p)), p));
            }
        }
        return out;
    }

    private List<StuckJob> diskWatch(SpoolPaths spool, Path output) throws IOException {
        Path watch = spool.watchDir();
        Path errors = spool.failedDir().orElseThrow();
        List<StuckJob> out = new ArrayList<>();
        if (!Files.isDirectory(watch) || !Files.isDirectory(output)) {
            return out;
        }
        List<Path> dateDirs = list(output).stream().filter(Files::isDirectory).toList();
        for (Path p : list(watch)) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")
                    || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    || Files.exists(errors.resolve(name + ".error.json"))) {
                continue;
            }
            String job = stem(name);
            for (Path date : dateDirs) {
                Path jobDir = date.resolve(job);
                if (Files.isDirectory(jobDir, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(new StuckJob(job, idleSince(newestChange(jobDir)), jobDir));
                }
            }
        }
        return out;
    }

    /**
     * The lines {@code hyperctl daemon status} prints for the stuck jobs (none when there are
     * none).
     */
    static void print(Map<String, StuckJob> stuck, List<InstanceReport> reports, PrintWriter out) {
        if (stuck.isEmpty()) {
            return;
        }
        out.println();
        for (InstanceReport r : reports) {
            StuckJob s = stuck.get(r.name());
            if (s != null) {
                out.println(message(r, s));
            }
        }
    }

    /** One line: which instance, which job, for how long, and the fix. */
    static String message(InstanceReport r, StuckJob s) {
        return "STUCK "
                + r.name()
                + ": job "
                + s.job()
                + " has not moved for "
                + HumanUnits.duration(s.idle())
                + " ("
                + s.claim()
                + "); hyper2kvm 0.0.x locks up and ignores SIGTERM:"
                + " run 'systemctl restart "
                + r.service()
                + "' (the job is converted again after the restart)";
    }

    private Duration idleSince(Instant t) {
        Duration d = Duration.between(t, clock.instant());
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Instant changed(Path p) throws IOException {
        Instant m = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
        try {
            Instant c =
                    ((FileTime) Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS))
                            .toInstant();
            return c.isAfter(m) ? c : m;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return m;
        }
    }

    private static Instant newestChange(Path dir) throws IOException {
        Instant newest = changed(dir);
        try (Stream<Path> all = Files.walk(dir, 3)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Instant c = changed(p);
                if (c.isAfter(newest)) {
                    newest = c;
                }
            }
        }
        return newest;
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        return out;
    }

    /** "abc.json" -> "abc", "abc.vmdk" -> "abc" (the job id the SDK named the file after). */
    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
