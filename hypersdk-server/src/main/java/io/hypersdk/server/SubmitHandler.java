package io.hypersdk.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.job.JobCodec;
import io.hypersdk.core.job.JobDefinition;
import io.hypersdk.core.job.JobValidationException;
import io.hypersdk.core.job.SubmitResponse;
import io.hypersdk.core.manifest.Violation;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /jobs/submit}: one job, {@code {"jobs":[...]}} or an array, JSON or YAML. Any invalid
 * job rejects the whole submission with status 400 and every violation; nothing is started. A job
 * whose id already exists is rejected in the answer (status 200), as upstream.
 */
final class SubmitHandler {
    private final JobService service;
    private final ProviderRegistry providers;
    private final Clock clock;

    SubmitHandler(JobService service, ProviderRegistry providers, Clock clock) {
        this.service = service;
        this.providers = providers;
        this.clock = clock;
    }

    void handle(Context ctx) {
        String body = ctx.body();
        JobCodec.Format format = isYaml(ctx) ? JobCodec.Format.YAML : JobCodec.Format.JSON;
        List<JobDefinition> jobs;
        try {
            jobs = JobCodec.readSubmission(body, format);
        } catch (JobValidationException e) {
            reject(ctx, e.violations(), body, format);
            return;
        }
        List<Violation> violations = new ArrayList<>();
        JsonNode root = ValidationErrors.parse(body, format);
        for (int i = 0; i < jobs.size(); i++) {
            String prefix = prefixFor(root, i);
            violations.addAll(Credentials.violations(jobs.get(i), prefix));
            providers.check(jobs.get(i), prefix).ifPresent(violations::add);
        }
        if (!violations.isEmpty()) {
            reject(ctx, violations, body, format);
            return;
        }
        List<String> ids = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (JobDefinition d : jobs) {
            String id = d.id().filter(s -> !s.isEmpty()).orElseGet(JobService::newId);
            if (service.submit(id, d)) {
                ids.add(id);
            } else {
                errors.add("job with ID " + id + " already exists");
            }
        }
        ctx.json(new SubmitResponse(ids, ids.size(), errors.size(), errors, clock.instant()));
    }

    /** The violation-path prefix of the i-th job, as hypersdk-core's codec writes it. */
    private static String prefixFor(JsonNode root, int i) {
        if (root != null && root.isArray()) {
            return "[" + i + "].";
        }
        if (root != null && root.size() == 1 && root.has("jobs") && root.get("jobs").isArray()) {
            return "jobs[" + i + "].";
        }
        return "";
    }

    private void reject(
            Context ctx, List<Violation> violations, String body, JobCodec.Format format) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(
                "error",
                "invalid job submission: "
                        + violations.size()
                        + " problem"
                        + (violations.size() == 1 ? "" : "s")
                        + "; nothing was started");
        m.put("violations", ValidationErrors.describe(violations, body, format));
        m.put("timestamp", clock.instant());
        ctx.status(400).json(m);
    }

    private static boolean isYaml(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        return type.contains("yaml");
    }
}
