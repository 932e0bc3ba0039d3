package io.hypersdk.server;

import io.hypersdk.core.job.JobDefinition;
import io.hypersdk.core.manifest.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Credentials reach the server through its own environment or configuration, never through a job: a
 * job naming a password (or a secret or token in its metadata) is refused, and the value is never
 * echoed.
 */
final class Credentials {
    private static final List<String> WORDS =
            List.of("password", "passwd", "secret", "token", "credential");
    private static final String FIX =
            "credentials are not accepted in a job: give them to the server"
                    + " (its environment or provider configuration) and submit the job without them";

    private Credentials() {}

    static List<Violation> violations(JobDefinition d, String prefix) {
        List<Violation> out = new ArrayList<>();
        d.vcenter()
                .flatMap(v -> v.password())
                .ifPresent(p -> out.add(new Violation(prefix + "vcenter.password", FIX)));
        d.metadata().ifPresent(m -> scan(m, prefix + "metadata", out));
        return out;
    }

    /**
     * Whether a field name or path looks like it holds a credential (password, secret, token, ...).
     */
    static boolean namesCredential(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return WORDS.stream().anyMatch(lower::contains);
    }

    private static void scan(Map<?, ?> map, String path, List<Violation> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String p = path + "." + key;
            if (namesCredential(key)) {
                out.add(new Violation(p, FIX));
            } else if (e.getValue() instanceof Map<?, ?> inner) {
                scan(inner, p, out);
            }
        }
    }
}
