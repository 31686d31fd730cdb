package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.ALTER;
import static io.rowstream.security.Acl.Operation.DELETE;
import static io.rowstream.security.Acl.Operation.DESCRIBE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.cluster.PartitionLeaders;
import io.rowstream.cluster.PartitionLeaders.Leadership;
import io.rowstream.log.LogSegments;
import io.rowstream.log.LogSegments.PartitionSize;
import io.rowstream.security.Acl;
import io.rowstream.services.BrokerServices;
import io.rowstream.topic.PartitionState;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * v3 topics and partitions under {@code /v3/clusters/{cid}}: list, create, get, delete and grow
 * topics ({@code PATCH …/topics/{t}} as the reference, and the Rowstream addition
 * {@code POST …/topics/{t}/partitions}, both answering 200 with the topic); list and get partitions,
 * and a partition's earliest and latest offsets ({@code …/partitions/{p}/offset}). A partition
 * also reports, as Rowstream additions, its leader epoch, log start and end offsets and size.
 */
final class TopicRoutesV3 {
  private static final String TOPICS = "/v3/clusters/{cid}/topics";
  /** The one offset_type the reference knows, and its default. */
  private static final String EARLIEST_AND_LATEST = "earliest_and_latest";

  private final V3Links links;
  private final TopicService topics;
  private final TopicAdmin admin;
  private final PartitionLeaders leaders;
  private final LogSegments segments;

  TopicRoutesV3(BrokerServices services) {
    this.links = new V3Links(services.clusterId(), services.advertisedUrl());
    this.topics = services.topics();
    this.admin = services.topicAdmin();
    this.leaders = services.leaders();
    this.segments = services.segments();
  }

  void register(AuthorizedRoutes routes) {
    routes.get(TOPICS, Rule.anyPrincipal(), links.inCluster(this::listTopics));
    routes.post(
        TOPICS,
        Rule.inService("CREATE on the cluster, or on the topic the body names"),
        links.inCluster(this::createTopic));
    routes.get(
        TOPICS + "/{t}",
        Rule.topic(DESCRIBE),
        links.inCluster(ctx -> ctx.json(topic(ctx, topics.require(ctx.pathParam("t"))))));
    routes.delete(TOPICS + "/{t}", Rule.topic(DELETE), links.inCluster(this::deleteTopic));
    routes.patch(TOPICS + "/{t}", Rule.topic(ALTER), links.inCluster(this::addPartitions));
    routes.get(
        TOPICS + "/{t}/partitions", Rule.topic(DESCRIBE), links.inCluster(this::listPartitions));
    routes.post(
        TOPICS + "/{t}/partitions", Rule.topic(ALTER), links.inCluster(this::addPartitions));
    routes.get(
        TOPICS + "/{t}/partitions/{p}", Rule.topic(DESCRIBE), links.inCluster(this::getPartition));
    routes.get(
        TOPICS + "/{t}/partitions/{p}/offset",
        Rule.topic(DESCRIBE),
        links.inCluster(this::getPartitionOffsets));
  }

  private void listTopics(Context ctx) {
    List<ObjectNode> data = topics.list().stream()
        .filter(
            t -> Access.of(ctx).permits(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, t.name()))
        .map(t -> topic(ctx, t))
        .toList();
    ctx.json(V3Links.list("KafkaTopicList", links.url(ctx, "/topics"), data));
  }

  /** 201 with the topic and its URL in {@code Location}; 200 with the would-be topic for {@code validate_only}. */
  private void createTopic(Context ctx) {
    ObjectNode body = Json.parseObject(ctx.bodyAsBytes());
    boolean validateOnly = AdminRequests.validateOnly(body);
    Topic topic = admin.create(Access.of(ctx).caller(), AdminRequests.newTopic(body), validateOnly);
    ObjectNode response = topic(ctx, topic);
    if (!validateOnly) {
      ctx.status(201).header("Location", response.get("metadata").get("self").asText());
    }
    ctx.json(response);
  }

  private void deleteTopic(Context ctx) {
    admin.delete(ctx.pathParam("t"));
    ctx.status(204);
  }

  private void addPartitions(Context ctx) {
    String name = ctx.pathParam("t");
    int count = AdminRequests.partitionsCount(Json.parseObject(ctx.bodyAsBytes()));
    ctx.json(topic(ctx, admin.addPartitions(name, count)));
  }

  private void listPartitions(Context ctx) {
    Topic topic = topics.require(ctx.pathParam("t"));
    String partitionsUrl =
        links.url(ctx, topicPath(topic) + "/partitions"); // once, not per partition
    List<PartitionState> states = topics.partitions(topic);
    List<Leadership> leaderships = leaders.of(states);
    Map<Integer, PartitionSize> sizes = segments.sizes(topic.id());
    List<ObjectNode> data = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      data.add(partition(partitionsUrl, topic, leaderships.get(i), states.get(i), sizes));
    }
    ctx.json(V3Links.list("KafkaPartitionList", partitionsUrl, data));
  }

  private void getPartition(Context ctx) {
    int p = Params.partition(ctx);
    Topic topic = topics.require(ctx.pathParam("t"));
    PartitionState state = topics.partition(topic, p);
    ctx.json(partition(
        links.url(ctx, topicPath(topic) + "/partitions"),
        topic,
        leaders.of(state),
        state,
        segments.sizes(topic.id())));
  }

  /** {@code KafkaPartitionWithOffsets}: the log start offset and the log end offset (Kafka's earliest and latest). */
  private void getPartitionOffsets(Context ctx) {
    String offsetType = ctx.queryParam("offset_type");
    if (offsetType != null && !offsetType.equals(EARLIEST_AND_LATEST)) {
      throw new HttpStatusException(
          HttpError.V3_BAD_REQUEST,
          "offset_type:" + offsetType + " is invalid; the only one is " + EARLIEST_AND_LATEST
              + ".");
    }
    int p = Params.partition(ctx);
    Topic topic = topics.require(ctx.pathParam("t"));
    PartitionState state = topics.partition(topic, p);
    String path = topicPath(topic) + "/partitions/" + p;
    ctx.json(links
        .resource(
            "KafkaPartitionWithOffsets",
            links.url(ctx, path + "/offset"),
            links.crn("/topic=" + topic.name() + "/partition=" + p + "/offset"))
        .put("topic_name", topic.name())
        .put("partition_id", p)
        .put("earliest_offset", state.logStartOffset())
        .put("latest_offset", state.logEndOffset()));
  }

  private ObjectNode topic(Context ctx, Topic topic) {
    String path = topicPath(topic);
    ObjectNode node = links
        .resource("KafkaTopic", links.url(ctx, path), links.crn("/topic=" + topic.name()))
        .put("topic_name", topic.name())
        .put("is_internal", false)
        .put("replication_factor", topic.replicationFactor())
        .put("partitions_count", topic.partitionCount());
    node.set("partitions", V3Links.related(links.url(ctx, path + "/partitions")));
    node.set("configs", V3Links.related(links.url(ctx, path + "/configs")));
    node.set(
        "partition_reassignments",
        V3Links.related(links.url(ctx, path + "/partitions/-/reassignment")));
    node.putArray("authorized_operations");
    return node;
  }

  /**
   * A {@code KafkaPartition} ({@code partitionsUrl} is its topic's partitions URL), with the
   * Rowstream additions {@code leader_epoch}, {@code log_start_offset}, {@code log_end_offset},
   * {@code size_bytes} (of its record batches) and {@code segments_count}, and a link to its
   * {@code segments} ({@link SegmentRoutesV3}).
   */
  private ObjectNode partition(
      String partitionsUrl,
      Topic topic,
      Leadership leadership,
      PartitionState state,
      Map<Integer, PartitionSize> sizes) {
    String url = partitionsUrl + "/" + leadership.partition();
    ObjectNode node = links
        .resource(
            "KafkaPartition",
            url,
            links.crn("/topic=" + topic.name() + "/partition=" + leadership.partition()))
        .put("topic_name", topic.name())
        .put("partition_id", leadership.partition());
    if (leadership.leader() == PartitionLeaders.NO_LEADER) {
      node.putNull("leader");
    } else {
      node.set("leader", V3Links.related(url + "/replicas/" + leadership.leader()));
    }
    node.set("replicas", V3Links.related(url + "/replicas"));
    node.set("reassignment", V3Links.related(url + "/reassignment"));
    PartitionSize size = sizes.getOrDefault(leadership.partition(), PartitionSize.EMPTY);
    node.put("leader_epoch", state.leaderEpoch())
        .put("log_start_offset", state.logStartOffset())
        .put("log_end_offset", state.logEndOffset())
        .put("size_bytes", size.sizeBytes())
        .put("segments_count", size.segments());
    node.set("segments", V3Links.related(url + "/segments"));
    return node;
  }

  private static String topicPath(Topic topic) {
    return "/topics/" + topic.name();
  }
}
