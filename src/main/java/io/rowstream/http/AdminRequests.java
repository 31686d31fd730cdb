package io.rowstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.topic.TopicAdmin.ConfigChange;
import io.rowstream.topic.TopicAdmin.ConfigOperation;
import io.rowstream.topic.TopicAdmin.ConfigValue;
import io.rowstream.topic.TopicAdmin.NewTopic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns v3 admin request bodies into {@link io.rowstream.topic.TopicAdmin} requests. Malformed
 * JSON, a missing required field or a field of the wrong JSON type is an unreadable body (v3: 400/400,
 * as the reference answers an entity its JSON mapping cannot build);
 * whether the values make sense is for TopicAdmin to judge.
 */
final class AdminRequests {
  private AdminRequests() {}

  /** {@code {"topic_name", "partitions_count", "replication_factor", "configs":[{name,value}], "validate_only"}}. */
  static NewTopic newTopic(ObjectNode body) {
    JsonNode name = body.get("topic_name");
    if (name == null || name.isNull()) {
      throw new UnreadableBodyException("topic_name is required.");
    }
    if (!name.isTextual()) {
      throw new UnreadableBodyException("topic_name must be a string.");
    }
    List<ConfigValue> configs = new ArrayList<>();
    for (JsonNode entry : array(body, "configs")) {
      String configName = configName(entry, "configs");
      configs.add(new ConfigValue(configName, scalar(entry.get("value"), "configs[].value")));
    }
    return new NewTopic(
        name.textValue(),
        optionalInt(body, "partitions_count"),
        optionalInt(body, "replication_factor"),
        configs);
  }

  /** {@code {"data":[{"name","value","operation":"SET"|"DELETE"}], "validate_only"}}; no operation means SET. */
  static List<ConfigChange> configChanges(ObjectNode body) {
    if (!body.hasNonNull("data")) {
      throw new UnreadableBodyException("data is required: a list of {name, value, operation}.");
    }
    return changes(body, "data");
  }

  private static List<ConfigChange> changes(ObjectNode body, String field) {
    List<ConfigChange> changes = new ArrayList<>();
    for (JsonNode entry : array(body, field)) {
      String name = configName(entry, field);
      String value = scalar(entry.get("value"), field + "[].value");
      changes.add(new ConfigChange(name, operation(entry.get("operation")), value));
    }
    return changes;
  }

  /**
   * {@code {"data":[{"topic_name", "configs":[{name, value, operation}]}], "validate_only"}}: the
   * changes by topic; a topic named twice takes its last entry, as the reference does.
   */
  static Map<String, List<ConfigChange>> topicsConfigChanges(ObjectNode body) {
    if (!body.hasNonNull("data")) {
      throw new UnreadableBodyException("data is required: a list of {topic_name, configs}.");
    }
    Map<String, List<ConfigChange>> byTopic = new LinkedHashMap<>();
    for (JsonNode entry : array(body, "data")) {
      JsonNode topic = entry.get("topic_name");
      if (!entry.isObject() || topic == null || !topic.isTextual()) {
        throw new UnreadableBodyException("Every entry of data needs a \"topic_name\" string.");
      }
      byTopic.remove(topic.textValue());
      byTopic.put(topic.textValue(), changes((ObjectNode) entry, "configs"));
    }
    return byTopic;
  }

  /** {@code {"value": "…"}}, required (a JSON number or boolean is taken as its text). */
  static String configValue(ObjectNode body) {
    String value = scalar(body.get("value"), "value");
    if (value == null) {
      throw HttpStatusException.badRequest("value is required: {\"value\": \"...\"}.");
    }
    return value;
  }

  /** {@code {"partitions_count": N}}, required. */
  static int partitionsCount(ObjectNode body) {
    Integer count = optionalInt(body, "partitions_count");
    if (count == null) {
      throw new UnreadableBodyException("partitions_count is required.");
    }
    return count;
  }

  static boolean validateOnly(ObjectNode body) {
    JsonNode node = body.get("validate_only");
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw HttpStatusException.badRequest("validate_only must be true or false.");
    }
    return node.booleanValue();
  }

  private static Integer optionalInt(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isInt()) {
      throw new UnreadableBodyException(field + " must be an integer, got " + node + ".");
    }
    return node.intValue();
  }

  private static Iterable<JsonNode> array(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new UnreadableBodyException(field + " must be a list.");
    }
    return node;
  }

  private static String configName(JsonNode entry, String field) {
    JsonNode name = entry.get("name");
    if (!entry.isObject() || name == null || !name.isTextual()) {
      throw new UnreadableBodyException("Every entry of " + field + " needs a \"name\" string.");
    }
    return name.textValue();
  }

  /** A config value as Kafka holds it: a string; JSON numbers and booleans are taken as their text. */
  private static String scalar(JsonNode value, String field) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      throw new UnreadableBodyException(field + " must be a string, got " + value + ".");
    }
    return value.asText();
  }

  private static ConfigOperation operation(JsonNode node) {
    if (node == null || node.isNull()) {
      return ConfigOperation.SET;
    }
    // The REST Proxy's alter takes SET and DELETE only (APPEND and SUBTRACT are Kafka's).
    return switch (node.asText().toUpperCase(Locale.ROOT)) {
      case "SET" -> ConfigOperation.SET;
      case "DELETE" -> ConfigOperation.DELETE;
      default ->
        throw new UnreadableBodyException("operation must be SET or DELETE, got " + node + ".");
    };
  }
}
