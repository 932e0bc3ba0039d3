package io.hypersdk.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The dashboard: one HTML page and its ES modules and style sheet, served from the jar (no
 * front-end build). The page carries the CSRF token; a strict Content-Security-Policy allows only
 * this origin's scripts and styles.
 */
final class Dashboard {
    private static final String BASE = "/io/hypersdk/server/dashboard/";
    private static final Map<String, String> ASSETS =
            Map.of(
                    "app.js", "text/javascript; charset=utf-8",
                    "form.js", "text/javascript; charset=utf-8",
                    "rules.js", "text/javascript; charset=utf-8",
                    "style.css", "text/css; charset=utf-8");
    private static final String CSP =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final String csrfToken;

    Dashboard(String csrfToken) {
        this.csrfToken = csrfToken;
    }

    void register(RoutesConfig r) {
        r.get("/", this::page);
        r.get("/ui/{asset}", this::asset);
    }

    private void page(Context ctx) {
        String html = read("index.html").replace("{{csrf}}", csrfToken);
        headers(ctx);
        ctx.contentType("text/html; charset=utf-8").result(html);
    }

    private void asset(Context ctx) {
        String name = ctx.pathParam("asset");
        String type = ASSETS.get(name);
        if (type == null) {
            throw ApiException.notFound("no dashboard file " + name);
        }
        headers(ctx);
        ctx.contentType(type).result(read(name));
    }

    private static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private static String read(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "dashboard file " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
