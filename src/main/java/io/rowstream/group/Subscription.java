package io.rowstream.group;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a member subscribes to: topics by name, or a pattern (a Java regular expression matched
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

  /** The topics of {@code existing} that belong to the subscription. */
  Set<String> select(Collection<String> existing) {
    Pattern compiled = byPattern() ? Pattern.compile(pattern) : null;
    Set<String> out = new TreeSet<>();
    for (String topic : existing) {
      if (byPattern() ? compiled.matcher(topic).matches() : topics.contains(topic)) {
        out.add(topic);
      }
    }
    return out;
  }
}
