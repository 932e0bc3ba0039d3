package io.hypersdk.provider.vsphere.soap;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts SOAP envelopes to a vSphere {@code /sdk} endpoint and keeps the session cookie ({@code
 * vmware_soap_session}). Request and response bodies are never logged: the Login body carries the
 * password.
 */
final class SoapTransport {
    static final String SESSION_COOKIE = "vmware_soap_session";
    private static final Logger LOG = LoggerFactory.getLogger(SoapTransport.class);

    private final HttpClient http;
    private final URI endpoint;
    private final String soapAction;
    private final Duration timeout;
    private volatile String cookie; // "vmware_soap_session=..." or null

    SoapTransport(HttpClient http, URI endpoint, String apiVersion, Duration timeout) {
        this.http = http;
        this.endpoint = endpoint;
        this.soapAction = "urn:vim25/" + apiVersion;
        this.timeout = timeout;
    }

    URI endpoint() {
        return endpoint;
    }

    HttpClient http() {
        return http;
    }

    Optional<String> sessionCookie() {
        return Optional.ofNullable(cookie);
    }

    void clearSession() {
        cookie = null;
    }

    /**
     * Invokes {@code method} on {@code target}; returns the response element ({@code
     * <methodResponse>}).
     */
    XmlElement call(String method, ManagedObjectReference target, List<XmlElement> params) {
        byte[] body = SoapCodec.writeRequest(method, target, params);
        HttpRequest.Builder req =
                HttpRequest.newBuilder(endpoint)
                        .timeout(timeout)
                        .header("Content-Type", "text/xml; charset=utf-8")
                        .header("SOAPAction", soapAction)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        String c = cookie;
        if (c != null) {
            req.header("Cookie", c);
        }
        LOG.debug("vSphere call {} on {}", method, target);
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new VsphereException(
                    "vSphere "
                            + method
                            + " at "
                            + hostPort()
                            + " timed out after "
                            + timeout.toSeconds()
                            + " s; check that the server is reachable or raise the timeout",
                    e);
        } catch (SSLException e) {
            throw tlsFailure(e);
        } catch (ConnectException e) {
            throw new VsphereException(
                    "cannot connect to vSphere at "
                            + hostPort()
                            + " ("
                            + describe(e)
                            + "); check the URL and that the server is running",
                    e);
        } catch (IOException e) {
            if (e.getCause() instanceof SSLException s) {
                throw tlsFailure(s);
            }
            throw new VsphereException(
                    "vSphere " + method + " at " + hostPort() + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VsphereException("vSphere " + method + " interrupted", e);
        }
        resp.headers().allValues("Set-Cookie").forEach(this::takeCookie);
        try (InputStream in = resp.body()) {
            int status = resp.statusCode();
            if (status == 200 || status == 500) {
                return SoapCodec.parseResponse(in, method);
            }
            String snippet =
                    new String(in.readNBytes(300), StandardCharsets.UTF_8)
                            .replaceAll("\\s+", " ")
                            .strip();
            throw new VsphereException(
                    "vSphere "
                            + method
                            + " at "
                            + hostPort()
                            + " answered HTTP "
                            + status
                            + (snippet.isEmpty() ? "" : ": " + snippet)
                            + "; is the URL a vSphere /sdk endpoint?");
        } catch (IOException e) {
            throw new VsphereException(
                    "vSphere "
                            + method
                            + " at "
                            + hostPort()
                            + ": reading the response failed: "
                            + describe(e),
                    e);
        }
    }

    private void takeCookie(String header) {
        String first = header.split(";", 2)[0].trim();
        if (first.startsWith(SESSION_COOKIE + "=")) {
            cookie = first;
        }
    }

    private VsphereException tlsFailure(SSLException e) {
        return new VsphereException(
                "TLS verification of "
                        + hostPort()
                        + " failed ("
                        + describe(e)
                        + "); trust the server with a CA file (GOVC_TLS_CA_CERTS) or its thumbprint (GOVC_TLS_THUMBPRINT),"
                        + " or allow an unverified connection explicitly (GOVC_INSECURE=1)",
                e);
    }

    String hostPort() {
        return endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        String msg = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                msg = t.getMessage();
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return msg != null ? msg : e.getClass().getSimpleName();
    }
}
