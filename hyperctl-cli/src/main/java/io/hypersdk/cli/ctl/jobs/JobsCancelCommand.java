package io.hypersdk.cli.ctl.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypersdk.cli.ctl.ExitCodes;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hyperctl jobs cancel ID...}: {@code POST /jobs/cancel}. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Cancel pending or running jobs.")
final class JobsCancelCommand implements Callable<Integer> {
    @Mixin ServerOptions server;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "The jobs' ids.")
    List<String> ids;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        ObjectNode body = JobsClient.JSON.createObjectNode();
        ids.forEach(body.putArray("job_ids")::add);
        JsonNode answer =
                server.client(spec).post("/jobs/cancel", "application/json", body.toString());
        PrintWriter out = spec.commandLine().getOut();
        if (server.output.json()) {
            JobsText.json(out, answer);
        } else {
            for (JsonNode id : answer.path("cancelled")) {
                out.println("cancelled " + JobsText.clean(id.asText()));
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        for (JsonNode id : answer.path("failed")) {
            err.println(
                    "hyperctl: "
                            + JobsText.clean(
                                    answer.path("errors").path(id.asText()).asText(id.asText())));
        }
        if (answer.path("failed").size() == 0) {
            return ExitCodes.ACTIVE;
        }
        boolean allUnknown = true;
        for (JsonNode id : answer.path("failed")) {
            allUnknown &= answer.path("errors").path(id.asText()).asText().endsWith("not found");
        }
        return allUnknown ? ExitCodes.UNKNOWN_INSTANCE : ExitCodes.FAILURE;
    }
}
