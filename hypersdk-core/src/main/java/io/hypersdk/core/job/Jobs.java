package io.hypersdk.core.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Null-to-empty helpers for the job records (Jackson passes null for absent fields). */
final class Jobs {
    private Jobs() {}

    static <T> Optional<T> opt(Optional<T> v) {
        return v == null ? Optional.empty() : v;
    }

    static <T> List<T> list(List<T> v) {
        return v == null ? List.of() : List.copyOf(v);
    }

    /** A deep, unmodifiable copy of free-form JSON values. */
    static Optional<Map<String, Object>> map(Optional<Map<String, Object>> v) {
        return opt(v).map(
                        m -> {
                            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
                            m.forEach((k, x) -> out.put(k, deep(x)));
                            return Collections.unmodifiableMap(out);
                        });
    }

    private static Object deep(Object v) {
        if (v instanceof Map<?, ?> m) {
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), deep(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            java.util.ArrayList<Object> out = new java.util.ArrayList<>(l.size());
            l.forEach(x -> out.add(deep(x)));
            return Collections.unmodifiableList(out);
        }
        return v;
    }
}
