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

  static Optional<Map<String, Object>> map(Optional<Map<String, Object>> v) {
    return opt(v).map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)));
  }
}
