package io.hypersdk.provider.vsphere;

import io.hypersdk.core.settings.SettingText;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.Secret;
import io.hypersdk.provider.vsphere.soap.VsphereTls;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to connect: from a {@link ProviderConfig}, falling back to the environment the Go
 * tool's users already have ({@code GOVC_URL}, {@code GOVC_USERNAME}, {@code GOVC_PASSWORD}, {@code
 * GOVC_INSECURE}, {@code GOVC_TLS_CA_CERTS}, {@code GOVC_TLS_THUMBPRINT}).
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><th>config key</th><th>environment</th><th>meaning</th></tr>
 *   <tr><td>{@code url}</td><td>GOVC_URL</td><td>{@code https://host/sdk} or a host name; credentials in it are taken out</td></tr>
 *   <tr><td>{@code username}</td><td>GOVC_USERNAME</td><td>user name</td></tr>
 *   <tr><td>secret {@code password}</td><td>GOVC_PASSWORD</td><td>password (never a plain setting)</td></tr>
 *   <tr><td>{@code insecure}</td><td>GOVC_INSECURE</td><td>skip TLS verification (explicit only)</td></tr>
 *   <tr><td>{@code ca-file}</td><td>GOVC_TLS_CA_CERTS</td><td>PEM file of CA certificates to trust</td></tr>
 *   <tr><td>{@code thumbprint}</td><td>GOVC_TLS_THUMBPRINT</td><td>SHA-1 or SHA-256 fingerprint of the server certificate</td></tr>
 *   <tr><td>{@code api-version}</td><td>-</td><td>vim25 version for SOAPAction (default 6.5)</td></tr>
 *   <tr><td>{@code call-timeout}</td><td>-</td><td>timeout of one SOAP call (default 120 s)</td></tr>
 *   <tr><td>{@code page-size}</td><td>-</td><td>objects per RetrievePropertiesEx page (default 100)</td></tr>
 * </table>
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class VsphereSettings {
    private final URI url;
    private final String username;
    private final Secret password;
    private final VsphereTls tls;
    private final String apiVersion;
    private final Duration callTimeout;
    private final int pageSize;

    private VsphereSettings(
            URI url,
            String username,
            Secret password,
            VsphereTls tls,
            String apiVersion,
            Duration callTimeout,
            int pageSize) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.tls = tls;
        this.apiVersion = apiVersion;
        this.callTimeout = callTimeout;
        this.pageSize = pageSize;
    }

    /**
     * Reads the settings from {@code config}, then {@code environment} for what the config lacks.
     */
    public static VsphereSettings from(ProviderConfig config, Map<String, String> environment) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(environment, "environment");
        String rawUrl =
                config.get("url")
                        .or(() -> env(environment, "GOVC_URL"))
                        .orElseThrow(
                                () ->
                                        new ProviderConfigException(
                                                SettingText.of("vSphere URL is not set: set 'url' ")
                                                        .whereProviderSetting("url")
                                                        .text(" or GOVC_URL (https://HOST/sdk)")));
        URI parsed;
        try {
            parsed = new URI(rawUrl.contains("://") ? rawUrl.trim() : "https://" + rawUrl.trim());
        } catch (URISyntaxException e) {
            throw new ProviderConfigException(
                    "vSphere URL is not a valid URL (" + e.getReason() + "); use https://HOST/sdk");
        }
        String userFromUrl = null;
        String passwordFromUrl = null;
        if (parsed.getRawUserInfo() != null) {
            String[] parts = parsed.getRawUserInfo().split(":", 2);
            userFromUrl = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            passwordFromUrl =
                    parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
            try {
                parsed =
                        new URI(
                                parsed.getScheme(),
                                null,
                                parsed.getHost(),
                                parsed.getPort(),
                                parsed.getPath(),
                                null,
                                null);
            } catch (URISyntaxException e) {
                throw new ProviderConfigException("vSphere URL is not valid; use https://HOST/sdk");
            }
        }
        URI url;
        try {
            url = VimClient.Builder.normalise(parsed);
        } catch (IllegalArgumentException e) {
            throw new ProviderConfigException(e.getMessage());
        }
        String user =
                config.get("username")
                        .or(() -> env(environment, "GOVC_USERNAME"))
                        .orElse(userFromUrl);
        if (user == null || user.isBlank()) {
            throw new ProviderConfigException(
                    SettingText.of("vSphere user name is not set: set 'username' ")
                            .whereProviderSetting("username")
                            .text(" or GOVC_USERNAME"));
        }
        String urlPassword = passwordFromUrl;
        Secret pass =
                config.secret("password")
                        .filter(s -> !s.isEmpty())
                        .or(() -> Secret.fromEnvironment("GOVC_PASSWORD", environment))
                        .or(
                                () ->
                                        Optional.ofNullable(urlPassword)
                                                .filter(p -> !p.isEmpty())
                                                .map(Secret::of))
                        .orElseThrow(
                                () ->
                                        new ProviderConfigException(
                                                "vSphere password is not set: pass the 'password' secret"
                                                        + " (from a file or the environment) or set GOVC_PASSWORD; never on the command line"));

        boolean insecure =
                config.get("insecure").isPresent()
                        ? config.getBoolean("insecure", false)
                        : env(environment, "GOVC_INSECURE")
                                .map(v -> parseBool("GOVC_INSECURE", v))
                                .orElse(false);
        Optional<String> thumbprint =
                config.get("thumbprint").or(() -> env(environment, "GOVC_TLS_THUMBPRINT"));
        Optional<String> caFile =
                config.get("ca-file").or(() -> env(environment, "GOVC_TLS_CA_CERTS"));
        VsphereTls tls;
        try {
            if (insecure) {
                tls = VsphereTls.insecure();
            } else if (thumbprint.isPresent()) {
                tls = VsphereTls.pinThumbprint(thumbprint.get());
            } else if (caFile.isPresent()) {
                tls = VsphereTls.trustCertificates(Path.of(caFile.get()));
            } else {
                tls = VsphereTls.verify();
            }
        } catch (IllegalArgumentException e) {
            throw new ProviderConfigException(e.getMessage());
        }
        String apiVersion = config.get("api-version").orElse("6.5");
        if (!apiVersion.matches("[0-9]+(\\.[0-9]+){1,3}")) {
            throw new ProviderConfigException(
                    "setting 'api-version' must look like 6.5 or 7.0.3 (got '" + apiVersion + "')");
        }
        Duration timeout = config.getDuration("call-timeout", Duration.ofMinutes(2));
        if (timeout.isZero()) {
            throw new ProviderConfigException("setting 'call-timeout' must be positive");
        }
        int pageSize = config.getInt("page-size", 100, 1, 10_000);
        return new VsphereSettings(url, user, pass, tls, apiVersion, timeout, pageSize);
    }

    private static Optional<String> env(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name))
                .map(String::trim)
                .filter(v -> !v.isEmpty());
    }

    private static boolean parseBool(String name, String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "1":
            case "true":
            case "yes":
            case "on":
                return true;
            case "0":
            case "false":
            case "no":
            case "off":
                return false;
            default:
                throw new ProviderConfigException(
                        name + " must be true or false, 1 or 0 (got '" + v + "')");
        }
    }

    public URI url() {
        return url;
    }

    public String username() {
        return username;
    }

    public VsphereTls tls() {
        return tls;
    }

    /** A client builder with these settings (password included). */
    public VimClient.Builder clientBuilder() {
        return VimClient.builder()
                .url(url)
                .username(username)
                .password(password.reveal())
                .tls(tls)
                .apiVersion(apiVersion)
                .callTimeout(callTimeout)
                .pageSize(pageSize);
    }

    @Override
    public String toString() {
        return "VsphereSettings[url="
                + url
                + ", username="
                + username
                + ", password="
                + Secret.REDACTED
                + ", tls="
                + tls
                + "]";
    }
}
