package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.core.spool.SpoolDirectories;
import io.hypersdk.core.spool.SpoolDirectories.Origin;
import io.hypersdk.core.text.TerminalText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Aligned plain-text tables, like systemctl's own listings; absent values print as "-". */
final class TableRenderer {

    private static final String NONE = "-";
    private static final String FALLBACK_MARK = "*";

    /** A value the unit's Environment makes unusable ({@code status} says why). */
    private static final String UNKNOWN = "?";

    private TableRenderer() {}

    static void status(List<InstanceReport> reports, PrintWriter out) {
        if (reports.isEmpty()) {
            out.println(noInstances());
            return;
        }
        Table units =
                new Table(
                        "INSTANCE",
                        "SERVICE",
                        "STATE",
                        "PID",
                        "UPTIME",
                        "RESTARTS",
                        "MEMORY",
                        "UNIT FILE");
        for (InstanceReport r : reports) {
            units.row(
                    r.name(),
                    r.service(),
                    r.state(),
                    pid(r.mainPid()),
                    r.uptime().map(HumanUnits::duration).orElse(NONE),
                    Long.toString(r.restarts()),
                    r.memoryBytes().isPresent()
                            ? HumanUnits.bytes(r.memoryBytes().getAsLong())
                            : NONE,
                    r.unitFileState().isEmpty() ? NONE : r.unitFileState());
        }
        units.print(out);
        out.println();
        Table queues =
                new Table(
                        "INSTANCE",
                        "LAYOUT",
                        "WAITING",
                        "IN PROGRESS",
                        "OLDEST WAITING",
                        "WATCH DIRECTORY",
                        "OUTPUT DIRECTORY");
        boolean fallback = false;
        for (InstanceReport r : reports) {
            Optional<SpoolDirectories> d = r.directories();
            QueueSnapshot q = r.queue();
            fallback |= d.isPresent() && d.get().anyFallback();
            queues.row(
                    r.name(),
                    d.map(s -> s.layout().id() + mark(s.layoutOrigin())).orElse(UNKNOWN),
                    count(q.waiting()),
                    count(q.inProgress()),
                    q.oldestWaiting().map(HumanUnits::duration).orElse(NONE),
                    watchDir(d),
                    d.map(s -> s.outputDir() + mark(s.outputDirOrigin())).orElse(UNKNOWN));
        }
        queues.print(out);
        if (fallback) {
            out.println();
            out.println(
                    FALLBACK_MARK
                            + " not set in the unit's Environment (WATCH_DIR, OUTPUT_DIR, QUEUE_LAYOUT):"
                            + " the default convention is shown");
        }
        List<String> remarks = new ArrayList<>();
        for (InstanceReport r : reports) {
            r.queue()
                    .problem()
                    .ifPresent(p -> remarks.add(TerminalText.escape(r.name() + ": " + p)));
        }
        if (!remarks.isEmpty()) {
            out.println();
            remarks.forEach(out::println);
        }
    }

    static void list(List<InstanceReport> reports, PrintWriter out) {
        if (reports.isEmpty()) {
            out.println(noInstances());
            return;
        }
        Table t =
                new Table(
                        "INSTANCE",
                        "SERVICE",
                        "STATE",
                        "PID",
                        "UPTIME",
                        "WAITING",
                        "IN PROGRESS",
                        "WATCH DIRECTORY");
        for (InstanceReport r : reports) {
            t.row(
                    r.name(),
                    r.service(),
                    r.state(),
                    pid(r.mainPid()),
                    r.uptime().map(HumanUnits::duration).orElse(NONE),
                    r.queue().problem().isPresent() ? "?" : count(r.queue().waiting()),
                    count(r.queue().inProgress()),
                    watchDir(r.directories()));
        }
        t.print(out);
    }

    static String noInstances() {
        return "No hyper2kvm daemon instances found (no hyper2kvm.service or hyper2kvm@*.service is installed,"
                + " enabled or running).";
    }

    private static String watchDir(Optional<SpoolDirectories> d) {
        return d.map(s -> s.watchDir() + mark(s.watchDirOrigin())).orElse(UNKNOWN);
    }

    private static String mark(Origin o) {
        return o == Origin.UNIT ? "" : FALLBACK_MARK;
    }

    private static String pid(OptionalLong pid) {
        return pid.isPresent() ? Long.toString(pid.getAsLong()) : NONE;
    }

    private static String count(OptionalInt n) {
        return n.isPresent() ? Integer.toString(n.getAsInt()) : NONE;
    }

    /** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
    private static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        /**
         * Cells hold unit names and Environment paths from systemd: printed through {@link
         * TerminalText}.
         */
        void row(String... cells) {
            rows.add(Arrays.stream(cells).map(TerminalText::escape).toArray(String[]::new));
        }

        void print(PrintWriter out) {
            int cols = rows.get(0).length;
            int[] width = new int[cols];
            for (String[] r : rows) {
                for (int i = 0; i < cols; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            StringBuilder line = new StringBuilder();
            for (String[] r : rows) {
                line.setLength(0);
                for (int i = 0; i < cols; i++) {
                    line.append(r[i]);
                    if (i < cols - 1) {
                        line.append(" ".repeat(width[i] - r[i].length() + 2));
                    }
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }
}
