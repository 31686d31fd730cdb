package io.rowstream.topic;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster-wide defaults of topic configs (Kafka's dynamic default broker configs, rows of
 * {@code cluster_config}), by the topic config they stand for. A topic that does not override a
 * config takes the cluster-wide default, else the built-in one.
 */
public record ClusterDefaults(Map<TopicConfig, String> values) {
  public static final ClusterDefaults NONE = new ClusterDefaults(Map.of());

  public ClusterDefaults {
    values = Map.copyOf(values);
  }

  /**
   * From values keyed by broker config name. A row the broker would not have written (set by hand
   * in SQL: a name it does not know, or an illegal value) is left out, so the built-in default
   * applies and produce never trips over it.
   */
  static ClusterDefaults fromBrokerNames(Map<String, String> byBrokerName) {
    Map<TopicConfig, String> values = new EnumMap<>(TopicConfig.class);
    byBrokerName.forEach((name, value) -> TopicConfig.byBrokerName(name).filter(c -> c.accepts(value))
        .ifPresent(c -> values.put(c, value.trim())));
    return new ClusterDefaults(values);
  }

  public boolean isSet(TopicConfig config) {
    return values.containsKey(config);
  }

  /** The cluster-wide default when set, else the built-in one. */
  public String value(TopicConfig config) {
    return values.getOrDefault(config, config.defaultValue());
  }

  /** The synonyms below the topic level: the cluster-wide default when set, then the built-in one. */
  public List<ConfigSynonym> synonyms(TopicConfig config) {
    List<ConfigSynonym> synonyms = new ArrayList<>(2);
    if (isSet(config)) {
      synonyms.add(new ConfigSynonym(config.brokerName(), values.get(config),
          ConfigSynonym.Source.DYNAMIC_DEFAULT_BROKER_CONFIG));
    }
    synonyms.add(new ConfigSynonym(config.brokerName(), config.defaultValue(), ConfigSynonym.Source.DEFAULT_CONFIG));
    return synonyms;
  }
}
