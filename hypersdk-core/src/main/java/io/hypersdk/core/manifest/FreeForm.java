package io.hypersdk.core.manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep, unmodifiable copies of free-form JSON values (maps, lists, scalars, null). */
final class FreeForm {
    private FreeForm() {}

    static Map<String, Object> copy(Map<String, ?> map) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(java.util.Objects.requireNonNull(k, "key"), value(v)));
        return Collections.unmodifiableMap(out);
    }

    private static Object value(Object v) {
        if (v instanceof Map<?, ?> m) {
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), value(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(value(x)));
            return Collections.unmodifiableList(out);
        }
        return v;
    }
}
