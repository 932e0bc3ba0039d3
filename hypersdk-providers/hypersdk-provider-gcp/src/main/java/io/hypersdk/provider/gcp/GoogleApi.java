package io.hypersdk.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.TransferException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The Google JSON API this provider calls itself (Cloud Build) over the JDK's HttpClient, each
 * request carrying a bearer token from Application Default Credentials. Tokens are only ever put in
 * the {@code Authorization} header: never in a message. Transient answers (429, 5xx) are retried
 * with backoff.
 */
final class GoogleApi implements AutoCloseable {
    static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/cloud-platform");
    private static final int ATTEMPTS = 4;
    static final ObjectMapper JSON = new ObjectMapper();

    private final GoogleCredentials credentials;
    private final HttpClient http;
    private final Duration retryBackoff;

    GoogleApi(GoogleCredentials credentials, Duration retryBackoff) {
        this.credentials =
                credentials.createScopedRequired() ? credentials.createScoped(SCOPES) : credentials;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        this.retryBackoff = retryBackoff;
    }

    /** Application Default Credentials, or an error saying how to provide them. */
    static GoogleCredentials applicationDefault() {
        try {
            return GoogleCredentials.getApplicationDefault();
        } catch (IOException e) {
            throw new AuthenticationException(
                    "no Google Application Default Credentials found: set"
                            + " GOOGLE_APPLICATION_CREDENTIALS to a service account key file, run 'gcloud auth application-default login',"
                            + " or run on a Compute Engine VM with a service account",
                    e);
        }
    }

    /** The scoped credentials, for the Compute client of the same session. */
    GoogleCredentials credentials() {
        return credentials;
    }

    /** The first wait before a retry (doubling after each). */
    Duration retryBackoff() {
        return retryBackoff;
    }

    /** The project the credentials belong to, when they name one. */
    java.util.Optional<String> credentialsProject() {
        if (credentials instanceof com.google.auth.oauth2.ServiceAccountCredentials s) {
            return java.util.Optional.ofNullable(s.getProjectId());
        }
        return java.util.Optional.ofNullable(credentials.getQuotaProjectId());
    }

    /** A fresh bearer token value for the {@code Authorization} header of a download. */
    String bearer(String doing) {
        try {
            credentials.refreshIfExpired();
            AccessToken t = credentials.getAccessToken();
            if (t == null) {
                throw new AuthenticationException(
                        doing
                                + ": Application Default Credentials gave no access token; check"
                                + " GOOGLE_APPLICATION_CREDENTIALS or 'gcloud auth application-default login'");
            }
            return "Bearer " + t.getTokenValue();
        } catch (IOException e) {
            throw new AuthenticationException(
                    doing
                            + ": cannot get an access token from Application Default Credentials ("
                            + firstLine(e)
                            + "); check GOOGLE_APPLICATION_CREDENTIALS or 'gcloud auth application-default login'",
                    e);
        }
    }

    JsonNode get(URI uri, String doing) {
        return send("GET", uri, null, doing);
    }

    JsonNode post(URI uri, Object body, String doing) {
        return send("POST", uri, body, doing);
    }

    private JsonNode send(String method, URI uri, Object body, String doing) {
        String payload;
        try {
            payload = body == null ? "" : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the request of " + doing, e);
        }
        Duration wait = retryBackoff;
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder rb =
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofMinutes(2))
                            .header("Authorization", bearer(doing))
                            .header("Accept", "application/json");
            if (body != null) {
                rb.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(payload));
            } else {
                rb.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r;
            try {
                r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt < ATTEMPTS) {
                    pause(wait);
                    wait = wait.multipliedBy(2);
                    continue;
                }
                throw new TransferException(
                        doing
                                + " failed: "
                                + firstLine(e)
                                + " ("
                                + where(uri)
                                + "); check the network"
                                + " path to Google Cloud and try again",
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.hypersdk.core.CancelledException(doing + " interrupted");
            }
            int code = r.statusCode();
            if (code / 100 == 2) {
                try {
                    return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
                } catch (IOException e) {
                    throw new ExportException(
                            doing
                                    + ": the answer of "
                                    + where(uri)
                                    + " is not JSON ("
                                    + firstLine(e)
                                    + ")",
                            e);
                }
            }
            if ((code == 429 || code >= 500) && attempt < ATTEMPTS) {
                pause(wait);
                wait = wait.multipliedBy(2);
                continue;
            }
            throw error(code, r.body(), doing);
        }
    }

    /**
     * One SPI exception for a Google error answer ({@code {"error": {"code", "message",
     * "status"}}}).
     */
    static ExportException error(int code, String body, String doing) {
        String message = "";
        String status = "";
        try {
            JsonNode e = JSON.readTree(body).path("error");
            message = e.path("message").asText("");
            status = e.path("status").asText("");
        } catch (IOException | RuntimeException ignored) {
            // not a Google error document: the status code alone says it
        }
        return error(code, status, message, doing);
    }

    /** One SPI exception for a Google error answer already parsed (by a client library). */
    static ExportException error(int code, String status, String message, String doing) {
        String detail =
                "Google answered "
                        + code
                        + (status.isEmpty() ? "" : " " + status)
                        + (message.isEmpty() ? "" : ": " + message.strip());
        if (code == 401 || code == 403) {
            return new AuthenticationException(
                    doing
                            + " was refused ("
                            + detail
                            + "); check the Application Default"
                            + " Credentials (GOOGLE_APPLICATION_CREDENTIALS) and their IAM roles in the project");
        }
        if (code == 404) {
            return new NotFound(doing + " failed (" + detail + ")");
        }
        return new ExportException(doing + " failed (" + detail + ")");
    }

    /** A 404: the inventory turns it into {@link io.hypersdk.provider.spi.VmNotFoundException}. */
    static final class NotFound extends ExportException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    private static String where(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }

    static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse("").strip();
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.hypersdk.core.CancelledException("interrupted while waiting to retry");
        }
    }

    @Override
    public void close() {
        // the JDK HttpClient of Java 17 has no close(); its threads end with it
    }
}
