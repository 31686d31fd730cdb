package io.rowstream.kafka.admin;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/** The keys named more than once in a request: Kafka refuses each of them (INVALID_REQUEST). */
final class Duplicates {
  private Duplicates() {}

  static <T, K> Set<K> of(Collection<T> items, Function<T, K> key) {
    Set<K> seen = new HashSet<>();
    Set<K> twice = new LinkedHashSet<>();
    for (T item : items) {
      K k = key.apply(item);
      if (!seen.add(k)) {
        twice.add(k);
      }
    }
    return twice;
  }
}
