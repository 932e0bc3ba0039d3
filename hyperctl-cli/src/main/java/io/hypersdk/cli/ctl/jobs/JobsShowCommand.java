package io.hypersdk.cli.ctl.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.cli.ctl.ExitCodes;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hyperctl jobs show ID}: {@code GET /jobs/{id}}. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one job.")
final class JobsShowCommand implements Callable<Integer> {
    @Mixin ServerOptions server;

    @Parameters(paramLabel = "ID", description = "The job's id.")
    String id;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode j =
                server.client(spec)
                        .get(
                                "/jobs/"
                                        + URLEncoder.encode(id, StandardCharsets.UTF_8)
                                                .replace("+", "%20"));
        PrintWriter out = spec.commandLine().getOut();
        if (server.output.json()) {
            JobsText.json(out, j);
            return ExitCodes.ACTIVE;
        }
        JobsText.field(out, "id", j.path("id"));
        JobsText.field(out, "name", j.path("definition").path("name"));
        JobsText.field(out, "vm", j.path("definition").path("vm_path"));
        JobsText.field(out, "status", j.path("status"));
        JsonNode p = j.path("progress");
        if (p.isObject()) {
            out.println(
                    JobsText.line(
                            "progress",
                            String.format(
                                    java.util.Locale.ROOT,
                                    "%.0f%% %s",
                                    p.path("percent_complete").asDouble(),
                                    p.path("phase").asText(""))));
        }
        JsonNode r = j.path("result");
        JobsText.field(out, "output", r.path("output_dir"));
        JobsText.field(out, "mode", r.path("conversion_mode"));
        JobsText.field(out, "reason", r.path("conversion_mode_reason"));
        for (JsonNode image : r.path("converted_images")) {
            JobsText.field(out, "image", image);
        }
        JobsText.field(out, "domain", r.path("libvirt_domain"));
        JobsText.field(out, "error", j.path("error"));
        JobsText.field(out, "created", j.path("created_at"));
        JobsText.field(out, "completed", j.path("completed_at"));
        return ExitCodes.ACTIVE;
    }
}
