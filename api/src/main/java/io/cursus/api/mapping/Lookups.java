package io.cursus.api.mapping;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Maps read once per event. */
final class Lookups {
  private Lookups() {}

  /**
   * An unmodifiable copy of {@code map} for look-ups on a per-event path. A {@link HashMap} rather
   * than {@link Map#copyOf}: the latter's probe divides by its table size on every look-up, which
   * showed in the profile of state rebuilding; a hash map masks. Null keys and values are refused.
   */
  static <K, V> Map<K, V> copyOf(Map<K, V> map) {
    HashMap<K, V> copy = new HashMap<>(Math.max(4, map.size() * 2));
    map.forEach(
        (key, value) -> {
          if (key == null || value == null) {
            throw new NullPointerException("null key or value in " + map);
          }
          copy.put(key, value);
        });
    return Collections.unmodifiableMap(copy);
  }
}
