package io.rowstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rowstream.consumer.ConsumerInstance;
import io.rowstream.consumer.ConsumerService;
import io.rowstream.consumer.NewConsumer;
import io.rowstream.consumer.TopicPartition;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * REST Proxy v2 consumer instances with manual assignment: {@code POST /consumers/{g}}, and under
 * {@code /consumers/{g}/instances/{i}}: {@code DELETE}, {@code assignments}, {@code positions}
 * ({@code /beginning}, {@code /end}) and {@code records}. JSON in and out only; the rules live in
 * {@link ConsumerService}.
 */
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
      noContent(ctx);
    });
    routes.post(INSTANCE + "/assignments", ctx -> {
      consumers.assign(ctx.pathParam("g"), ctx.pathParam("i"), partitions(body(ctx), true));
      noContent(ctx);
    });
    routes.get(INSTANCE + "/assignments", this::assignments);
    routes.post(INSTANCE + "/positions", this::seek);
    routes.post(INSTANCE + "/positions/beginning", ctx -> {
      consumers.seekToBeginning(ctx.pathParam("g"), ctx.pathParam("i"), partitions(body(ctx), false));
      noContent(ctx);
    });
    routes.post(INSTANCE + "/positions/end", ctx -> {
      consumers.seekToEnd(ctx.pathParam("g"), ctx.pathParam("i"), partitions(body(ctx), false));
      noContent(ctx);
    });
    routes.get(INSTANCE + "/records", this::records);
  }

  private void create(Context ctx) {
    String group = ctx.pathParam("g");
    ObjectNode body = body(ctx);
    String name = config(body, "id");
    NewConsumer request = new NewConsumer(
        name != null ? name : config(body, "name"),
        config(body, "format"),
        config(body, "auto.offset.reset"),
        config(body, "auto.commit.enable"),
        firstNonNull(config(body, "fetch.min.bytes"), config(body, "responseMinBytes")),
        firstNonNull(config(body, "consumer.request.timeout.ms"), config(body, "requestWaitMs")));
    ConsumerInstance instance = consumers.create(group, request);
    String base = PublicUrl.base(ctx, advertisedUrl);
    ObjectNode out = Json.object()
        .put("instance_id", instance.id())
        .put("base_uri", base + "/consumers/" + segment(group) + "/instances/" + segment(instance.id()));
    ctx.contentType(EmbeddedFormat.V2_JSON).result(out.toString());
  }

  private void assignments(Context ctx) {
    ObjectNode out = Json.object();
    ArrayNode array = out.putArray("partitions");
    for (TopicPartition tp : consumers.assignment(ctx.pathParam("g"), ctx.pathParam("i"))) {
      array.addObject().put("topic", tp.topic()).put("partition", tp.partition());
    }
    ctx.contentType(EmbeddedFormat.V2_JSON).result(out.toString());
  }

  private void seek(Context ctx) {
    ObjectNode body = body(ctx);
    JsonNode timestamps = body.get("timestamps");
    if (timestamps != null && !timestamps.isNull() && !timestamps.isEmpty()) {
      throw HttpStatusException.invalidPayload("Seeking by timestamp is not supported yet: give \"offsets\".");
    }
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    for (JsonNode entry : list(body, "offsets", false)) {
      JsonNode offset = entry.get("offset");
      if (offset == null || !offset.canConvertToLong() || !offset.isIntegralNumber()) {
        throw HttpStatusException.invalidPayload("Every entry of \"offsets\" needs an integer \"offset\": " + entry);
      }
      offsets.put(partition(entry), offset.longValue());
    }
    consumers.seek(ctx.pathParam("g"), ctx.pathParam("i"), offsets);
    noContent(ctx);
  }

  private void records(Context ctx) throws IOException {
    String accept = ctx.header("Accept");
    EmbeddedFormat asked = RecordsWriter.acceptedFormat(accept);
    Long timeout = Params.optionalLong(ctx, "timeout", 0);
    long maxBytes = Math.min(Params.longParam(ctx, "max_bytes", 1, PartitionRecordsRoutes.DEFAULT_MAX_BYTES),
        PartitionRecordsRoutes.MAX_MAX_BYTES);
    ConsumerInstance instance = consumers.instance(ctx.pathParam("g"), ctx.pathParam("i"));
    EmbeddedFormat format = EmbeddedFormat.valueOf(instance.format().name());
    // An Accept that names no embedded format (absent, */*, application/json) takes the instance's.
    if (accept != null && accept.contains("application/vnd.kafka.") && asked != format) {
      throw new HttpStatusException(406, 40601, "The requested embedded data format does not match the "
          + "deserializer for this consumer instance: it reads " + instance.format().configName()
          + ", so Accept " + format.mediaType() + ".");
    }
    RecordsWriter.Rendered rendered = consumers.read(instance, timeout == null ? null : Duration.ofMillis(timeout),
        maxBytes, batches -> RecordsWriter.render(format, batches.stream()
            .map(b -> new RecordsWriter.Batch(b.topic(), b.partition(), b.records())).toList()));
    rendered.write(ctx);
  }

  private static ObjectNode body(Context ctx) {
    return Json.parseObject(ctx.bodyAsBytes());
  }

  /** {@code "partitions":[{"topic","partition"}]}; required for an assignment, may be empty or absent for a seek. */
  private static List<TopicPartition> partitions(ObjectNode body, boolean required) {
    List<TopicPartition> out = new ArrayList<>();
    for (JsonNode entry : list(body, "partitions", required)) {
      out.add(partition(entry));
    }
    return out;
  }

  private static List<JsonNode> list(ObjectNode body, String field, boolean required) {
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

  private static TopicPartition partition(JsonNode entry) {
    JsonNode topic = entry.get("topic");
    JsonNode partition = entry.get("partition");
    if (topic == null || !topic.isTextual() || partition == null || !partition.isIntegralNumber()
        || !partition.canConvertToInt()) {
      throw HttpStatusException.invalidPayload(
          "A partition is {\"topic\": <string>, \"partition\": <integer>}, got " + entry + ".");
    }
    return new TopicPartition(topic.textValue(), partition.intValue());
  }

  /** A config value as REST Proxy takes it: a string, or a number or boolean written as one. */
  private static String config(ObjectNode body, String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void noContent(Context ctx) {
    ctx.status(204).contentType(EmbeddedFormat.V2_JSON);
  }
}
