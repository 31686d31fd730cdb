package io.rowstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.log.TopicPartition;
import io.rowstream.security.Caller;
import java.util.ArrayList;
import java.util.List;

/** Reading the v2 consumer endpoints' requests: the caller, and JSON bodies (partitions, lists, config values). */
final class ConsumerRequests {
  private ConsumerRequests() {}

  /** Who calls, as the consumer service checks it (ownership of instances, Read on topics). */
  static Caller caller(Context ctx) {
    return Access.of(ctx).caller();
  }

  static ObjectNode body(Context ctx) {
    return Json.parseObject(ctx.bodyAsBytes());
  }

  /** {@code "partitions":[{"topic","partition"}]}; required for an assignment, may be empty or absent for a seek. */
  static List<TopicPartition> partitions(ObjectNode body, boolean required) {
    List<TopicPartition> out = new ArrayList<>();
    for (JsonNode entry : list(body, "partitions", required)) {
      out.add(partition(entry));
    }
    return out;
  }

  static List<JsonNode> list(ObjectNode body, String field, boolean required) {
    JsonNode array = body.get(field);
    if (array == null || array.isNull()) {
      if (required) {
        throw HttpStatusException.invalidPayload("The request needs a \"" + field + "\" array.");
      }
      return List.of();
    }
    if (!array.isArray()) {
      throw HttpStatusException.invalidPayload("\"" + field + "\" must be an array.");
    }
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  static TopicPartition partition(JsonNode entry) {
    JsonNode topic = entry.get("topic");
    JsonNode partition = entry.get("partition");
    if (topic == null
        || !topic.isTextual()
        || partition == null
        || !partition.isIntegralNumber()
        || !partition.canConvertToInt()) {
      throw HttpStatusException.invalidPayload(
          "A partition is {\"topic\": <string>, \"partition\": <integer>}, got " + entry + ".");
    }
    return new TopicPartition(topic.textValue(), partition.intValue());
  }

  /** The integer {@code field} of an entry; 42206 when it is missing or not an integer. */
  static long longField(JsonNode entry, String field, String list) {
    JsonNode value = entry.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw HttpStatusException.invalidPayload(
          "Every entry of \"" + list + "\" needs an integer \"" + field + "\": " + entry);
    }
    return value.longValue();
  }

  /** The optional {@code generation_id} (a Rowstream addition): a client's own fence on commits. */
  static Integer generationId(ObjectNode body) {
    JsonNode value = body.get("generation_id");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw HttpStatusException.invalidPayload(
          "\"generation_id\" must be an integer, got " + value + ".");
    }
    return value.intValue();
  }

  /** A config value as REST Proxy takes it: a string, or a number or boolean written as one. */
  static String config(ObjectNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  static void noContent(Context ctx) {
    ctx.status(204).contentType(EmbeddedFormat.V2_JSON);
  }
}
