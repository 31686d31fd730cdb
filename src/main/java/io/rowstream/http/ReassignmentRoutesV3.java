package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.DESCRIBE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.cluster.PartitionLeaders;
import io.rowstream.cluster.PartitionLeaders.Reassignment;
import io.rowstream.services.BrokerServices;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicService;
import java.util.List;

/**
 * v3 replica reassignments in progress ({@link PartitionLeaders#reassignments}): of the cluster
 * ({@code GET …/topics/-/partitions/-/reassignment}), of a topic ({@code …/topics/{t}/partitions/-/reassignment})
 * and of a partition ({@code …/topics/{t}/partitions/{p}/reassignment}). The lists hold only
 * partitions whose replicas are changing. A partition's own reassignment always exists, so that the
 * {@code reassignment} link every partition carries resolves: with nothing changing it answers 200
 * with empty {@code adding_replicas} and {@code removing_replicas} (the reference answers 404 then).
 */
final class ReassignmentRoutesV3 {
  private static final String TOPICS = "/v3/clusters/{cid}/topics";

  private final V3Links links;
  private final TopicService topics;
  private final PartitionLeaders leaders;

  ReassignmentRoutesV3(BrokerServices services) {
    this.links = new V3Links(services.clusterId(), services.advertisedUrl());
    this.topics = services.topics();
    this.leaders = services.leaders();
  }

  /** Registers the routes; the {@code -} wildcards before the routes whose parameter they would match. */
  void register(AuthorizedRoutes routes) {
    // Describe on the cluster, as Kafka's ListPartitionReassignments.
    routes.get(
        TOPICS + "/-/partitions/-/reassignment",
        Rule.cluster(DESCRIBE),
        links.inCluster(ctx -> ctx.json(
            list(ctx, "/topics/-/partitions/-/reassignment", leaders.reassignments(null)))));
    routes.get(
        TOPICS + "/{t}/partitions/-/reassignment",
        Rule.cluster(DESCRIBE),
        links.inCluster(this::ofTopic));
    routes.get(
        TOPICS + "/{t}/partitions/{p}/reassignment",
        Rule.cluster(DESCRIBE),
        links.inCluster(this::ofPartition));
  }

  private void ofTopic(Context ctx) {
    Topic topic = topics.require(ctx.pathParam("t"));
    ctx.json(list(
        ctx,
        "/topics/" + topic.name() + "/partitions/-/reassignment",
        leaders.reassignments(topic.name())));
  }

  private void ofPartition(Context ctx) {
    int p = Params.partition(ctx);
    Topic topic = topics.require(ctx.pathParam("t"));
    topics.partition(topic, p);
    ctx.json(leaders.reassignments(topic.name()).stream()
        .filter(r -> r.partition() == p)
        .findFirst()
        .map(r -> reassignment(ctx, r))
        .orElseGet(
            () -> reassignment(ctx, new Reassignment(topic.name(), p, List.of(), List.of()))));
  }

  private ObjectNode list(Context ctx, String path, List<Reassignment> reassignments) {
    return V3Links.list(
        "KafkaReassignmentList",
        links.url(ctx, path),
        reassignments.stream().map(r -> reassignment(ctx, r)).toList());
  }

  private ObjectNode reassignment(Context ctx, Reassignment r) {
    String partition = ReplicaRoutesV3.partitionPath(r.topic(), r.partition());
    ObjectNode node = links
        .resource(
            "KafkaReassignment",
            links.url(ctx, partition + "/reassignment"),
            links.crn("/topic=" + r.topic() + "/partition=" + r.partition() + "/reassignment"))
        .put("topic_name", r.topic())
        .put("partition_id", r.partition());
    r.adding().forEach(node.putArray("adding_replicas")::add);
    r.removing().forEach(node.putArray("removing_replicas")::add);
    node.set("replicas", V3Links.related(links.url(ctx, partition + "/replicas")));
    return node;
  }
}
