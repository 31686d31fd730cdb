package io.rowstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rowstream.consumer.AssignedPartition;
import io.rowstream.consumer.ConsumerInstance;
import io.rowstream.consumer.ConsumerInstanceConfig;
import io.rowstream.consumer.ConsumerService;
import io.rowstream.consumer.PolledPartition;
import io.rowstream.consumer.TopicPartitionRef;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** REST Proxy v2 consumer instances: create, delete, assignments, positions, records. */
final class ConsumerRoutes {
  private static final String INSTANCE = "/consumers/{g}/instances/{i}";

  private final ConsumerService consumers;
  private final Optional<String> advertisedUrl;

  ConsumerRoutes(ConsumerService consumers, Optional<String> advertisedUrl) {
    this.consumers = consumers;
    this.advertisedUrl = advertisedUrl;
  }

  void register(RoutesConfig routes) {
    routes.post("/consumers/{g}", this::create);
    routes.delete(INSTANCE, ctx -> {
      consumers.delete(ctx.pathParam("g"), ctx.pathParam("i"));
      ctx.status(204);
    });
    routes.post(INSTANCE + "/assignments", ctx -> {
      consumers.assign(ctx.pathParam("g"), ctx.pathParam("i"), partitions(Json.parseObject(ctx.bodyAsBytes())));
      ctx.status(204);
    });
    routes.get(INSTANCE + "/assignments", this::assignments);
    routes.post(INSTANCE + "/positions", this::seek);
    routes.post(INSTANCE + "/positions/beginning", ctx -> seekToEdge(ctx, true));
    routes.post(INSTANCE + "/positions/end", ctx -> seekToEdge(ctx, false));
    routes.get(INSTANCE + "/records", this::records);
  }

  private void create(Context ctx) {
    String group = ctx.pathParam("g");
    ObjectNode body = Json.parseObject(ctx.bodyAsBytes());
    ConsumerInstanceConfig defaults = ConsumerInstanceConfig.defaults();
    ConsumerInstanceConfig config = new ConsumerInstanceConfig(
        text(body, "format", defaults.format()),
        text(body, "auto.offset.reset", defaults.autoOffsetReset()),
        bool(body, "auto.commit.enable", defaults.autoCommitEnable()),
        integer(body, "fetch.min.bytes", defaults.fetchMinBytes()),
        integer(body, "consumer.request.timeout.ms", defaults.requestTimeoutMs()));
    Optional<String> name = body.hasNonNull("name") ? Optional.of(body.get("name").asText()) : Optional.empty();
    ConsumerInstance instance = consumers.create(group, name, config);
    String base = advertisedUrl.orElseGet(() -> ctx.scheme() + "://" + ctx.host());
    ObjectNode out = Json.object().put("instance_id", instance.id()).put("base_uri", base + "/consumers/"
        + encode(group) + "/instances/" + encode(instance.id()));
    ctx.contentType(EmbeddedFormat.V2_JSON).result(out.toString());
  }

  private void assignments(Context ctx) {
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("partitions");
    for (AssignedPartition a : consumers.assignment(ctx.pathParam("g"), ctx.pathParam("i"))) {
      list.addObject().put("topic", a.topic()).put("partition", a.partition());
    }
    ctx.contentType(EmbeddedFormat.V2_JSON).result(out.toString());
  }

  private void seek(Context ctx) {
    JsonNode offsets = Json.parseObject(ctx.bodyAsBytes()).get("offsets");
    if (offsets == null || !offsets.isArray()) {
      throw HttpStatusException.invalidPayload("The request must hold an \"offsets\" array of {topic, partition, offset}.");
    }
    Map<TopicPartitionRef, Long> positions = new LinkedHashMap<>();
    for (JsonNode o : offsets) {
      JsonNode offset = o.get("offset");
      if (offset == null || !offset.isIntegralNumber() || offset.longValue() < 0) {
        throw HttpStatusException.invalidPayload("Every offset must be a non-negative integer, got " + o + ".");
      }
      positions.put(partition(o), offset.longValue());
    }
    consumers.seek(ctx.pathParam("g"), ctx.pathParam("i"), positions);
    ctx.status(204);
  }

  private void seekToEdge(Context ctx, boolean beginning) {
    consumers.seekToEdge(ctx.pathParam("g"), ctx.pathParam("i"), partitions(Json.parseObject(ctx.bodyAsBytes())),
        beginning);
    ctx.status(204);
  }

  private void records(Context ctx) throws IOException {
    String group = ctx.pathParam("g");
    String id = ctx.pathParam("i");
    Long timeoutMs = Params.optionalLong(ctx, "timeout", 0);
    long maxBytes = Math.min(Params.longParam(ctx, "max_bytes", 1, PartitionRecordsRoutes.DEFAULT_MAX_BYTES),
        PartitionRecordsRoutes.MAX_MAX_BYTES);
    EmbeddedFormat accepted = RecordsWriter.acceptedFormat(ctx.header("Accept"));
    EmbeddedFormat format = EmbeddedFormat.ofConfigName(consumers.require(group, id).config().format());
    if (accepted != format) {
      throw new HttpStatusException(406, 40601, "Consumer instance " + id + " reads the " + format.configName()
          + " format; accept " + format.mediaType() + ".");
    }
    Duration timeout = timeoutMs == null || timeoutMs == 0 ? null
        : Duration.ofMillis(Math.min(timeoutMs, PartitionRecordsRoutes.MAX_TIMEOUT_MS));
    ConsumerService.Poll poll = consumers.poll(group, id, maxBytes, timeout);
    List<RecordsWriter.Batch> batches = new ArrayList<>();
    for (PolledPartition p : poll.partitions()) {
      batches.add(new RecordsWriter.Batch(p.topic(), p.key().partition(), p.records()));
    }
    List<RecordsWriter.Rendered> rendered = RecordsWriter.render(format, batches);
    consumers.advance(poll);
    RecordsWriter.write(ctx, format.mediaType(), rendered);
  }

  private static List<TopicPartitionRef> partitions(ObjectNode body) {
    JsonNode partitions = body.get("partitions");
    if (partitions == null || !partitions.isArray()) {
      throw HttpStatusException.invalidPayload("The request must hold a \"partitions\" array of {topic, partition}.");
    }
    List<TopicPartitionRef> out = new ArrayList<>();
    for (JsonNode p : partitions) {
      out.add(partition(p));
    }
    return out;
  }

  private static TopicPartitionRef partition(JsonNode p) {
    JsonNode topic = p.get("topic");
    JsonNode partition = p.get("partition");
    if (topic == null || !topic.isTextual() || partition == null || !partition.isIntegralNumber()
        || !partition.canConvertToInt()) {
      throw HttpStatusException.invalidPayload("Every partition must be {\"topic\": <name>, \"partition\": <number>}, got "
          + p + ".");
    }
    return new TopicPartitionRef(topic.textValue(), partition.intValue());
  }

  private static String text(ObjectNode body, String field, String fallback) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? fallback : node.asText();
  }

  private static boolean bool(ObjectNode body, String field, boolean fallback) {
    String value = text(body, field, Boolean.toString(fallback));
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ConsumerInstanceConfig.invalid(field + " must be true or false, got '" + value + "'");
    };
  }

  private static int integer(ObjectNode body, String field, int fallback) {
    String value = text(body, field, Integer.toString(fallback));
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ConsumerInstanceConfig.invalid(field + " must be an integer, got '" + value + "'");
    }
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
