package io.hypersdk.cli.ctl.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypersdk.core.JobId;
import io.hypersdk.pipeline.ConversionOutcome;
import io.hypersdk.pipeline.daemon.SpoolJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Renders a job's state or outcome as text or JSON. */
final class JobReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobReport() {}

    static void print(
            PrintWriter out,
            boolean json,
            JobId id,
            Path spool,
            String state,
            int exitCode,
            List<Path> images,
            Optional<String> error) {
        if (json) {
            ObjectNode n = JSON.createObjectNode();
            n.put("job_id", id.value());
            n.put("spool", spool.toString());
            n.put("state", state);
            n.put("exit_code", exitCode);
            var arr = n.putArray("images");
            images.forEach(p -> arr.add(p.toString()));
            error.ifPresent(e -> n.put("error", e));
            out.println(n.toPrettyString());
        } else {
            out.println("job " + id + ": " + state);
            images.forEach(p -> out.println("  image " + p));
            error.ifPresent(e -> out.println("  error " + e));
        }
        out.flush();
    }

    static String state(SpoolJob job) {
        return job.state().id();
    }

    static String state(ConversionOutcome o) {
        if (o instanceof ConversionOutcome.Converted) {
            return "converted";
        }
        if (o instanceof ConversionOutcome.TimedOut t) {
            return t.claimed() ? "timed_out_running" : "timed_out_queued";
        }
        if (o instanceof ConversionOutcome.Cancelled) {
            return "cancelled";
        }
        return "failed";
    }
}
