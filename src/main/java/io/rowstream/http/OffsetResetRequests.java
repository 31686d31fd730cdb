package io.rowstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rowstream.group.GroupOffsetResets.ResetOffset;
import io.rowstream.group.GroupOffsetResets.Target;
import io.rowstream.log.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the body of {@code POST …/consumer-groups/{g}/offsets:reset}: {@code {"strategy":
 * "earliest"|"latest"|"timestamp"|"offsets", "timestamp": <epoch ms>, "offsets": [{"topic_name",
 * "partition_id", "offset"}], "topic_name": "…", "dry_run": true|false}}. A body that is not this
 * shape is a bad request (400 / 40002); whether the offsets fit the logs is the service's to judge.
 */
record OffsetResetRequests(Target target, Optional<String> topic, boolean dryRun) {

  static OffsetResetRequests parse(ObjectNode body) {
    String strategy = text(body, "strategy")
        .orElseThrow(() -> HttpStatusException.badRequest(
            "strategy is required: earliest, latest, timestamp or offsets."));
    Target target = switch (strategy) {
      case "earliest" -> new Target.Earliest();
      case "latest" -> new Target.Latest();
      case "timestamp" -> new Target.AtTime(timestamp(body));
      case "offsets" -> new Target.Offsets(offsets(body));
      default ->
        throw HttpStatusException.badRequest("strategy must be earliest, latest, timestamp or"
            + " offsets, got '" + strategy + "'.");
    };
    Optional<String> topic = text(body, "topic_name");
    if (topic.isPresent() && target instanceof Target.Offsets) {
      throw HttpStatusException.badRequest(
          "topic_name limits earliest, latest and timestamp; the offsets strategy names its"
              + " partitions in offsets.");
    }
    JsonNode dryRun = body.get("dry_run");
    if (dryRun != null && !dryRun.isNull() && !dryRun.isBoolean()) {
      throw HttpStatusException.badRequest("dry_run must be true or false.");
    }
    return new OffsetResetRequests(target, topic, dryRun != null && dryRun.asBoolean());
  }

  private static long timestamp(ObjectNode body) {
    JsonNode node = body.get("timestamp");
    if (node == null || !node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
      throw HttpStatusException.badRequest(
          "strategy timestamp needs \"timestamp\": milliseconds since the epoch, 0 or more.");
    }
    return node.asLong();
  }

  private static List<ResetOffset> offsets(ObjectNode body) {
    JsonNode node = body.get("offsets");
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw HttpStatusException.badRequest("strategy offsets needs \"offsets\": a list of"
          + " {\"topic_name\", \"partition_id\", \"offset\"}, one at least.");
    }
    List<ResetOffset> offsets = new ArrayList<>();
    for (JsonNode entry : node) {
      JsonNode topic = entry.get("topic_name");
      JsonNode partition = entry.get("partition_id");
      JsonNode offset = entry.get("offset");
      if (topic == null
          || !topic.isTextual()
          || partition == null
          || !partition.isInt()
          || offset == null
          || !offset.isIntegralNumber()
          || !offset.canConvertToLong()) {
        throw HttpStatusException.badRequest("Every entry of offsets needs \"topic_name\" (a"
            + " string), \"partition_id\" and \"offset\" (integers), got " + entry + ".");
      }
      offsets.add(new ResetOffset(
          new TopicPartition(topic.textValue(), partition.intValue()), offset.asLong()));
    }
    return offsets;
  }

  private static Optional<String> text(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw HttpStatusException.badRequest(field + " must be a string, got " + node + ".");
    }
    return Optional.of(node.textValue());
  }
}
