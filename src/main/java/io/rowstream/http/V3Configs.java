package io.rowstream.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.topic.ConfigSynonym;
import java.util.List;

/**
 * The fields every v3 config resource shares (the reference's {@code AbstractConfigData}): name,
 * value (null when it has none, as Kafka's {@code log.retention.ms} unless set), flags, source and
 * synonyms; a config is default when its source is the built-in value (DEFAULT_CONFIG), as Kafka's
 * {@code ConfigEntry.isDefault}.
 */
final class V3Configs {
  private V3Configs() {}

  static ObjectNode fill(
      ObjectNode node,
      String name,
      String value,
      ConfigSynonym.Source source,
      List<ConfigSynonym> synonyms) {
    node.put("name", name)
        .put("value", value)
        .put("is_default", source == ConfigSynonym.Source.DEFAULT_CONFIG)
        .put("is_read_only", false)
        .put("is_sensitive", false)
        .put("source", source.name());
    ArrayNode array = node.putArray("synonyms");
    for (ConfigSynonym s : synonyms) {
      array
          .addObject()
          .put("name", s.name())
          .put("value", s.value())
          .put("source", s.source().name());
    }
    return node;
  }
}
