package io.hypersdk.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Checks every request before it is handled: the bearer token (when the server has one), compared
 * in constant time; and, for state-changing requests that come from a browser (they carry an {@code
 * Origin}, a {@code Cookie} or a {@code Sec-Fetch-Site} header), the dashboard's CSRF token in
 * {@code X-CSRF-Token}. API clients such as curl send none of those headers and need no CSRF token,
 * so the original tool's clients keep working.
 */
final class RequestGuard {
    static final String CSRF_HEADER = "X-CSRF-Token";

    private final Optional<byte[]> bearer;
    private final String csrfToken;

    RequestGuard(Optional<String> bearerToken) {
        this.bearer = bearerToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        this.csrfToken = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    String csrfToken() {
        return csrfToken;
    }

    void check(Context ctx) {
        if (bearer.isPresent() && !bearerMatches(ctx.header("Authorization"))) {
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
