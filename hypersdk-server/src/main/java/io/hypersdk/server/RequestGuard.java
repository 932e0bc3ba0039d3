package io.hypersdk.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks every request before it is handled: the bearer token (when the server has one), compared
 * in constant time; and, for state-changing requests that come from a browser (they carry an {@code
 * Origin}, a {@code Cookie} or a {@code Sec-Fetch-Site} header), the dashboard's CSRF token in
 * {@code X-CSRF-Token}. API clients such as curl send none of those headers and need no CSRF token,
 * so the original tool's clients keep working.
 *
 * <p>A browser cannot put the bearer token on the dashboard's {@code EventSource} streams, so the
 * page signs in once: {@code POST /login {"token": ...}} compares the token in constant time and
 * sets a random session cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} under
 * TLS) that stands for the token until the server stops. The dashboard's page and its files are
 * served without the token (they hold no data); everything else needs one of the two.
 */
final class RequestGuard {
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String SESSION_COOKIE = "hypersdk_session";
    private static final int MAX_SESSIONS = 1000;

    private final Optional<byte[]> bearer;
    private final String csrfToken;
    private final boolean secureCookies;
    private final SecureRandom random = new SecureRandom();

    /** SHA-256 of each session id handed out by {@link #login}, oldest first, at most 1000. */
    private final Set<String> sessions =
            Collections.newSetFromMap(
                    Collections.synchronizedMap(
                            new LinkedHashMap<>() {
                                private static final long serialVersionUID = 1L;

                                @Override
                                protected boolean removeEldestEntry(
                                        Map.Entry<String, Boolean> eldest) {
                                    return size() > MAX_SESSIONS;
                                }
                            }));

    RequestGuard(Optional<String> bearerToken, boolean secureCookies) {
        this.bearer = bearerToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.secureCookies = secureCookies;
        this.csrfToken = randomToken();
    }

    private String randomToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    String csrfToken() {
        return csrfToken;
    }

    void check(Context ctx) {
        if (bearer.isPresent()
                && !open(ctx)
                && !bearerMatches(ctx.header("Authorization"))
                && !sessions.contains(sha256(ctx.cookie(SESSION_COOKIE)))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(
                    401,
                    "missing or wrong bearer token: send Authorization: Bearer <the token in the"
                            + " server's token file>");
        }
        boolean changes =
                ctx.method() == HandlerType.POST
                        || ctx.method() == HandlerType.PUT
                        || ctx.method() == HandlerType.DELETE
                        || ctx.method() == HandlerType.PATCH;
        boolean fromBrowser =
                ctx.header("Origin") != null
                        || ctx.header("Cookie") != null
                        || ctx.header("Sec-Fetch-Site") != null;
        if (changes && fromBrowser && !equal(ctx.header(CSRF_HEADER), csrfToken)) {
            throw new ApiException(
                    403,
                    "missing or wrong CSRF token: submit from the dashboard page (it sends "
                            + CSRF_HEADER
                            + "), or call the API without browser headers");
        }
    }

    /** The dashboard's page and files (no data in them), and the sign-in. */
    private static boolean open(Context ctx) {
        String path = ctx.path();
        return ctx.method() == HandlerType.GET && (path.equals("/") || path.startsWith("/ui/"))
                || ctx.method() == HandlerType.POST && path.equals("/login");
    }

    /**
     * {@code POST /login {"token": "..."}}: the bearer token, compared in constant time, for a
     * session cookie (204). Without a token configured there is nothing to sign in to (204, no
     * cookie).
     */
    void login(Context ctx) {
        if (bearer.isEmpty()) {
            ctx.status(204);
            return;
        }
        String given;
        try {
            JsonNode body = Json.MAPPER.readTree(ctx.body());
            given = body == null ? null : body.path("token").asText(null);
        } catch (java.io.IOException e) {
            given = null;
        }
        if (given == null) {
            throw ApiException.badRequest(
                    "token", "send {\"token\": \"<the token in the server's token file>\"}");
        }
        if (!MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8), bearer.get())) {
            throw new ApiException(
                    401, "wrong token: give the token in the server's token file (--token-file)");
        }
        String session = randomToken();
        sessions.add(sha256(session));
        Cookie c = new Cookie(SESSION_COOKIE, session);
        c.setHttpOnly(true);
        c.setSecure(secureCookies);
        c.setSameSite(SameSite.STRICT);
        c.setPath("/");
        ctx.cookie(c);
        ctx.status(204);
    }

    private static String sha256(String s) {
        if (s == null) {
            return "";
        }
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private boolean bearerMatches(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(
                header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8),
                bearer.get());
    }

    private static boolean equal(String given, String expected) {
        return given != null
                && MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8));
    }
}
