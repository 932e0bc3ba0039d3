package io.hypersdk.cli.ctl.daemon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hypersdk.core.spool.SpoolDirectories;
import io.hypersdk.core.text.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The JSON document of {@code hyperctl daemon --json}. Field names are stable (documented in the
 * README); every field is always present, {@code null} when unknown.
 */
final class JsonRenderer {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonRenderer() {}

    static void write(List<InstanceReport> reports, PrintWriter out) {
        write(reports, Map.of(), out);
    }

    /**
     * With {@code stuck}: the instances whose claimed job has not moved (see {@link StuckJobs}).
     */
    static void write(
            List<InstanceReport> reports, Map<String, StuckJobs.StuckJob> stuck, PrintWriter out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setCharacterEscapes(TerminalText.jsonEscapes()); // names and paths come from systemd
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeArrayFieldStart("instances");
            for (InstanceReport r : reports) {
                instance(g, r, Optional.ofNullable(stuck.get(r.name())));
            }
            g.writeEndArray();
            g.writeNumberField("total", reports.size());
            g.writeNumberField("active", reports.stream().filter(InstanceReport::isActive).count());
            if (reports.isEmpty()) {
                g.writeStringField("message", "No hyper2kvm daemon instances found");
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }

    private static void instance(
            JsonGenerator g, InstanceReport r, Optional<StuckJobs.StuckJob> stuck)
            throws IOException {
        Optional<SpoolDirectories> d = r.directories();
        QueueSnapshot q = r.queue();
        g.writeStartObject();
        g.writeStringField("name", r.name());
        g.writeStringField("service", r.service());
        g.writeBooleanField("active", r.isActive());
        g.writeStringField("status", r.activeState());
        g.writeStringField("load_state", r.loadState());
        g.writeStringField("active_state", r.activeState());
        g.writeStringField("sub_state", r.subState());
        g.writeStringField("unit_file_state", r.unitFileState());
        g.writeStringField("result", r.result());
        number(g, "main_pid", r.mainPid());
        g.writeFieldName("active_since");
        if (r.activeSince().isPresent()) {
            g.writeString(r.activeSince().get().toString());
        } else {
            g.writeNull();
        }
        text(g, "uptime", r.uptime().map(HumanUnits::duration));
        seconds(g, "uptime_seconds", r.uptime());
        g.writeNumberField("restarts", r.restarts());
        number(g, "memory_bytes", r.memoryBytes());
        text(g, "watch_dir", d.map(s -> s.watchDir().toString()));
        text(g, "watch_dir_source", d.map(s -> s.watchDirOrigin().id()));
        text(g, "output_dir", d.map(s -> s.outputDir().toString()));
        text(g, "output_dir_source", d.map(s -> s.outputDirOrigin().id()));
        text(g, "queue_layout", d.map(s -> s.layout().id()));
        text(g, "queue_layout_source", d.map(s -> s.layoutOrigin().id()));
        g.writeObjectFieldStart("queue");
        number(g, "waiting", q.waiting());
        number(g, "in_progress", q.inProgress());
        seconds(g, "oldest_waiting_seconds", q.oldestWaiting());
        text(g, "oldest_waiting", q.oldestWaiting().map(HumanUnits::duration));
        text(g, "problem", q.problem());
        text(g, "note", q.note());
        g.writeEndObject();
        g.writeFieldName("stuck");
        if (stuck.isPresent()) {
            g.writeStartObject();
            g.writeStringField("job", stuck.get().job());
            g.writeNumberField("idle_seconds", stuck.get().idle().getSeconds());
            g.writeStringField("claim", stuck.get().claim().toString());
            g.writeStringField("fix", "systemctl restart " + r.service());
            g.writeStringField("message", StuckJobs.message(r, stuck.get()));
            g.writeEndObject();
        } else {
            g.writeNull();
        }
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String field, OptionalLong v) throws IOException {
        g.writeFieldName(field);
        if (v.isPresent()) {
            g.writeNumber(v.getAsLong());
        } else {
            g.writeNull();
        }
    }

    private static void number(JsonGenerator g, String field, OptionalInt v) throws IOException {
        g.writeFieldName(field);
        if (v.isPresent()) {
            g.writeNumber(v.getAsInt());
        } else {
            g.writeNull();
        }
    }

    private static void seconds(JsonGenerator g, String field, Optional<Duration> d)
            throws IOException {
        g.writeFieldName(field);
        if (d.isPresent()) {
            g.writeNumber(d.get().getSeconds());
        } else {
            g.writeNull();
        }
    }

    private static void text(JsonGenerator g, String field, Optional<String> v) throws IOException {
        g.writeFieldName(field);
        if (v.isPresent()) {
            g.writeString(v.get());
        } else {
            g.writeNull();
        }
    }
}
