package io.rowstream.group;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The assignors a group may use, by the name a client gives in {@code partition.assignment.strategy}. */
public final class Assignors {
  public static final String DEFAULT = RangeAssignor.NAME;
  private static final List<PartitionAssignor> ALL =
      List.of(new RangeAssignor(), new RoundRobinAssignor(), new StickyAssignor());

  private Assignors() {}

  /**
   * The assignor named {@code range}, {@code roundrobin} or {@code sticky}, or by the Kafka class
   * that does the same ({@code org.apache.kafka.clients.consumer.RangeAssignor},
   * {@code RoundRobinAssignor}, {@code StickyAssignor}, {@code CooperativeStickyAssignor}).
   */
  public static Optional<PartitionAssignor> byName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    n = n.substring(n.lastIndexOf('.') + 1)
        .replace("assignor", "")
        .replace("cooperative", "")
        .replace("-", "");
    for (PartitionAssignor a : ALL) {
      if (a.name().equals(n)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** KIP-848's default server assignor ({@code group.consumer.assignors}' first). */
  public static final String UNIFORM = "uniform";

  /** The server assignors a KIP-848 member may name ({@code group.remote.assignor}). */
  public static final List<String> SERVER = List.of(UNIFORM, RangeAssignor.NAME);

  /**
   * A KIP-848 server assignor by name: {@code uniform} runs the sticky assignor (Kafka's
   * UniformAssignor also balances partition counts and keeps what members own; it is not
   * byte-for-byte its result), {@code range} the range assignor (Kafka's RangeAssignor
   * co-partitions topics alike).
   */
  public static Optional<PartitionAssignor> server(String name) {
    return switch (name) {
      case UNIFORM -> Optional.of(ALL.get(2));
      case RangeAssignor.NAME -> Optional.of(ALL.get(0));
      default -> Optional.empty();
    };
  }

  /** The assignor stored under {@code name}: an HTTP strategy or a KIP-848 server assignor. */
  static PartitionAssignor stored(String name) {
    return server(name)
        .or(() -> byName(name))
        .orElseThrow(() ->
            new IllegalStateException("unknown stored assignor " + name + " indicates a bug"));
  }

  /**
   * Whether two stored names run the same assignor: KIP-848's {@code uniform} is the HTTP door's
   * {@code sticky}, so an HTTP instance asking for sticky may join a group of uniform KIP-848 members.
   */
  static boolean sameAssignor(String a, String b) {
    return stored(a).name().equals(stored(b).name());
  }

  /** The names accepted, for error messages. */
  public static List<String> names() {
    return ALL.stream().map(PartitionAssignor::name).toList();
  }

  /** Kafka's class name for the assignor, as v3 reports it. */
  public static String kafkaClassName(String name) {
    return switch (name) {
      case RangeAssignor.NAME -> "org.apache.kafka.clients.consumer.RangeAssignor";
      case RoundRobinAssignor.NAME -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
      case StickyAssignor.NAME -> "org.apache.kafka.clients.consumer.StickyAssignor";
      default -> name;
    };
  }
}
