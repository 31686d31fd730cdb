package io.rowstream.topic;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Kafka's documentation of its topic configs, as the pinned kafka-clients publishes it: each
 * {@code <NAME>_CONFIG} constant of {@link org.apache.kafka.common.config.TopicConfig} (the config's
 * name) has its text in {@code <NAME>_DOC}. Configs Kafka documents elsewhere (the replication
 * throttles) have none.
 */
final class ConfigDocs {
  private static final Map<String, String> BY_NAME = read();

  private ConfigDocs() {}

  /** Kafka's text for the topic config of that name; null when kafka-clients has none. */
  static String of(String kafkaName) {
    return BY_NAME.get(kafkaName);
  }

  private static Map<String, String> read() {
    Class<?> kafka = org.apache.kafka.common.config.TopicConfig.class;
    Map<String, String> docs = new HashMap<>();
    for (Field name : kafka.getFields()) {
      if (Modifier.isStatic(name.getModifiers())
          && name.getType() == String.class
          && name.getName().endsWith("_CONFIG")) {
        String prefix = name.getName().substring(0, name.getName().length() - "_CONFIG".length());
        try {
          Field doc = kafka.getField(prefix + "_DOC");
          docs.put((String) name.get(null), (String) doc.get(null));
        } catch (NoSuchFieldException e) {
          // A name without a text: left undocumented.
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("public constants of TopicConfig not readable", e);
        }
      }
    }
    return Map.copyOf(docs);
  }
}
