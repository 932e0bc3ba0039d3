package io.hypersdk.cli.ctl.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;

/**
 * The job server's routes as java.net.http calls. Answers are JSON trees; an error answer becomes
 * the exception that names the server and the fix. The token goes in the {@code Authorization}
 * header only.
 */
final class JobsClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Optional<String> token;
    private final Duration timeout;
    private final HttpClient http;

    JobsClient(String base, Optional<String> token, Duration timeout) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    String base() {
        return base;
    }

    JsonNode get(String path) {
        return send(request(path).GET());
    }

    JsonNode post(String path, String contentType, String body) {
        return send(
                request(path)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(timeout)
                        .header("Accept", "application/json");
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private JsonNode send(HttpRequest.Builder b) {
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
            throw new ServerUnreachableException(base, e);
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException
                    || e.getCause() instanceof UnresolvedAddressException) {
                throw new ServerUnreachableException(base, e);
            }
            throw new ServerRefusedException(
                    0, "the hypersdk server at " + base + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerRefusedException(0, "interrupted while asking " + base);
        }
        JsonNode body = parse(r.body());
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return body;
        }
        String error = body.path("error").asText("HTTP " + status);
        if (status == 401) {
            throw new ServerRefusedException(
                    status,
                    "the hypersdk server at "
                            + base
                            + " refused the request ("
                            + error
                            + "): give --token-file FILE holding the token of the server's --token-file");
        }
        if (status == 404 && error.startsWith("job ")) {
            throw new JobNotFoundException(error + " on the hypersdk server at " + base);
        }
        throw new ServerRefusedException(status, error + violations(body));
    }

    /** A 400's violations, after the message, each with its field and allowed values. */
    private static String violations(JsonNode body) {
        StringBuilder s = new StringBuilder();
        for (JsonNode v : body.path("violations")) {
            s.append("; ")
                    .append(v.path("field").asText())
                    .append(": ")
                    .append(v.path("message").asText());
            if (v.hasNonNull("allowed")) {
                s.append(" (allowed: ").append(v.path("allowed").asText()).append(')');
            }
        }
        return s.toString();
    }

    private JsonNode parse(String text) {
        try {
            return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new ServerRefusedException(
                    0,
                    base
                            + " answered something that is not JSON: is --server the address of a"
                            + " hypersdk server?");
        }
    }
}
