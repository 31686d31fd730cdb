package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.DESCRIBE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.cluster.BrokerInfo;
import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.cluster.PartitionLeaders;
import io.rowstream.cluster.PartitionLeaders.Leadership;
import io.rowstream.cluster.PartitionLeaders.Replica;
import io.rowstream.security.Acl;
import io.rowstream.services.BrokerServices;
import io.rowstream.topic.PartitionState;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicConfig;
import io.rowstream.topic.TopicService;

/**
 * REST Proxy v2 metadata: {@code GET /topics}, {@code /topics/{t}}, {@code /topics/{t}/partitions},
 * {@code /topics/{t}/partitions/{p}}, {@code /topics/{t}/partitions/{p}/offsets} and {@code /brokers}.
 */
final class MetadataRoutesV2 {
  private final TopicService topics;
  private final PartitionLeaders leaders;
  private final BrokerRegistry brokers;

  MetadataRoutesV2(BrokerServices services) {
    this.topics = services.topics();
    this.leaders = services.leaders();
    this.brokers = services.brokers();
  }

  void register(AuthorizedRoutes routes) {
    // Listings show only what the caller may describe; brokers are open to every principal, as
    // Kafka's metadata is.
    routes.get("/topics", Rule.anyPrincipal(), this::listTopics);
    routes.get("/topics/{t}", Rule.topic(DESCRIBE), this::getTopic);
    routes.get("/topics/{t}/partitions", Rule.topic(DESCRIBE), this::listPartitions);
    routes.get("/topics/{t}/partitions/{p}", Rule.topic(DESCRIBE), this::getPartition);
    routes.get("/topics/{t}/partitions/{p}/offsets", Rule.topic(DESCRIBE), this::getOffsets);
    routes.get("/brokers", Rule.anyPrincipal(), this::listBrokers);
  }

  private void listTopics(Context ctx) {
    ArrayNode names = Json.MAPPER.createArrayNode();
    Access access = Access.of(ctx);
    topics.list().stream()
        .map(Topic::name)
        .filter(name -> access.permits(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, name))
        .forEach(names::add);
    respond(ctx, names);
  }

  /**
   * The topic, its configs and partitions. The configs need {@code DESCRIBE_CONFIGS} (as v3's
   * {@code …/configs}); without it {@code "configs"} is an empty object, the shape clients expect.
   */
  private void getTopic(Context ctx) {
    Topic topic = topics.require(ctx.pathParam("t"));
    ObjectNode body = Json.object().put("name", topic.name());
    ObjectNode configs = body.putObject("configs");
    if (Access.of(ctx)
        .permits(Acl.Operation.DESCRIBE_CONFIGS, Acl.ResourceType.TOPIC, topic.name())) {
      for (TopicConfig config : TopicConfig.sortedByName()) {
        configs.put(config.kafkaName(), topic.config(config));
      }
    }
    body.set("partitions", partitions(topic));
    respond(ctx, body);
  }

  private void listPartitions(Context ctx) {
    respond(ctx, partitions(topics.require(ctx.pathParam("t"))));
  }

  private void getPartition(Context ctx) {
    int p = Params.partition(ctx);
    Topic topic = topics.require(ctx.pathParam("t"));
    respond(ctx, partition(leaders.of(topics.partition(topic, p))));
  }

  private void getOffsets(Context ctx) {
    int p = Params.partition(ctx);
    PartitionState state = topics.partition(topics.require(ctx.pathParam("t")), p);
    respond(
        ctx,
        Json.object()
            .put("beginning_offset", state.logStartOffset())
            .put("end_offset", state.logEndOffset()));
  }

  /** The ids of the live brokers. */
  private void listBrokers(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode ids = body.putArray("brokers");
    brokers.liveBrokers().stream().map(BrokerInfo::nodeId).forEach(ids::add);
    respond(ctx, body);
  }

  private ArrayNode partitions(Topic topic) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    leaders.of(topics.partitions(topic)).forEach(l -> array.add(partition(l)));
    return array;
  }

  private static ObjectNode partition(Leadership leadership) {
    ObjectNode node =
        Json.object().put("partition", leadership.partition()).put("leader", leadership.leader());
    ArrayNode replicas = node.putArray("replicas");
    for (Replica r : leadership.replicas()) {
      replicas
          .addObject()
          .put("broker", r.broker())
          .put("leader", r.leader())
          .put("in_sync", r.inSync());
    }
    return node;
  }

  private static void respond(Context ctx, JsonNode body) {
    ctx.contentType(EmbeddedFormat.V2_JSON).result(body.toString());
  }
}
