package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.DESCRIBE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.cluster.PartitionLeaders;
import io.rowstream.cluster.PartitionLeaders.Replica;
import io.rowstream.services.BrokerServices;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicService;
import java.util.List;

/**
 * v3 replicas, from the {@code replica_state} rows the controller keeps ({@link PartitionLeaders}):
 * {@code GET …/topics/{t}/partitions/{p}/replicas}, {@code …/replicas/{broker_id}} (404 when the
 * broker holds no replica of the partition) and {@code GET …/brokers/{broker_id}/partition-replicas}
 * (404 for an unknown broker; partitions of topics the caller may not describe are left out).
 */
final class ReplicaRoutesV3 {
  private static final String REPLICAS = "/v3/clusters/{cid}/topics/{t}/partitions/{p}/replicas";

  private final V3Links links;
  private final TopicService topics;
  private final PartitionLeaders leaders;
  private final BrokerRegistry brokers;

  ReplicaRoutesV3(BrokerServices services) {
    this.links = new V3Links(services.clusterId(), services.advertisedUrl());
    this.topics = services.topics();
    this.leaders = services.leaders();
    this.brokers = services.brokers();
  }

  void register(AuthorizedRoutes routes) {
    // Replicas are topic metadata (Kafka's DescribeTopics): a broker's list keeps the topics the
    // caller may describe.
    routes.get(REPLICAS, Rule.topic(DESCRIBE), links.inCluster(this::listReplicas));
    routes.get(REPLICAS + "/{id}", Rule.topic(DESCRIBE), links.inCluster(this::getReplica));
    routes.get(
        "/v3/clusters/{cid}/brokers/{id}/partition-replicas",
        Rule.anyPrincipal(),
        links.inCluster(this::replicasOnBroker));
  }

  private List<Replica> replicas(Topic topic, int partition) {
    return leaders.of(topics.partition(topic, partition)).replicas();
  }

  private void listReplicas(Context ctx) {
    int p = Params.partition(ctx);
    Topic topic = topics.require(ctx.pathParam("t"));
    List<ObjectNode> data =
        replicas(topic, p).stream().map(r -> replica(ctx, topic.name(), p, r)).toList();
    ctx.json(V3Links.list(
        "KafkaReplicaList", links.url(ctx, partitionPath(topic.name(), p) + "/replicas"), data));
  }

  private void getReplica(Context ctx) {
    int p = Params.partition(ctx);
    Topic topic = topics.require(ctx.pathParam("t"));
    String id = ctx.pathParam("id");
    ctx.json(replicas(topic, p).stream()
        .filter(r -> String.valueOf(r.broker()).equals(id))
        .findFirst()
        .map(r -> replica(ctx, topic.name(), p, r))
        .orElseThrow(() -> ErrorResponses.notFound(
            "Broker " + id + " holds no replica of " + topic.name() + "-" + p + ".")));
  }

  private void replicasOnBroker(Context ctx) {
    int broker = ClusterRoutesV3.requireBroker(brokers, ctx.pathParam("id")).nodeId();
    Access access = Access.of(ctx);
    List<ObjectNode> data = leaders.onBroker(broker).stream()
        .filter(r -> access.mayDescribeTopic(r.topic()))
        .map(r -> replica(ctx, r.topic(), r.partition(), r.replica()))
        .toList();
    ctx.json(V3Links.list(
        "KafkaReplicaList", links.url(ctx, "/brokers/" + broker + "/partition-replicas"), data));
  }

  private ObjectNode replica(Context ctx, String topic, int partition, Replica replica) {
    String self = partitionPath(topic, partition) + "/replicas/" + replica.broker();
    ObjectNode node = links
        .resource(
            "KafkaReplica",
            links.url(ctx, self),
            links.crn(
                "/topic=" + topic + "/partition=" + partition + "/replica=" + replica.broker()))
        .put("topic_name", topic)
        .put("partition_id", partition)
        .put("broker_id", replica.broker())
        .put("is_leader", replica.leader())
        .put("is_in_sync", replica.inSync());
    node.set("broker", V3Links.related(links.url(ctx, "/brokers/" + replica.broker())));
    return node;
  }

  static String partitionPath(String topic, int partition) {
    return "/topics/" + topic + "/partitions/" + partition;
  }
}
