package io.rowstream.http;

import static io.rowstream.http.ConsumerRequests.body;
import static io.rowstream.http.ConsumerRequests.caller;
import static io.rowstream.http.ConsumerRequests.generationId;
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
import io.rowstream.consumer.ConsumerService;
import io.rowstream.error.BrokerException;
import io.rowstream.group.Subscription;
import io.rowstream.log.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * REST Proxy v2 group membership and offsets, under {@code /consumers/{g}/instances/{i}}:
 * {@code POST|GET|DELETE subscription} and {@code POST|GET offsets}. JSON in and out only; the
 * rules live in {@link ConsumerService} and the group coordinator.
 */
final class ConsumerGroupRoutes {
  private static final String INSTANCE = "/consumers/{g}/instances/{i}";

  private final ConsumerService consumers;

  ConsumerGroupRoutes(ConsumerService consumers) {
    this.consumers = consumers;
  }

  void register(AuthorizedRoutes routes) {
    routes.post(
        INSTANCE + "/subscription",
        Rule.group(READ)
            .and(Rule.inService("READ on each topic of the body, on TOPIC * for a topic_pattern")),
        this::subscribe);
    routes.get(INSTANCE + "/subscription", Rule.group(READ), this::subscription);
    routes.delete(INSTANCE + "/subscription", Rule.group(READ), ctx -> {
      consumers.unsubscribe(caller(ctx), ctx.pathParam("g"), ctx.pathParam("i"));
      noContent(ctx);
    });
    routes.post(INSTANCE + "/offsets", Rule.group(READ), this::commit);
    routes.get(INSTANCE + "/offsets", Rule.group(READ), this::committed);
  }

  /** {@code {"topics":[…]}} or {@code {"topic_pattern":"…"}}. */
  private void subscribe(Context ctx) {
    ObjectNode body = body(ctx);
    List<String> topics = new ArrayList<>();
    for (JsonNode topic : list(body, "topics", false)) {
      if (!topic.isTextual()) {
        throw HttpStatusException.invalidPayload(
            "\"topics\" must be a list of topic names, got " + topic + ".");
      }
      topics.add(topic.textValue());
    }
    JsonNode pattern = body.get("topic_pattern");
    if (pattern != null && !pattern.isNull() && !pattern.isTextual()) {
      throw HttpStatusException.invalidPayload("\"topic_pattern\" must be a string.");
    }
    consumers.subscribe(
        caller(ctx),
        ctx.pathParam("g"),
        ctx.pathParam("i"),
        topics,
        pattern == null || pattern.isNull() ? null : pattern.textValue());
    noContent(ctx);
  }

  /**
   * {@code {"topics":[…]}}: the subscribed topics, or for a pattern those it matches now (as the
   * REST Proxy shows Kafka's {@code subscription()}), then also {@code "topic_pattern"}. A topic
   * the caller may not describe (any more) is left out.
   */
  private void subscription(Context ctx) {
    Subscription s = consumers.subscription(caller(ctx), ctx.pathParam("g"), ctx.pathParam("i"));
    ObjectNode out = Json.object();
    ArrayNode topics = out.putArray("topics");
    if (s != null) {
      Access access = Access.of(ctx);
      consumers.topicsOf(caller(ctx), s).stream()
          .filter(access::mayDescribeTopic)
          .forEach(topics::add);
    }
    if (s != null && s.byPattern()) {
      out.put("topic_pattern", s.pattern());
    }
    ctx.contentType(EmbeddedFormat.V2_JSON).result(out.toString());
  }

  /**
   * {@code {"offsets":[{"topic","partition","offset","metadata"}]}} with each partition's last
   * processed offset, or no offsets (empty body) for everything consumed; an optional
   * {@code "generation_id"}. Answers 200 with {@code []}, as the REST Proxy does.
   */
  private void commit(Context ctx) {
    ObjectNode body = body(ctx);
    List<ConsumerService.ProcessedOffset> offsets = null;
    JsonNode given = body.get("offsets");
    if (given != null && !given.isNull()) {
      offsets = new ArrayList<>();
      for (JsonNode entry : list(body, "offsets", true)) {
        JsonNode metadata = entry.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isTextual()) {
          throw HttpStatusException.invalidPayload("\"metadata\" must be a string: " + entry);
        }
        offsets.add(new ConsumerService.ProcessedOffset(
            partition(entry),
            longField(entry, "offset", "offsets"),
            metadata == null || metadata.isNull() ? null : metadata.textValue()));
      }
    }
    consumers.commit(
        caller(ctx), ctx.pathParam("g"), ctx.pathParam("i"), offsets, generationId(body));
    ctx.contentType(EmbeddedFormat.V2_JSON).result("[]");
  }

  /**
   * {@code {"partitions":[…]}} in the body (as the REST Proxy; absent: the partitions the instance
   * holds) → {@code {"offsets":[{"topic","partition","offset","metadata"}]}}, the offset being the
   * next to read; partitions without a commit, or of a topic the caller may not describe, are left out.
   * A listed partition of a topic the caller may not describe is answered as one of a topic that
   * does not exist, so that the answer tells nothing of it: after the checks such a topic would
   * meet first (the instance, the partitions listed before it), not found.
   */
  private void committed(Context ctx) {
    ObjectNode body = body(ctx);
    List<TopicPartition> asked = partitions(body, false);
    Access access = Access.of(ctx);
    for (int i = 0; i < asked.size(); i++) {
      if (!access.mayDescribeTopic(asked.get(i).topic())) {
        consumers.committed(
            caller(ctx), ctx.pathParam("g"), ctx.pathParam("i"), asked.subList(0, i), null);
        throw BrokerException.topicNotFound(asked.get(i).topic());
      }
    }
    var committed = consumers.committed(
        caller(ctx), ctx.pathParam("g"), ctx.pathParam("i"), asked, generationId(body));
    ObjectNode out = Json.object();
    ArrayNode array = out.putArray("offsets");
    for (var c : committed.stream()
        .filter(c -> access.mayDescribeTopic(c.partition().topic()))
        .toList()) {
      array
          .addObject()
          .put("topic", c.partition().topic())
          .put("partition", c.partition().partition())
          .put("offset", c.offset())
          .put("metadata", c.metadata());
    }
    ctx.contentType(EmbeddedFormat.V2_JSON).result(out.toString());
  }
}
