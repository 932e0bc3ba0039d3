package io.hypersdk.provider.vsphere.soap;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vim25 connection: the service content, login and logout, and every call made through {@link
 * #invoke}, which renews a session that expired while logged in (one new login, one retry). After
 * {@link #logout()} calls fail with {@link NotAuthenticatedException}. The password is kept for
 * (re-)login only and never logged.
 *
 * <p>Module-internal: public so that the module's other packages can call vim25 methods; users go
 * through {@code VimClient}.
 */
public final class VimConnection {
    private static final Logger LOG = LoggerFactory.getLogger(VimConnection.class);
    static final ManagedObjectReference SERVICE_INSTANCE =
            new ManagedObjectReference("ServiceInstance", "ServiceInstance");

    private final SoapTransport transport;
    private final SSLContext downloadSsl;
    private final Duration connectTimeout;
    private final String username;
    private final String password;
    private final ReentrantLock loginLock = new ReentrantLock();
    private volatile ServiceContent serviceContent;
    private volatile SessionState state = SessionState.NEW;

    private enum SessionState {
        NEW,
        LOGGED_IN,
        LOGGED_OUT
    }

    /**
     * A connection to {@code endpoint}, not logged in.
     *
     * @param http the client for SOAP calls (HTTP/1.1, no redirects)
     * @param downloadSsl the TLS policy of {@code http}, for NFC downloads on the same host
     * @param endpoint the {@code /sdk} URL, without credentials
     * @param apiVersion the vim25 version sent as {@code SOAPAction: urn:vim25/VERSION}
     * @param callTimeout the timeout of one call
     * @param connectTimeout the time allowed to open a connection (for downloads)
     * @param username the user name, or null when none is configured
     * @param password the password, or null when none is configured
     */
    public VimConnection(
            HttpClient http,
            SSLContext downloadSsl,
            URI endpoint,
            String apiVersion,
            Duration callTimeout,
            Duration connectTimeout,
            String username,
            String password) {
        this.transport = new SoapTransport(http, endpoint, apiVersion, callTimeout);
        this.downloadSsl = downloadSsl;
        this.connectTimeout = connectTimeout;
        this.username = username;
        this.password = password;
    }

    /** The {@code /sdk} endpoint (without credentials). */
    public URI endpoint() {
        return transport.endpoint();
    }

    /** {@code host:port} of the endpoint. */
    public String hostPort() {
        return transport.hostPort();
    }

    /** The TLS policy of this connection, for NFC downloads on the same host. */
    public SSLContext downloadSslContext() {
        return downloadSsl;
    }

    /** Time allowed to open a connection. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The session cookie header value, for NFC downloads that need it. */
    public Optional<String> sessionCookie() {
        return transport.sessionCookie();
    }

    /** {@code RetrieveServiceContent}, cached after the first call. Needs no session. */
    public ServiceContent serviceContent() {
        ServiceContent sc = serviceContent;
        if (sc == null) {
            XmlElement resp = transport.call("RetrieveServiceContent", SERVICE_INSTANCE, List.of());
            sc = ServiceContent.parse(returnval(resp, "RetrieveServiceContent"));
            serviceContent = sc;
        }
        return sc;
    }

    /**
     * Logs in with the configured user name and password and keeps the session cookie.
     *
     * @throws InvalidLoginException when the server rejects the credentials
     */
    public UserSession login() {
        if (username == null || password == null) {
            throw new VsphereException(
                    "cannot log in to "
                            + hostPort()
                            + ": no user name or password configured; set GOVC_USERNAME and GOVC_PASSWORD or the provider config");
        }
        loginLock.lock();
        try {
            XmlElement resp =
                    transport.call(
                            "Login",
                            serviceContent().sessionManager(),
                            List.of(
                                    XmlElement.text("userName", username),
                                    XmlElement.text("password", password)));
            XmlElement session = returnval(resp, "Login");
            if (transport.sessionCookie().isEmpty()) {
                throw new VsphereException(
                        "vSphere Login at "
                                + hostPort()
                                + " set no "
                                + SoapTransport.SESSION_COOKIE
                                + " cookie; is the URL a vSphere /sdk endpoint?");
            }
            state = SessionState.LOGGED_IN;
            LOG.debug("logged in to {} as {}", hostPort(), username);
            return new UserSession(
                    session.childText("userName").orElse(username),
                    session.childText("fullName").orElse(""));
        } finally {
            loginLock.unlock();
        }
    }

    /** Whether {@link #login()} succeeded and {@link #logout()} was not called since. */
    public boolean isLoggedIn() {
        return state == SessionState.LOGGED_IN;
    }

    /**
     * Ends the session. Later calls fail with {@link NotAuthenticatedException} until the next
     * login.
     */
    public void logout() {
        if (state != SessionState.LOGGED_IN) {
            return;
        }
        state = SessionState.LOGGED_OUT;
        try {
            transport.call("Logout", serviceContent().sessionManager(), List.of());
        } finally {
            transport.clearSession();
        }
    }

    /** Logs out if logged in; errors while logging out are logged, not thrown. */
    public void close() {
        try {
            logout();
        } catch (RuntimeException e) {
            LOG.debug("logout from {} failed: {}", hostPort(), e.getMessage());
        }
    }

    /**
     * Calls a vim25 method. A {@link NotAuthenticatedException} while logged in (an expired
     * session) triggers one new login and one retry.
     */
    public XmlElement invoke(String method, ManagedObjectReference target, XmlElement... params) {
        List<XmlElement> list = Arrays.asList(params);
        try {
            return transport.call(method, target, list);
        } catch (NotAuthenticatedException e) {
            if (state != SessionState.LOGGED_IN) {
                throw e;
            }
            LOG.info(
                    "vSphere session at {} expired during {}; logging in again",
                    hostPort(),
                    method);
            login();
            return transport.call(method, target, list);
        }
    }

    /** The {@code <returnval>} of a response; a response without one is malformed. */
    public static XmlElement returnval(XmlElement response, String method) {
        return response.child("returnval")
                .orElseThrow(
                        () ->
                                new VsphereException(
                                        "malformed vSphere response to "
                                                + method
                                                + ": no <returnval>"));
    }

    /**
     * The session state in lower case ({@code new}, {@code logged_in}, {@code logged_out}), for
     * {@code toString}.
     */
    public String stateName() {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }
}
