package io.rowstream.topic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster-wide defaults of topic configs (Kafka's dynamic default broker configs, rows of
 * {@code cluster_config}), by broker config name. A topic that does not override a config takes
 * the first of its broker synonyms that is set ({@link BrokerConfigs}), converted to the topic
 * config's unit, else the built-in default.
 */
public record ClusterDefaults(Map<String, String> values) {
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
    Map<String, String> values = new LinkedHashMap<>();
    byBrokerName.forEach((name, value) -> BrokerConfigs.byName(name)
        .filter(s -> s.accepts(value))
        .ifPresent(s -> values.put(name, value.trim())));
    return new ClusterDefaults(values);
  }

  /** These defaults with those broker configs set and removed (values already checked). */
  public ClusterDefaults with(Map<String, String> set, Set<String> remove) {
    Map<String, String> changed = new LinkedHashMap<>(values);
    changed.keySet().removeAll(remove);
    changed.putAll(set);
    return new ClusterDefaults(changed);
  }

  public boolean isSet(TopicConfig config) {
    return effective(config).isPresent();
  }

  public boolean isSet(BrokerSynonym synonym) {
    return values.containsKey(synonym.name());
  }

  /** The cluster-wide default when set (the first synonym set wins), else the built-in one. */
  public String value(TopicConfig config) {
    return effective(config)
        .map(s -> s.topicValue(values.get(s.name())))
        .orElse(config.defaultValue());
  }

  /** The broker config's own value: set, else its built-in default (null when Kafka gives it none). */
  public String value(BrokerSynonym synonym) {
    return values.getOrDefault(synonym.name(), synonym.defaultValue());
  }

  /** Whether Metadata may create an unknown topic a client asks for ({@code auto.create.topics.enable}). */
  public boolean autoCreateTopics() {
    return Boolean.parseBoolean(value(BrokerConfigs.AUTO_CREATE_TOPICS_ENABLE));
  }

  /** Where the broker config's value comes from: set cluster-wide, else built in. */
  public ConfigSynonym.Source source(BrokerSynonym synonym) {
    return isSet(synonym)
        ? ConfigSynonym.Source.DYNAMIC_DEFAULT_BROKER_CONFIG
        : ConfigSynonym.Source.DEFAULT_CONFIG;
  }

  /** The synonyms below the topic level: the broker configs set, then their built-in defaults, in Kafka's order. */
  public List<ConfigSynonym> synonyms(TopicConfig config) {
    return synonyms(BrokerConfigs.of(config));
  }

  /** The synonyms of a broker config: it and those below it, set ones first, then built-in defaults. */
  public List<ConfigSynonym> synonyms(BrokerSynonym synonym) {
    return synonyms(BrokerConfigs.from(synonym));
  }

  private List<ConfigSynonym> synonyms(List<BrokerSynonym> chain) {
    List<ConfigSynonym> synonyms = new ArrayList<>(chain.size() + 1);
    for (BrokerSynonym s : chain) {
      if (isSet(s)) {
        synonyms.add(new ConfigSynonym(
            s.name(), values.get(s.name()), ConfigSynonym.Source.DYNAMIC_DEFAULT_BROKER_CONFIG));
      }
    }
    for (BrokerSynonym s : chain) {
      if (s.defaultValue() != null) {
        synonyms.add(
            new ConfigSynonym(s.name(), s.defaultValue(), ConfigSynonym.Source.DEFAULT_CONFIG));
      }
    }
    return synonyms;
  }

  private Optional<BrokerSynonym> effective(TopicConfig config) {
    return BrokerConfigs.of(config).stream().filter(this::isSet).findFirst();
  }
}
