package io.hypersdk.provider.hyperv;

import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where and how to reach a Hyper-V host, read from a {@link ProviderConfig} and the environment.
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>config key</th><th>environment</th><th>meaning</th></tr>
 *   <tr><td>host</td><td>HYPERV_HOST</td><td>the Hyper-V host running OpenSSH (required)</td></tr>
 *   <tr><td>port</td><td>-</td><td>SSH port (22)</td></tr>
 *   <tr><td>user</td><td>HYPERV_USER</td><td>SSH user (required)</td></tr>
 *   <tr><td>auth</td><td>-</td><td>{@code password}, {@code key} or {@code agent}; by default the password when
 *       set, else the key file when given, else the SSH agent when SSH_AUTH_SOCK is set, else the default key files</td></tr>
 *   <tr><td>identity</td><td>-</td><td>private key file; without it, a password or an agent ~/.ssh/id_ed25519, id_ecdsa or id_rsa</td></tr>
 *   <tr><td>-</td><td>SSH_AUTH_SOCK</td><td>the SSH agent's socket, for auth=agent</td></tr>
 *   <tr><td>(secret) password</td><td>HYPERV_PASSWORD</td><td>password, from the environment only</td></tr>
 *   <tr><td>host-key</td><td>-</td><td>pinned {@code SHA256:} fingerprint of the host key</td></tr>
 *   <tr><td>known-hosts</td><td>-</td><td>known_hosts file ({@code ~/.ssh/known_hosts})</td></tr>
 *   <tr><td>transfer</td><td>-</td><td>{@code sftp} (default) or {@code smb}</td></tr>
 *   <tr><td>share</td><td>-</td><td>SMB share name (with transfer=smb)</td></tr>
 *   <tr><td>share-path</td><td>-</td><td>the host directory the share exposes; staging goes under it</td></tr>
 *   <tr><td>smb-port</td><td>-</td><td>SMB port (445)</td></tr>
 *   <tr><td>staging</td><td>-</td><td>host directory Export-VM writes to ({@code C:\ProgramData\hypersdk\staging})</td></tr>
 *   <tr><td>keep-staging</td><td>-</td><td>keep the host's staging copy (false)</td></tr>
 *   <tr><td>checkpoint</td><td>-</td><td>export a running VM from a checkpoint (true); false refuses running VMs</td></tr>
 *   <tr><td>method</td><td>-</td><td>{@code export} (Export-VM into staging, default) or {@code copy} (each disk chain
 *       read in place, differencing disks merged on the host with Convert-VHD)</td></tr>
 *   <tr><td>timeout</td><td>-</td><td>connect and command timeout (PT10M)</td></tr>
 * </table>
 */
record HypervSettings(
        String host,
        int port,
        String user,
        Optional<Path> identity,
        Optional<Secret> password,
        Optional<Path> agentSocket,
        Optional<String> pinnedHostKey,
        Path knownHosts,
        Transfer transfer,
        Optional<String> share,
        String stagingRoot,
        int smbPort,
        boolean keepStaging,
        boolean checkpoint,
        Method method,
        Duration timeout) {

    static final String PASSWORD_VARIABLE = "HYPERV_PASSWORD";
    static final String AGENT_VARIABLE = "SSH_AUTH_SOCK";
    private static final java.util.Set<String> KEYS =
            java.util.Set.of(
                    "host",
                    "port",
                    "user",
                    "auth",
                    "identity",
                    "password",
                    "host-key",
                    "known-hosts",
                    "transfer",
                    "share",
                    "share-path",
                    "smb-port",
                    "staging",
                    "keep-staging",
                    "checkpoint",
                    "method",
                    "timeout");
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

    /** How the disk files leave the host. */
    enum Transfer {
        SFTP,
        SMB
    }

    /** How the disks are taken from the host. */
    enum Method {
        /** Export-VM (Export-VMSnapshot for a checkpoint) into the staging directory. */
        EXPORT,
        /** Each disk chain read in place; differencing disks merged with Convert-VHD. */
        COPY
    }

    HypervSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(agentSocket, "agentSocket");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pinnedHostKey, "pinnedHostKey");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(transfer, "transfer");
        Objects.requireNonNull(share, "share");
        Objects.requireNonNull(stagingRoot, "stagingRoot");
        Objects.requireNonNull(timeout, "timeout");
    }

    static HypervSettings from(ProviderConfig config, Map<String, String> env) {
        config.requireKnownKeys(HypervExportProvider.ID, KEYS);
        String host =
                config.get("host")
                        .or(() -> nonEmpty(env.get("HYPERV_HOST")))
                        .orElseThrow(
                                () ->
                                        new ProviderConfigException(
                                                "setting 'host' is required: --provider-option host=HYPERV-HOST or HYPERV_HOST in the environment"));
        String user =
                config.get("user")
                        .or(() -> nonEmpty(env.get("HYPERV_USER")))
                        .orElseThrow(
                                () ->
                                        new ProviderConfigException(
                                                "setting 'user' is required: --provider-option user=NAME or HYPERV_USER in the environment"));
        int port = config.getInt("port", 22, 1, 65535);
        Optional<Path> identity = config.get("identity").map(Path::of);
        identity.ifPresent(
                p -> {
                    if (!Files.isReadable(p)) {
                        throw new ProviderConfigException(
                                "setting 'identity': key file "
                                        + p
                                        + " does not exist or is not readable; give the path of an OpenSSH private key");
                    }
                });
        Optional<Secret> password =
                config.secret("password").or(() -> Secret.fromEnvironment(PASSWORD_VARIABLE, env));
        Optional<String> pin = config.get("host-key").map(String::trim);
        pin.ifPresent(
                p -> {
                    if (!FINGERPRINT.matcher(p).matches()) {
                        throw new ProviderConfigException(
                                "setting 'host-key' must be a SHA256 fingerprint such as "
                                        + "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8 (got '"
                                        + p
                                        + "'); "
                                        + "print it on the host with ssh-keygen -lf <key>.pub");
                    }
                });
        Path knownHosts =
                config.get("known-hosts")
                        .map(Path::of)
                        .orElse(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        Transfer transfer = choice(config, "transfer", Transfer.SFTP, Transfer.class);
        Optional<String> share = config.get("share").map(String::trim).filter(s -> !s.isEmpty());
        String staging = config.get("staging").orElse("C:\\ProgramData\\hypersdk\\staging");
        if (transfer == Transfer.SMB) {
            if (share.isEmpty()) {
                throw new ProviderConfigException(
                        "transfer=smb needs setting 'share' (the SMB share name) and "
                                + "'share-path' (the host directory it exposes): --provider-option transfer=smb,share=exports,share-path=D:\\exports");
            }
            staging =
                    config.get("share-path")
                            .orElseThrow(
                                    () ->
                                            new ProviderConfigException(
                                                    "transfer=smb needs setting 'share-path': the directory on the Hyper-V host that share '"
                                                            + share.get()
                                                            + "' exposes, e.g. --provider-option share-path=D:\\exports"));
        }
        if (!staging.matches("[A-Za-z]:\\\\.*")) {
            throw new ProviderConfigException(
                    "setting '"
                            + (transfer == Transfer.SMB ? "share-path" : "staging")
                            + "' must be an absolute Windows path such as D:\\exports (got '"
                            + staging
                            + "')");
        }
        Credentials credentials = credentials(config, env, host, identity, password);
        Method method = choice(config, "method", Method.EXPORT, Method.class);
        return new HypervSettings(
                host,
                port,
                user,
                credentials.identity(),
                credentials.password(),
                credentials.agentSocket(),
                pin,
                knownHosts,
                transfer,
                share,
                trimSeparator(staging),
                config.getInt("smb-port", 445, 1, 65535),
                config.getBoolean("keep-staging", false),
                config.getBoolean("checkpoint", true),
                method,
                config.getDuration("timeout", Duration.ofMinutes(10)));
    }

    /**
     * The constant of {@code type} that setting {@code key} names (case-insensitive), or {@code
     * fallback} when it is not set.
     */
    private static <E extends Enum<E>> E choice(
            ProviderConfig config, String key, E fallback, Class<E> type) {
        String v = config.get(key).map(String::trim).orElse(fallback.name());
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        throw new ProviderConfigException(
                "setting '"
                        + key
                        + "' must be "
                        + String.join(
                                " or ",
                                java.util.Arrays.stream(type.getEnumConstants())
                                        .map(e -> e.name().toLowerCase(Locale.ROOT))
                                        .toList())
                        + " (got '"
                        + v
                        + "')");
    }

    /** One way to log in: a key file, a password or an agent socket. */
    private record Credentials(
            Optional<Path> identity, Optional<Secret> password, Optional<Path> agentSocket) {}

    /**
     * The credentials {@code auth} asks for; by default, as ssh does it: the password when set, a
     * given key file, the agent when {@code SSH_AUTH_SOCK} is set, the user's default key files.
     */
    private static Credentials credentials(
            ProviderConfig config,
            Map<String, String> env,
            String host,
            Optional<Path> identity,
            Optional<Secret> password) {
        String auth = config.get("auth").orElse("").trim().toLowerCase(Locale.ROOT);
        Optional<String> agent = nonEmpty(env.get(AGENT_VARIABLE));
        switch (auth) {
            case "password" -> {
                if (password.isEmpty()) {
                    throw new ProviderConfigException(
                            "auth=password needs the password in "
                                    + PASSWORD_VARIABLE
                                    + " in the environment (never on the command line)");
                }
                return new Credentials(Optional.empty(), password, Optional.empty());
            }
            case "key" -> {
                Optional<Path> key = identity.or(HypervSettings::defaultKeyFile);
                if (key.isEmpty()) {
                    throw new ProviderConfigException(
                            "auth=key needs --provider-option identity=KEYFILE (or ~/.ssh/id_ed25519, id_ecdsa or id_rsa)");
                }
                return new Credentials(key, Optional.empty(), Optional.empty());
            }
            case "agent" -> {
                if (agent.isEmpty()) {
                    throw new ProviderConfigException(
                            "auth=agent needs "
                                    + AGENT_VARIABLE
                                    + " in the environment: start an agent with eval $(ssh-agent) and add the key with ssh-add KEYFILE");
                }
                return new Credentials(
                        Optional.empty(), Optional.empty(), Optional.of(agentSocket(agent.get())));
            }
            case "" -> {
                if (password.isPresent()) {
                    return new Credentials(Optional.empty(), password, Optional.empty());
                }
                if (identity.isPresent()) {
                    return new Credentials(identity, Optional.empty(), Optional.empty());
                }
                if (agent.isPresent()) {
                    return new Credentials(
                            Optional.empty(),
                            Optional.empty(),
                            Optional.of(agentSocket(agent.get())));
                }
                Optional<Path> key = defaultKeyFile();
                if (key.isEmpty()) {
                    throw new ProviderConfigException(
                            "no credentials for Hyper-V host "
                                    + host
                                    + ": set "
                                    + PASSWORD_VARIABLE
                                    + " in the environment, --provider-option identity=KEYFILE, or run an SSH agent ("
                                    + AGENT_VARIABLE
                                    + ") holding the key");
                }
                return new Credentials(key, Optional.empty(), Optional.empty());
            }
            default ->
                    throw new ProviderConfigException(
                            "setting 'auth' must be password, key or agent (got '" + auth + "')");
        }
    }

    private static Path agentSocket(String value) {
        Path socket = Path.of(value);
        if (!Files.exists(socket)) {
            throw new ProviderConfigException(
                    AGENT_VARIABLE
                            + "="
                            + value
                            + " names no socket; start the agent again (eval $(ssh-agent)) or unset "
                            + AGENT_VARIABLE);
        }
        return socket;
    }

    /** As ssh does: the user's first readable default key file. */
    private static Optional<Path> defaultKeyFile() {
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        return java.util.stream.Stream.of("id_ed25519", "id_ecdsa", "id_rsa")
                .map(ssh::resolve)
                .filter(Files::isReadable)
                .findFirst();
    }

    /** {@code host:port} for messages. */
    String hostPort() {
        return host + ":" + port;
    }

    private static String trimSeparator(String p) {
        String s = p;
        while (s.length() > 3 && s.endsWith("\\")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static Optional<String> nonEmpty(String v) {
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }
}
