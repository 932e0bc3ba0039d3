package io.hypersdk.systemd;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment every child process starts with: the few variables of this process that programs
 * need (an allowlist), plus what the caller adds; never a credential.
 *
 * <p>Inherited: {@code PATH}, {@code HOME}, {@code LANG}, {@code LC_*}, {@code TZ}, {@code TMPDIR},
 * {@code LIBGUESTFS_*} and {@code LIBVIRT_*} (hyper2kvm's libguestfs and libvirt settings).
 * Everything else of this process (in particular {@code GOVC_PASSWORD}, cloud keys and tokens) is
 * not passed. A variable whose name marks it as a secret ({@link #isSecret(String)}) is dropped
 * even when a caller adds it explicitly: no child of the SDK needs one, and a child's environment
 * is readable in {@code /proc/<pid>/environ} and printed by any tool that dumps it.
 */
final class ChildEnvironment {
    private static final Pattern INHERITED =
            Pattern.compile(
                    "PATH|HOME|LANG|LANGUAGE|LC_[A-Z_]+|TZ|TMPDIR|LIBGUESTFS_[A-Z0-9_]+|LIBVIRT_[A-Z0-9_]+");

    /** Names the SDK treats as credentials: the providers' variables and anything that says so. */
    private static final Pattern SECRET =
            Pattern.compile(
                    "GOVC_PASSWORD|GOVC_URL|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AZURE_CLIENT_SECRET|AZURE_CLIENT_CERTIFICATE_PASSWORD"
                            + "|HYPERV_PASSWORD|GOOGLE_APPLICATION_CREDENTIALS|GOOGLE_OAUTH_ACCESS_TOKEN"
                            + "|.*(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|API_?KEY|PRIVATE_?KEY).*");

    private ChildEnvironment() {}

    /** Whether a variable of this name is a credential that no child may receive. */
    static boolean isSecret(String name) {
        return SECRET.matcher(name.toUpperCase(Locale.ROOT)).matches();
    }

    /** Whether a variable of this process is passed on to children. */
    static boolean isInherited(String name) {
        return INHERITED.matcher(name).matches() && !isSecret(name);
    }

    /**
     * The environment of one child.
     *
     * @param own this process's environment (read only when {@code inherit})
     * @param inherit whether the allowlisted variables of {@code own} are passed
     * @param layers variables added on top, in order (later wins); secrets among them are dropped
     */
    @SafeVarargs
    static Map<String, String> of(
            Map<String, String> own, boolean inherit, Map<String, String>... layers) {
        Map<String, String> env = new LinkedHashMap<>();
        if (inherit) {
            own.forEach(
                    (k, v) -> {
                        if (isInherited(k)) {
                            env.put(k, v);
                        }
                    });
        }
        for (Map<String, String> layer : layers) {
            layer.forEach(
                    (k, v) -> {
                        if (!isSecret(k)) {
                            env.put(k, v);
                        }
                    });
        }
        return env;
    }
}
