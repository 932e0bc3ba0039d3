package io.hypersdk.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypersdk.systemd.SystemdClient;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The HTTP API: the original tool's routes with their shapes, plus SSE and {@code /daemons}. */
final class ApiRoutes {
    private final JobService service;
    private final SubmitHandler submit;
    private final Supplier<SystemdClient> systemd;
    private final Clock clock;
    private final ProviderRegistry providers;

    ApiRoutes(
            JobService service,
            ProviderRegistry providers,
            Supplier<SystemdClient> systemd,
            Clock clock) {
        this.service = service;
        this.providers = providers;
        this.submit = new SubmitHandler(service, providers, clock);
        this.systemd = systemd;
        this.clock = clock;
    }

    void register(RoutesConfig r) {
        r.get(
                "/health",
                ctx -> ctx.json(Map.of("status", "healthy", "timestamp", clock.instant())));
        r.get("/status", this::status);
        r.post("/jobs/submit", submit::handle);
        r.get("/jobs/query", this::queryGet);
        r.post("/jobs/query", this::queryPost);
        r.post("/jobs/cancel", this::cancel);
        r.post("/jobs/{id}/resume", this::resume);
        r.get("/jobs/progress/{id}", this::progress);
        r.get("/jobs/{id}", this::job);
        r.sse("/jobs/{id}/events", this::events);
        new DaemonRoutes(systemd, clock).register(r);
        r.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()));
        r.get(
                "/api/form-rules",
                ctx -> {
                    Map<String, Object> m = new LinkedHashMap<>(FieldRules.forBrowser());
                    m.put("providers", providers.ids());
                    ctx.json(m);
                });
    }

    /** The OpenAPI document of these routes (a test checks it lists exactly the routes served). */
    static byte[] openApi() {
        try (java.io.InputStream in = ApiRoutes.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void status(Context ctx) {
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            counts.put(s, 0);
        }
        List<JobRecord> all = service.all();
        all.forEach(j -> counts.merge(j.state(), 1, Integer::sum));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_jobs", all.size());
        counts.forEach((s, n) -> m.put(s.id() + "_jobs", n));
        m.put("max_concurrent", service.maxConcurrent());
        m.put("uptime_seconds", Duration.between(service.startedAt(), clock.instant()).toSeconds());
        m.put("timestamp", clock.instant());
        ctx.json(m);
    }

    private void queryGet(Context ctx) {
        List<String> ids = split(ctx.queryParam("id"));
        List<String> states = split(ctx.queryParam("status"));
        int limit = ctx.queryParam("limit") == null ? 0 : parseLimit(ctx.queryParam("limit"));
        query(ctx, ids, states, limit);
    }

    private void queryPost(Context ctx) {
        JsonNode body =
                ctx.body().isBlank() ? Json.MAPPER.createObjectNode() : readJson(ctx.body());
        List<String> ids = strings(body.get("job_ids"));
        List<String> states = strings(body.get("status"));
        int limit = body.has("limit") ? body.get("limit").asInt(0) : 0;
        query(ctx, ids, states, limit);
    }

    private void query(Context ctx, List<String> ids, List<String> states, int limit) {
        Set<JobState> wanted = states.stream().map(JobState::parse).collect(Collectors.toSet());
        ArrayNode jobs = Json.MAPPER.createArrayNode();
        for (JobRecord j : service.all()) {
            if ((ids.isEmpty() || ids.contains(j.id()))
                    && (wanted.isEmpty() || wanted.contains(j.state()))) {
                jobs.add(Json.job(j));
            }
        }
        ArrayNode out = jobs;
        if (limit > 0 && jobs.size() > limit) {
            out = Json.MAPPER.createArrayNode();
            for (int i = jobs.size() - limit; i < jobs.size(); i++) {
                out.add(jobs.get(i));
            }
        }
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.set("jobs", out);
        m.put("total", out.size());
        m.put("timestamp", clock.instant().toString());
        ctx.json(m);
    }

    private void cancel(Context ctx) {
        JsonNode body = readJson(ctx.body());
        List<String> ids = strings(body.get("job_ids"));
        if (ids.isEmpty()) {
            throw ApiException.badRequest(
                    "job_ids", "give the ids of the jobs to cancel: {\"job_ids\": [\"...\"]}");
        }
        List<String> cancelled = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (String id : ids) {
            Optional<String> why = service.cancel(id);
            if (why.isEmpty()) {
                cancelled.add(id);
            } else {
                failed.add(id);
                errors.put(id, why.get());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cancelled", cancelled);
        m.put("failed", failed);
        if (!errors.isEmpty()) {
            m.put("errors", errors);
        }
        m.put("timestamp", clock.instant());
        ctx.json(m);
    }

    private void resume(Context ctx) {
        String id = ctx.pathParam("id");
        ResumeOutcome o = service.resume(id);
        if (o instanceof ResumeOutcome.Refused no) {
            throw new ApiException(no.status(), no.message());
        }
        ResumeOutcome.Queued q = (ResumeOutcome.Queued) o;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", id);
        m.put("status", q.job().state().id());
        m.put("output_dir", q.outputDir().toString());
        m.put("timestamp", clock.instant());
        ctx.status(202).json(m);
    }

    private JobRecord require(Context ctx) {
        String id = ctx.pathParam("id");
        return service.find(id)
                .orElseThrow(() -> ApiException.notFound("job " + id + " not found"));
    }

    private void job(Context ctx) {
        ctx.json(Json.job(require(ctx)));
    }

    private void progress(Context ctx) {
        JobRecord j = require(ctx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", j.id());
        m.put("status", j.state().id());
        j.progress().ifPresent(p -> m.put("progress", p));
        j.startedAt().ifPresent(t -> m.put("started_at", t));
        m.put("updated_at", j.updatedAt());
        ctx.json(m);
    }

    private void events(SseClient client) {
        String id = client.ctx().pathParam("id");
        Optional<JobRecord> found = service.find(id);
        if (found.isEmpty()) {
            client.sendEvent("error", Json.write(Map.of("error", "job " + id + " not found")));
            client.close();
            return;
        }
        Object lock = new Object();
        Runnable unsubscribe =
                service.events()
                        .subscribe(
                                id,
                                e -> {
                                    synchronized (lock) {
                                        if (client.terminated()) {
                                            throw new IllegalStateException("client gone");
                                        }
                                        client.sendEvent(e.type(), Json.write(e.data()));
                                        if (e.type().equals("status")
                                                && JobState.parse((String) e.data().get("status"))
                                                        .isFinal()) {
                                            client.close();
                                        }
                                    }
                                });
        client.onClose(unsubscribe);
        // the state as of now, after subscribing, so nothing falls between the two
        JobRecord now = service.find(id).orElse(found.get());
        synchronized (lock) {
            now.progress()
                    .ifPresent(p -> client.sendEvent("progress", Json.write(Progress.fields(p))));
            now.result()
                    .ifPresent(r -> client.sendEvent("result", Json.write(Map.of("result", r))));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("job_id", id);
            s.put("status", now.state().id());
            now.error().ifPresent(e -> s.put("error", e));
            client.sendEvent("status", Json.write(s));
            if (now.state().isFinal()) {
                unsubscribe.run();
                client.close();
                return;
            }
        }
        client.keepAlive();
    }

    private static JsonNode readJson(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw ApiException.badRequest("$", "the body is not valid JSON");
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else if (n != null && n.isTextual()) {
            out.add(n.asText());
        }
        return out;
    }

    private static List<String> split(String s) {
        return s == null || s.isBlank()
                ? List.of()
                : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static int parseLimit(String s) {
        try {
            return Math.max(0, Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit", "\"" + s + "\" must be a whole number");
        }
    }
}
