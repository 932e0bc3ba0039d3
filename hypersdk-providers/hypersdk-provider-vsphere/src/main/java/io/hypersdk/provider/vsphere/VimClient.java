package io.hypersdk.provider.vsphere;

import io.hypersdk.provider.vsphere.inventory.PropertyCollector;
import io.hypersdk.provider.vsphere.inventory.VirtualMachineInfo;
import io.hypersdk.provider.vsphere.inventory.VirtualMachineReader;
import io.hypersdk.provider.vsphere.inventory.VmInventory;
import io.hypersdk.provider.vsphere.inventory.VmListing;
import io.hypersdk.provider.vsphere.power.PowerTasks;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.NotAuthenticatedException;
import io.hypersdk.provider.vsphere.soap.ServiceContent;
import io.hypersdk.provider.vsphere.soap.TlsContexts;
import io.hypersdk.provider.vsphere.soap.UserSession;
import io.hypersdk.provider.vsphere.soap.VimConnection;
import io.hypersdk.provider.vsphere.soap.VsphereTls;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A small vSphere Web Services (vim25) client: SOAP over {@code java.net.http}, XML with StAX.
 *
 * <pre>{@code
 * try (VimClient vim = VimClient.builder()
 *         .url(URI.create("https://vcenter.example.com/sdk"))
 *         .username("administrator@vsphere.local").password(password)
 *         .tls(VsphereTls.trustCertificates(Path.of("vcenter-ca.pem")))
 *         .build()) {
 *     vim.login();
 *     ManagedObjectReference vm = vim.findByInventoryPath("DC0/vm/web-01").orElseThrow();
 *     VirtualMachineInfo info = vim.virtualMachine(vm);
 * }
 * }</pre>
 *
 * <p>Immutable configuration, thread-safe calls. A session that expires while logged in is renewed
 * once, transparently; after {@link #logout()} calls fail with {@link NotAuthenticatedException}.
 * The password is never logged nor shown by {@link #toString()}.
 *
 * <p>The work is done by the parts this client puts together: the connection and its session
 * ({@link VimConnection}), property retrieval with paging ({@link PropertyCollector}), the
 * inventory ({@link VmInventory}), VM mapping ({@link VirtualMachineReader}) and power tasks
 * ({@link PowerTasks}).
 */
public final class VimClient implements AutoCloseable {
    private final VimConnection connection;
    private final PropertyCollector properties;
    private final VmInventory inventory;
    private final VirtualMachineReader virtualMachines;
    private final PowerTasks power;
    private final String username;

    private VimClient(Builder b) {
        SSLContext ssl = b.httpClient != null ? null : TlsContexts.forPolicy(b.tls);
        HttpClient http =
                b.httpClient != null
                        ? b.httpClient
                        : HttpClient.newBuilder()
                                .version(
                                        HttpClient.Version
                                                .HTTP_1_1) // what vSphere's own clients speak
                                .sslContext(ssl)
                                .connectTimeout(b.connectTimeout)
                                .followRedirects(HttpClient.Redirect.NEVER)
                                .build();
        SSLContext downloadSsl = b.httpClient != null ? b.httpClient.sslContext() : ssl;
        this.connection =
                new VimConnection(
                        http,
                        downloadSsl,
                        b.url,
                        b.apiVersion,
                        b.callTimeout,
                        b.connectTimeout,
                        b.username,
                        b.password);
        this.properties = new PropertyCollector(connection, b.pageSize);
        this.inventory = new VmInventory(connection, properties);
        this.virtualMachines = new VirtualMachineReader(properties);
        this.power = new PowerTasks(connection, properties, b.taskTimeout);
        this.username = b.username;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code /sdk} endpoint (without credentials). */
    public URI endpoint() {
        return connection.endpoint();
    }

    /** {@code host:port} of the endpoint. */
    public String hostPort() {
        return connection.hostPort();
    }

    /** {@code RetrieveServiceContent}, cached after the first call. Needs no session. */
    public ServiceContent serviceContent() {
        return connection.serviceContent();
    }

    /**
     * Logs in with the configured user name and password and keeps the session cookie.
     *
     * @throws io.hypersdk.provider.vsphere.soap.InvalidLoginException when the server rejects the
     *     credentials
     */
    public UserSession login() {
        return connection.login();
    }

    /** Whether {@link #login()} succeeded and {@link #logout()} was not called since. */
    public boolean isLoggedIn() {
        return connection.isLoggedIn();
    }

    /**
     * Ends the session. Later calls fail with {@link NotAuthenticatedException} until the next
     * login.
     */
    public void logout() {
        connection.logout();
    }

    /** Logs out if logged in; errors while logging out are logged, not thrown. */
    @Override
    public void close() {
        connection.close();
    }

    /**
     * Every VM (and template) of the inventory, in the server's order, each with its inventory path
     * ({@code /DC0/vm/folder/web-01}). Two retrievals in all, whatever the inventory's size.
     */
    public List<VmListing> listVirtualMachines() {
        return inventory.listVirtualMachines();
    }

    /**
     * {@code SearchIndex.FindByInventoryPath}, e.g. {@code DC0/vm/DC0_H0_VM0} (a leading slash is
     * allowed). Empty when nothing has that path.
     */
    public Optional<ManagedObjectReference> findByInventoryPath(String inventoryPath) {
        return inventory.findByInventoryPath(inventoryPath);
    }

    /** Reads a VM's configuration, devices and power state. */
    public VirtualMachineInfo virtualMachine(ManagedObjectReference vm) {
        return virtualMachines.read(vm);
    }

    /**
     * The name of the datacenter that holds {@code entity} (walking up its parents); empty when it
     * is not below a datacenter (an ESX host has one named {@code ha-datacenter}).
     */
    public Optional<String> datacenterName(ManagedObjectReference entity) {
        return inventory.datacenterName(entity);
    }

    // ---- the parts, for the provider session and this module's tests ----

    VimConnection connection() {
        return connection;
    }

    PropertyCollector propertyCollector() {
        return properties;
    }

    VmInventory inventory() {
        return inventory;
    }

    VirtualMachineReader virtualMachines() {
        return virtualMachines;
    }

    PowerTasks power() {
        return power;
    }

    /** This client's TLS policy, for NFC downloads on the same host. */
    SSLContext downloadSslContext() {
        return connection.downloadSslContext();
    }

    /** The session cookie header value, for NFC downloads that need it. */
    Optional<String> sessionCookie() {
        return connection.sessionCookie();
    }

    /** Calls a vim25 method (see {@link VimConnection#invoke}). */
    XmlElement invoke(String method, ManagedObjectReference target, XmlElement... params) {
        return connection.invoke(method, target, params);
    }

    /** The given properties of one object (see {@link PropertyCollector#properties}). */
    Map<String, XmlElement> properties(ManagedObjectReference obj, List<String> paths) {
        return properties.properties(obj, paths);
    }

    /** Waits until a task succeeds (see {@link PowerTasks#waitForTask}). */
    void waitForTask(ManagedObjectReference task, String method) {
        power.waitForTask(task, method);
    }

    /** {@code PowerOffVM_Task} and wait. */
    void powerOff(ManagedObjectReference vm) {
        power.powerOff(vm);
    }

    @Override
    public String toString() {
        return "VimClient["
                + connection.endpoint()
                + (username == null ? "" : ", user=" + username)
                + ", "
                + connection.stateName()
                + "]";
    }

    /** Builder: endpoint, credentials, TLS policy, timeouts. */
    public static final class Builder {
        private URI url;
        private String username;
        private String password;
        private VsphereTls tls = VsphereTls.verify();
        private Duration connectTimeout = Duration.ofSeconds(20);
        private Duration callTimeout = Duration.ofMinutes(2);
        private Duration taskTimeout = Duration.ofMinutes(10);
        private String apiVersion = "6.5";
        private int pageSize = 100;
        private HttpClient httpClient;

        private Builder() {}

        /**
         * The server: {@code https://host[:port]/sdk}, or just a host name (then {@code /sdk} is
         * added). Credentials in the URL are refused: pass them to {@link #username} and {@link
         * #password}.
         */
        public Builder url(URI url) {
            this.url = normalise(url);
            return this;
        }

        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            String u = url.contains("://") ? url : "https://" + url;
            try {
                return url(new URI(u));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        "vSphere URL is not a valid URL ("
                                + e.getReason()
                                + "); use https://HOST/sdk",
                        e);
            }
        }

        static URI normalise(URI url) {
            Objects.requireNonNull(url, "url");
            if (url.getRawUserInfo() != null) {
                throw new IllegalArgumentException(
                        "vSphere URL must not carry credentials; pass the user name and"
                                + " password separately");
            }
            String scheme =
                    url.getScheme() == null ? "https" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new IllegalArgumentException(
                        "vSphere URL scheme must be https (got "
                                + scheme
                                + "); use https://HOST/sdk");
            }
            if (url.getHost() == null || url.getHost().isEmpty()) {
                throw new IllegalArgumentException("vSphere URL has no host; use https://HOST/sdk");
            }
            String path =
                    url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/")
                            ? "/sdk"
                            : url.getPath();
            try {
                return new URI(scheme, null, url.getHost(), url.getPort(), path, null, null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        "vSphere URL is not valid: " + e.getMessage(), e);
            }
        }

        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /** The password; kept in memory for (re-)login only, never logged or printed. */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** TLS policy; default {@link VsphereTls#verify()}. */
        public Builder tls(VsphereTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** Timeout of one SOAP call (default 2 min). */
        public Builder callTimeout(Duration d) {
            this.callTimeout = positive(d, "callTimeout");
            return this;
        }

        /** How long to wait for a vSphere task (default 10 min). */
        public Builder taskTimeout(Duration d) {
            this.taskTimeout = positive(d, "taskTimeout");
            return this;
        }

        /** The vim25 version sent as SOAPAction {@code urn:vim25/VERSION} (default 6.5). */
        public Builder apiVersion(String version) {
            if (version == null || !version.matches("[0-9]+(\\.[0-9]+){1,3}")) {
                throw new IllegalArgumentException(
                        "apiVersion \"" + version + "\" is not a version like 6.5 or 7.0.3");
            }
            this.apiVersion = version;
            return this;
        }

        /** Objects per RetrievePropertiesEx page (maxObjects), 1-10000, default 100. */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > 10_000) {
                throw new IllegalArgumentException(
                        "pageSize must be 1-10000 (got " + pageSize + ")");
            }
            this.pageSize = pageSize;
            return this;
        }

        /** Use this HTTP client instead of building one (its TLS settings then apply). */
        Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(
                        name + " must be a positive duration (got " + d + ")");
            }
            return d;
        }

        public VimClient build() {
            if (url == null) {
                throw new IllegalArgumentException(
                        "vSphere URL is not set; pass https://HOST/sdk (or set GOVC_URL)");
            }
            return new VimClient(this);
        }

        @Override
        public String toString() {
            return "VimClient.Builder["
                    + url
                    + ", user="
                    + username
                    + ", password="
                    + (password == null ? "unset" : "****")
                    + ", tls="
                    + tls
                    + "]";
        }
    }
}
