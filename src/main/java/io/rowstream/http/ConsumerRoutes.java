package io.rowstream.http;

import static io.rowstream.http.ConsumerRequests.body;
import static io.rowstream.http.ConsumerRequests.caller;
import static io.rowstream.http.ConsumerRequests.config;
import static io.rowstream.http.ConsumerRequests.list;
import static io.rowstream.http.ConsumerRequests.longField;
import static io.rowstream.http.ConsumerRequests.noContent;
import static io.rowstream.http.ConsumerRequests.partition;
import static io.rowstream.http.ConsumerRequests.partitions;
import static io.rowstream.security.Acl.Operation.READ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.consumer.ConsumerInstance;
import io.rowstream.consumer.ConsumerService;
import io.rowstream.consumer.NewConsumer;
import io.rowstream.log.FetchMemoryBudget;
import io.rowstream.log.TopicPartition;
import io.rowstream.security.Caller;
import io.rowstream.security.Principal;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * REST Proxy v2 consumer instances: {@code POST /consumers/{g}}, and under
 * {@code /consumers/{g}/instances/{i}}: {@code DELETE}, {@code assignments}, {@code positions}
 * ({@code /beginning}, {@code /end}) and {@code records}; subscriptions and offsets are
 * {@link ConsumerGroupRoutes}. JSON in and out only; the rules live in {@link ConsumerService}.
 */
final class ConsumerRoutes {
  private static final String INSTANCE = "/consumers/{g}/instances/{i}";

  private final ConsumerService consumers;
  private final Optional<String> advertisedUrl;
  private final EdgeLimits limits;

  ConsumerRoutes(ConsumerService consumers, Optional<String> advertisedUrl, EdgeLimits limits) {
    this.limits = limits;
    this.consumers = consumers;
    this.advertisedUrl = advertisedUrl;
  }

  void register(AuthorizedRoutes routes) {
    // Every call of an instance needs Read on its group. The consumer service applies the rest, for
    // every door: only the instance's owner (or a super user) finds it, choosing topics needs Read
    // on each, and Read is checked again on every read, commit and seek.
    routes.post("/consumers/{g}", Rule.group(READ), this::create);
    routes.delete(INSTANCE, Rule.group(READ), ctx -> {
      consumers.delete(caller(ctx), ctx.pathParam("g"), ctx.pathParam("i"));
      noContent(ctx);
    });
    routes.post(
        INSTANCE + "/assignments",
        Rule.group(READ).and(Rule.inService("READ on each topic of the body")),
        ctx -> {
          consumers.assign(
              caller(ctx), ctx.pathParam("g"), ctx.pathParam("i"), partitions(body(ctx), true));
          noContent(ctx);
        });
    routes.get(INSTANCE + "/assignments", Rule.group(READ), this::assignments);
    routes.post(INSTANCE + "/positions", Rule.group(READ), this::seek);
    routes.post(INSTANCE + "/positions/beginning", Rule.group(READ), ctx -> {
      consumers.seekToBeginning(
          caller(ctx), ctx.pathParam("g"), ctx.pathParam("i"), partitions(body(ctx), false));
      noContent(ctx);
    });
    routes.post(INSTANCE + "/positions/end", Rule.group(READ), ctx -> {
      consumers.seekToEnd(
          caller(ctx), ctx.pathParam("g"), ctx.pathParam("i"), partitions(body(ctx), false));
      noContent(ctx);
    });
    routes.get(INSTANCE + "/records", Rule.group(READ), this::records);
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
        firstNonNull(config(body, "consumer.request.timeout.ms"), config(body, "requestWaitMs")),
        config(body, "session.timeout.ms"),
        config(body, "partition.assignment.strategy"));
    ConsumerInstance instance = consumers.create(caller(ctx), group, request);
    String base = PublicUrl.base(ctx, advertisedUrl);
    ObjectNode out = Json.object()
        .put("instance_id", instance.id())
        .put(
            "base_uri",
            base + "/consumers/" + segment(group) + "/instances/" + segment(instance.id()));
    ctx.contentType(EmbeddedFormat.V2_JSON).result(out.toString());
  }

  private void assignments(Context ctx) {
    ObjectNode out = Json.object();
    ArrayNode array = out.putArray("partitions");
    for (TopicPartition tp :
        consumers.assignment(caller(ctx), ctx.pathParam("g"), ctx.pathParam("i"))) {
      array.addObject().put("topic", tp.topic()).put("partition", tp.partition());
    }
    ctx.contentType(EmbeddedFormat.V2_JSON).result(out.toString());
  }

  private void seek(Context ctx) {
    ObjectNode body = body(ctx);
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    for (JsonNode entry : list(body, "offsets", false)) {
      offsets.put(partition(entry), longField(entry, "offset", "offsets"));
    }
    Map<TopicPartition, Long> times = new LinkedHashMap<>();
    for (JsonNode entry : list(body, "timestamps", false)) {
      times.put(partition(entry), timestamp(entry));
    }
    String group = ctx.pathParam("g");
    String id = ctx.pathParam("i");
    if (!times.isEmpty()) {
      consumers.seekToTimestamps(caller(ctx), group, id, times);
    }
    if (!offsets.isEmpty() || times.isEmpty()) {
      consumers.seek(caller(ctx), group, id, offsets);
    }
    noContent(ctx);
  }

  private void records(Context ctx) throws IOException {
    Long timeout = Params.optionalLong(ctx, "timeout", 0);
    long maxBytes = Math.min(
        Params.longParam(ctx, "max_bytes", 1, PartitionRecordsRoutes.DEFAULT_MAX_BYTES),
        PartitionRecordsRoutes.MAX_MAX_BYTES);
    Caller caller = caller(ctx);
    ConsumerInstance instance = consumers.observe(caller, ctx.pathParam("g"), ctx.pathParam("i"));
    EmbeddedFormat format = RecordsWriter.acceptedFormat(
        ctx.header("Accept"),
        EmbeddedFormat.valueOf(instance.format().name()),
        instance.format().configName());
    Principal principal = caller.principal();
    limits.checkFetchQuota(principal);
    try (FetchMemoryBudget.Reservation memory = limits.reserveFetchBytes(maxBytes)) {
      RecordsWriter.Rendered rendered;
      try (EdgeLimits.Slot slot = limits.longPoll()) {
        rendered = consumers.read(
            caller,
            instance,
            timeout == null ? null : Duration.ofMillis(timeout),
            memory.bytes(),
            batches -> {
              batches.forEach(b -> limits.fetched(principal, b.topic(), b.records()));
              return RecordsWriter.render(
                  format,
                  batches.stream()
                      .map(b -> new RecordsWriter.Batch(b.topic(), b.partition(), b.records()))
                      .toList());
            });
      }
      rendered.write(ctx);
    }
  }

  /** A seek's {@code "timestamp"}: ISO-8601 as the REST Proxy takes it, or ms since the epoch. */
  private static long timestamp(JsonNode entry) {
    JsonNode value = entry.get("timestamp");
    if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value != null && value.isTextual()) {
      try {
        return OffsetDateTime.parse(value.textValue()).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        // refused below
      }
    }
    throw HttpStatusException.invalidPayload(
        "Every entry of \"timestamps\" needs a \"timestamp\", ISO-8601 "
            + "(2026-01-31T12:00:00Z) or ms since the epoch: " + entry);
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
