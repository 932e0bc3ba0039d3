package io.hypersdk.cli.ctl.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.cli.ctl.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hyperctl jobs submit FILE}: {@code POST /jobs/submit} with the file as it is (the server
 * reads one job, {@code {"jobs": [...]}} or an array; JSON, or YAML for {@code .yaml}/{@code
 * .yml}).
 */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description =
                "Submit the job(s) in FILE (the web API's job JSON, or YAML for .yaml/.yml; '-' reads stdin) and print their ids.")
final class JobsSubmitCommand implements Callable<Integer> {
    @Mixin ServerOptions server;

    @Parameters(paramLabel = "FILE", description = "The job file.")
    String file;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String body;
        try {
            body =
                    file.equals("-")
                            ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                            : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(
                    spec.commandLine(), "job file " + file + " cannot be read (" + e + ")");
        }
        String lower = file.toLowerCase(Locale.ROOT);
        String type =
                lower.endsWith(".yaml") || lower.endsWith(".yml")
                        ? "application/yaml"
                        : "application/json";
        JsonNode answer = server.client(spec).post("/jobs/submit", type, body);
        PrintWriter out = spec.commandLine().getOut();
        if (server.output.json()) {
            JobsText.json(out, answer);
        } else {
            for (JsonNode id : answer.path("job_ids")) {
                out.println(JobsText.clean(id.asText()));
            }
        }
        if (answer.path("rejected").asInt(0) > 0) {
            PrintWriter err = spec.commandLine().getErr();
            for (JsonNode e : answer.path("errors")) {
                err.println("hyperctl: rejected: " + JobsText.clean(e.asText()));
            }
            return ExitCodes.FAILURE;
        }
        return ExitCodes.ACTIVE;
    }
}
