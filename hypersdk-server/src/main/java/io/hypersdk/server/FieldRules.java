package io.hypersdk.server;

import io.hypersdk.core.spool.InstanceName;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The allowed values of the job options the dashboard's form edits, as data: the server puts them
 * beside each validation error ({@code allowed}) and serves them to the browser ({@code GET
 * /api/form-rules}), so the form checks the same ranges with the same messages. hypersdk-core's
 * {@code JobDefinition.validate()} enforces them; a test pins that both agree.
 */
final class FieldRules {
    /** An integer range with its unit. */
    record Range(int min, int max, String unit) {
        String text() {
            return min + "-" + max + (unit.isEmpty() ? "" : " " + unit);
        }

        String message(String label) {
            return label
                    + " must be between "
                    + min
                    + " and "
                    + max
                    + (unit.isEmpty() ? "" : " " + unit);
        }
    }

    static final Map<String, Range> RANGES;

    static {
        Map<String, Range> m = new LinkedHashMap<>();
        m.put("hyper2kvm_poll_interval", new Range(1, 60, "seconds"));
        m.put("hyper2kvm_daemon_timeout", new Range(1, 240, "minutes"));
        m.put("parallel_downloads", new Range(1, 16, ""));
        m.put("compress_level", new Range(1, 9, ""));
        RANGES = java.util.Collections.unmodifiableMap(m);
    }

    private FieldRules() {}

    /** The allowed values of the field a violation path ends in, if it has a rule. */
    static Optional<String> allowed(String path) {
        String field = path.substring(path.lastIndexOf('.') + 1);
        if (field.equals("hyper2kvm_instance")) {
            return Optional.of(InstanceName.RULE + " (empty = hyper2kvm.service)");
        }
        Range r = RANGES.get(field);
        return r == null ? Optional.empty() : Optional.of(r.text());
    }

    /** The rules as the dashboard reads them. */
    static Map<String, Object> forBrowser() {
        Map<String, Object> m = new LinkedHashMap<>();
        RANGES.forEach(
                (k, r) -> m.put(k, Map.of("min", r.min(), "max", r.max(), "unit", r.unit())));
        m.put(
                "hyper2kvm_instance",
                Map.of("pattern", InstanceName.PATTERN, "rule", InstanceName.RULE));
        return m;
    }
}
