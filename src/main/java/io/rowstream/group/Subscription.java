package io.rowstream.group;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a member subscribes to: topics by name, or a pattern (a {@link TopicPattern}, matched
 * against whole topic names, as Kafka's {@code subscribe(Pattern)}), never both.
 */
public record Subscription(List<String> topics, String pattern) {

  public Subscription {
    if ((topics == null) == (pattern == null)) {
      throw new IllegalArgumentException("a subscription has topics or a pattern, exactly one");
    }
    topics = topics == null ? null : List.copyOf(topics);
  }

  public static Subscription ofTopics(List<String> topics) {
    return new Subscription(topics, null);
  }

  public static Subscription ofPattern(String pattern) {
    return new Subscription(null, pattern);
  }

  public boolean byPattern() {
    return pattern != null;
  }

  /**
   * The topics of {@code existing} that belong to the subscription, sorted: those named, or
   * those the pattern matches (through the node's {@link PatternMatches}, which runs a pattern
   * over a name once).
   */
  Set<String> select(Collection<String> existing, PatternMatches matches) {
    if (byPattern()) {
      return matches.select(pattern, existing);
    }
    Set<String> out = new TreeSet<>();
    for (String topic : existing) {
      if (topics.contains(topic)) {
        out.add(topic);
      }
    }
    return out;
  }
}
