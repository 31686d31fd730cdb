package io.rowstream.topic;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Kafka's cluster-wide broker configs: {@link #AUTO_CREATE_TOPICS_ENABLE}, and those that set the
 * cluster-wide defaults of topic configs
 * ({@code ServerTopicConfigSynonyms}), in Kafka's order of precedence: for {@code retention.ms},
 * {@code log.retention.ms} over {@code log.retention.minutes} over {@code log.retention.hours}; for
 * {@code segment.ms}, {@code log.roll.ms} over {@code log.roll.hours}. Most topic configs have one
 * synonym ({@link TopicConfig#brokerName()}); a few have none.
 */
public final class BrokerConfigs {
  private static final long MINUTE_MS = 60_000;
  private static final long HOUR_MS = 3_600_000;
  private static final Map<TopicConfig, List<BrokerSynonym>> SYNONYMS = synonyms();

  /**
   * Kafka's {@code auto.create.topics.enable}: whether Metadata may create a topic a client asks
   * for that does not exist. Rowstream's default is false (Kafka's is true): a typo in a client's
   * topic name should fail, not create a topic.
   */
  public static final BrokerSynonym AUTO_CREATE_TOPICS_ENABLE = BrokerSynonym.standalone(
      "auto.create.topics.enable",
      "false",
      "true or false",
      ConfigValues.BOOLEAN,
      "Enable auto creation of topics on the server: a Kafka client's Metadata request that"
          + " allows it creates an unknown topic with the default partitions and replication"
          + " factor.");

  /** The broker configs that are settings of their own, not defaults of topic configs. */
  private static final List<BrokerSynonym> STANDALONE = List.of(AUTO_CREATE_TOPICS_ENABLE);

  private BrokerConfigs() {}

  private static Map<TopicConfig, List<BrokerSynonym>> synonyms() {
    Map<TopicConfig, List<BrokerSynonym>> all = new EnumMap<>(TopicConfig.class);
    for (TopicConfig c : TopicConfig.values()) {
      all.put(
          c,
          c.brokerName() == null
              ? List.of()
              : List.of(BrokerSynonym.sameUnit(c.brokerName(), c, c.defaultValue())));
    }
    all.put(
        TopicConfig.RETENTION_MS,
        List.of(
            BrokerSynonym.sameUnit("log.retention.ms", TopicConfig.RETENTION_MS, null),
            inUnit(
                "log.retention.minutes",
                TopicConfig.RETENTION_MS,
                MINUTE_MS,
                null,
                Integer.MIN_VALUE),
            inUnit(
                "log.retention.hours",
                TopicConfig.RETENTION_MS,
                HOUR_MS,
                "168",
                Integer.MIN_VALUE)));
    all.put(
        TopicConfig.SEGMENT_MS,
        List.of(
            BrokerSynonym.sameUnit("log.roll.ms", TopicConfig.SEGMENT_MS, null),
            inUnit("log.roll.hours", TopicConfig.SEGMENT_MS, HOUR_MS, "168", 1)));
    all.put(
        TopicConfig.SEGMENT_JITTER_MS,
        List.of(
            BrokerSynonym.sameUnit("log.roll.jitter.ms", TopicConfig.SEGMENT_JITTER_MS, null),
            inUnit("log.roll.jitter.hours", TopicConfig.SEGMENT_JITTER_MS, HOUR_MS, "0", 0)));
    all.put(
        TopicConfig.FLUSH_MS,
        List.of(
            BrokerSynonym.sameUnit("log.flush.interval.ms", TopicConfig.FLUSH_MS, null),
            BrokerSynonym.sameUnit(
                "log.flush.scheduler.interval.ms", TopicConfig.FLUSH_MS, "9223372036854775807")));
    return all;
  }

  private static BrokerSynonym inUnit(
      String name, TopicConfig config, long msPerUnit, String defaultValue, int min) {
    String expected = min == Integer.MIN_VALUE ? "an integer" : "an integer >= " + min;
    return new BrokerSynonym(
        name, config, msPerUnit, defaultValue, expected, ConfigValues.intAtLeast(min), null);
  }

  /** The config's synonyms, the one that wins first. */
  public static List<BrokerSynonym> of(TopicConfig config) {
    return SYNONYMS.get(config);
  }

  /** That synonym and those below it: the levels Kafka lists as its synonyms when describing it. */
  public static List<BrokerSynonym> from(BrokerSynonym synonym) {
    if (synonym.isStandalone()) {
      return List.of(synonym);
    }
    List<BrokerSynonym> all = of(synonym.config());
    return all.subList(all.indexOf(synonym), all.size());
  }

  public static Optional<BrokerSynonym> byName(String name) {
    return Stream.concat(SYNONYMS.values().stream().flatMap(List::stream), STANDALONE.stream())
        .filter(s -> s.name().equals(name))
        .findFirst();
  }

  /** The broker config of that name, or INVALID_CONFIG naming the known ones. */
  public static BrokerSynonym require(String name) {
    return byName(name)
        .orElseThrow(() -> new BrokerException(
            BrokerError.INVALID_CONFIG,
            "Unknown broker config '" + name + "'. Known broker configs: "
                + String.join(
                    ", ", sortedByName().stream().map(BrokerSynonym::name).toList()) + "."));
  }

  /** Every one, sorted by name (the order of the broker-configs listing). */
  public static List<BrokerSynonym> sortedByName() {
    List<BrokerSynonym> all = new ArrayList<>();
    Arrays.stream(TopicConfig.values()).map(BrokerConfigs::of).forEach(all::addAll);
    all.addAll(STANDALONE);
    all.sort(Comparator.comparing(BrokerSynonym::name));
    return all;
  }
}
