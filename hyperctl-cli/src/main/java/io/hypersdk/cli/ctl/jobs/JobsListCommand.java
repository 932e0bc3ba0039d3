package io.hypersdk.cli.ctl.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.cli.ctl.ExitCodes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hyperctl jobs list}: {@code GET /jobs/query}, newest last. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the server's jobs.")
final class JobsListCommand implements Callable<Integer> {
    @Mixin ServerOptions server;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            split = ",",
            description =
                    "Only jobs in these states (pending, running, completed, failed, cancelled, interrupted).")
    List<String> status = new ArrayList<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        JobsClient client = server.client(spec);
        String query = status.isEmpty() ? "" : "?status=" + String.join(",", status);
        JsonNode answer = client.get("/jobs/query" + query);
        PrintWriter out = spec.commandLine().getOut();
        if (server.output.json()) {
            JobsText.json(out, answer);
            return ExitCodes.ACTIVE;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATUS", "VM", "UPDATED"});
        for (JsonNode j : answer.path("jobs")) {
            rows.add(
                    new String[] {
                        j.path("id").asText(),
                        j.path("status").asText(),
                        j.path("definition").path("vm_path").asText(),
                        j.path("updated_at").asText()
                    });
        }
        JobsText.table(out, rows);
        return ExitCodes.ACTIVE;
    }
}
