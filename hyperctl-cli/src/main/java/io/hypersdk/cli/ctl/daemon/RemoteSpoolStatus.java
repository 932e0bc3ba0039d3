package io.hypersdk.cli.ctl.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypersdk.cli.ctl.ExitCodes;
import io.hypersdk.core.spool.SpoolDescriptor;
import io.hypersdk.core.spool.SpoolDescriptorException;
import io.hypersdk.core.spool.SpoolDirectories;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code hyperctl daemon status --spool DIR}: the daemon on another host, seen through its spool:
 * the descriptor, the heartbeat's age against its bound, and the queue ({@link QueueInspector}).
 */
final class RemoteSpoolStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RemoteSpoolStatus() {}

    static int show(Path spool, boolean json, PrintWriter out, PrintWriter err, Clock clock) {
        Optional<SpoolDescriptor> read;
        try {
            read = SpoolDescriptor.read(spool);
        } catch (IOException | SpoolDescriptorException e) {
            err.println(
                    "hyperctl: cannot read " + SpoolDescriptor.file(spool) + ": " + e.getMessage());
            err.flush();
            return ExitCodes.FAILURE;
        }
        if (read.isEmpty()) {
            err.println(
                    "hyperctl: "
                            + spool
                            + " has no spool descriptor ("
                            + SpoolDescriptor.FILE_NAME
                            + "): it is not a shared spool, or its conversion host does not run"
                            + " hyper2kvm-spool (hyperctl spool publish)");
            err.flush();
            return ExitCodes.UNKNOWN_INSTANCE;
        }
        SpoolDescriptor d = read.get();
        Instant now = clock.instant();
        boolean fresh = d.isFresh(now);
        SpoolDirectories dirs =
                new SpoolDirectories(
                        "spool descriptor " + SpoolDescriptor.file(spool),
                        spool,
                        SpoolDirectories.Origin.UNIT,
                        d.outputDir(),
                        SpoolDirectories.Origin.UNIT,
                        d.layout(),
                        SpoolDirectories.Origin.UNIT);
        QueueSnapshot q = new QueueInspector(clock).inspect(dirs);
        Duration age = d.age(now);
        if (json) {
            ObjectNode n = JSON.createObjectNode();
            n.put("spool", spool.toString());
            n.put("descriptor", SpoolDescriptor.file(spool).toString());
            n.put("version", d.version());
            n.put("host", d.host());
            n.put("instance", d.instance().orElse("default"));
            n.put("layout", d.layout().id());
            n.put("converter_version", d.converterVersion());
            n.put("output_dir", d.outputDir().toString());
            n.put("heartbeat", d.heartbeat().toString());
            n.put("heartbeat_age_seconds", age.toMillis() / 1000.0);
            n.put("stale_after_seconds", d.staleAfter().toMillis() / 1000.0);
            n.put("alive", fresh);
            q.waiting().ifPresent(w -> n.put("waiting", w));
            q.inProgress().ifPresent(w -> n.put("in_progress", w));
            q.oldestWaiting().ifPresent(o -> n.put("oldest_waiting_seconds", o.toSeconds()));
            q.problem().ifPresent(p -> n.put("queue_problem", p));
            out.println(n.toPrettyString());
        } else {
            out.println("spool       " + spool);
            out.println(
                    "descriptor  "
                            + SpoolDescriptor.file(spool)
                            + " (version "
                            + d.version()
                            + ")");
            out.println("host        " + d.host());
            out.println("instance    " + d.instance().orElse("default"));
            out.println("layout      " + d.layout().id());
            out.println("converter   " + d.converterVersion());
            out.println("output dir  " + d.outputDir());
            out.println(
                    "heartbeat   "
                            + d.heartbeat()
                            + " ("
                            + HumanUnits.duration(age)
                            + " ago; "
                            + (fresh ? "alive" : "STALE")
                            + ": alive means younger than "
                            + HumanUnits.duration(d.staleAfter())
                            + ")");
            if (q.problem().isPresent()) {
                out.println("queue       unreadable: " + q.problem().get());
            } else {
                out.println(
                        "queue       "
                                + q.waiting().orElse(0)
                                + " waiting, "
                                + (q.inProgress().isPresent()
                                        ? q.inProgress().getAsInt() + " in progress"
                                        : "in progress unknown")
                                + q.oldestWaiting()
                                        .map(o -> ", oldest waiting " + HumanUnits.duration(o))
                                        .orElse(""));
            }
        }
        out.flush();
        return fresh ? ExitCodes.ACTIVE : ExitCodes.NOT_ACTIVE;
    }
}
