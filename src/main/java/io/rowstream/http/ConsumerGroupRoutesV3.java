package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.DESCRIBE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.group.Assignors;
import io.rowstream.group.GroupInspector;
import io.rowstream.group.GroupRow;
import io.rowstream.log.TopicPartition;
import io.rowstream.security.Acl;
import io.rowstream.services.BrokerServices;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * v3 consumer-group inspection: {@code GET /v3/clusters/{cid}/consumer-groups}, {@code …/{g}},
 * {@code …/{g}/consumers} (and {@code …/{c}}, {@code …/{c}/assignments}), {@code …/{g}/lags} (and
 * {@code …/{topic}/partitions/{p}}) and {@code …/{g}/lag-summary}. Lags come from the
 * {@code consumer_lag_overview} view, so they agree with psql. Any node coordinates any group,
 * so the coordinator reported is the node answering. Partitions and lags of topics the caller may
 * not describe are left out (see {@link GroupInspector}).
 */
final class ConsumerGroupRoutesV3 {
  private static final String GROUP = "/v3/clusters/{cid}/consumer-groups/{g}";

  private final V3Links links;
  private final GroupInspector groups;
  private final int nodeId;

  ConsumerGroupRoutesV3(BrokerServices services) {
    this.links = new V3Links(services.clusterId(), services.advertisedUrl());
    this.groups = services.groups();
    this.nodeId = services.nodeId();
  }

  void register(AuthorizedRoutes routes) {
    routes.get(
        "/v3/clusters/{cid}/consumer-groups",
        Rule.anyPrincipal(),
        links.inCluster(ctx -> ctx.json(V3Links.list(
            "KafkaConsumerGroupList",
            links.url(ctx, "/consumer-groups"),
            groups.groups().stream()
                .filter(g -> Access.of(ctx)
                    .permits(Acl.Operation.DESCRIBE, Acl.ResourceType.GROUP, g.name()))
                .map(g -> group(ctx, g))
                .toList()))));
    routes.get(
        GROUP, Rule.group(DESCRIBE), links.inCluster(ctx -> ctx.json(group(ctx, require(ctx)))));
    routes.get(GROUP + "/consumers", Rule.group(DESCRIBE), links.inCluster(this::consumers));
    routes.get(
        GROUP + "/consumers/{c}",
        Rule.group(DESCRIBE),
        links.inCluster(ctx -> ctx.json(consumer(ctx, require(ctx), member(ctx)))));
    routes.get(
        GROUP + "/consumers/{c}/assignments",
        Rule.group(DESCRIBE),
        links.inCluster(this::assignments));
    routes.get(
        GROUP + "/consumers/{c}/assignments/{t}/partitions/{p}",
        Rule.group(DESCRIBE),
        links.inCluster(this::assignment));
    routes.get(GROUP + "/lags", Rule.group(DESCRIBE), links.inCluster(this::lags));
    routes.get(
        GROUP + "/lags/{t}/partitions/{p}", Rule.group(DESCRIBE), links.inCluster(this::lag));
    routes.get(GROUP + "/lag-summary", Rule.group(DESCRIBE), links.inCluster(this::lagSummary));
  }

  private GroupRow require(Context ctx) {
    String name = ctx.pathParam("g");
    return groups
        .group(name)
        .orElseThrow(() -> ErrorResponses.notFound("Consumer group " + name + " not found."));
  }

  /** The group's members as the caller may see them: their partitions of topics it may describe. */
  private List<GroupInspector.MemberView> members(Context ctx, String group) {
    return groups.members(group, Access.of(ctx)::mayDescribeTopic);
  }

  /** The group's lags in the topics the caller may describe. */
  private List<GroupInspector.LagView> lags(Context ctx, String group) {
    return groups.lags(group, Access.of(ctx)::mayDescribeTopic);
  }

  private ObjectNode group(Context ctx, GroupRow g) {
    String path = "/consumer-groups/" + g.name();
    ObjectNode node = links.resource(
        "KafkaConsumerGroup", links.url(ctx, path), links.crn("/consumer-group=" + g.name()));
    node.put("consumer_group_id", g.name())
        .put("is_simple", false)
        .put("partition_assignor", Assignors.kafkaClassName(g.assignor()))
        .put("state", g.state())
        .put("type", g.type().kafkaName().toUpperCase(java.util.Locale.ROOT))
        .put("is_mixed_consumer_group", false)
        .put("generation_id", g.generation());
    node.set("coordinator", V3Links.related(links.url(ctx, "/brokers/" + nodeId)));
    node.set("consumers", V3Links.related(links.url(ctx, path + "/consumers")));
    node.set("lag_summary", V3Links.related(links.url(ctx, path + "/lag-summary")));
    return node;
  }

  private void consumers(Context ctx) {
    GroupRow g = require(ctx);
    List<ObjectNode> data =
        members(ctx, g.name()).stream().map(m -> consumer(ctx, g, m)).toList();
    ctx.json(V3Links.list(
        "KafkaConsumerList", links.url(ctx, "/consumer-groups/" + g.name() + "/consumers"), data));
  }

  /** The live member whose member id is the path's {@code {c}}; 404 when there is none. */
  private GroupInspector.MemberView member(Context ctx) {
    String id = ctx.pathParam("c");
    return members(ctx, ctx.pathParam("g")).stream()
        .filter(m -> m.memberId().equals(id))
        .findFirst()
        .orElseThrow(() -> ErrorResponses.notFound("Consumer " + id + " not found."));
  }

  private ObjectNode consumer(Context ctx, GroupRow g, GroupInspector.MemberView m) {
    String path = "/consumer-groups/" + g.name() + "/consumers/" + m.memberId();
    ObjectNode node = links.resource(
        "KafkaConsumer",
        links.url(ctx, path),
        links.crn("/consumer-group=" + g.name() + "/consumer=" + m.memberId()));
    node.put("consumer_group_id", g.name())
        .put("consumer_id", m.memberId())
        .put("instance_id", m.instanceId())
        .put("client_id", m.instanceId());
    var partitions = node.putArray("partitions");
    m.partitions()
        .forEach(tp -> partitions
            .addObject()
            .put("topic_name", tp.topic())
            .put("partition_id", tp.partition()));
    node.set("assignments", V3Links.related(links.url(ctx, path + "/assignments")));
    return node;
  }

  private void assignments(Context ctx) {
    GroupRow g = require(ctx);
    GroupInspector.MemberView m = member(ctx);
    String path = "/consumer-groups/" + g.name() + "/consumers/" + m.memberId() + "/assignments";
    Set<TopicPartition> committed = committedPartitions(ctx, g);
    List<ObjectNode> data =
        m.partitions().stream().map(tp -> assignment(ctx, g, m, tp, committed)).toList();
    ctx.json(V3Links.list("KafkaConsumerAssignmentList", links.url(ctx, path), data));
  }

  /** One partition of the member's assignment; 404 when it is not assigned that partition. */
  private void assignment(Context ctx) {
    GroupRow g = require(ctx);
    GroupInspector.MemberView m = member(ctx);
    String topic = ctx.pathParam("t");
    String partition = ctx.pathParam("p");
    ctx.json(m.partitions().stream()
        .filter(
            tp -> tp.topic().equals(topic) && partition.equals(Integer.toString(tp.partition())))
        .findFirst()
        .map(tp -> assignment(ctx, g, m, tp, committedPartitions(ctx, g)))
        .orElseThrow(() -> ErrorResponses.notFound(
            "Consumer " + m.memberId() + " is not assigned " + topic + "-" + partition + ".")));
  }

  /** The partitions in which the group has committed an offset: those whose lag resource exists. */
  private Set<TopicPartition> committedPartitions(Context ctx, GroupRow g) {
    return lags(ctx, g.name()).stream()
        .map(GroupInspector.LagView::partition)
        .collect(Collectors.toSet());
  }

  /**
   * One partition of a member's assignment. Its {@code lag} link is there only when the group has
   * committed an offset in the partition: lag is measured from the committed offset, and the lag
   * resource of a partition without one does not exist (404), so the link is left out rather than
   * pointing nowhere.
   */
  private ObjectNode assignment(
      Context ctx,
      GroupRow g,
      GroupInspector.MemberView m,
      TopicPartition tp,
      Set<TopicPartition> committed) {
    String self = "/consumer-groups/" + g.name() + "/consumers/" + m.memberId() + "/assignments/"
        + tp.topic() + "/partitions/" + tp.partition();
    ObjectNode node = links.resource(
        "KafkaConsumerAssignment",
        links.url(ctx, self),
        links.crn("/consumer-group=" + g.name() + "/consumer=" + m.memberId() + "/assignment="
            + tp.topic() + "/partition=" + tp.partition()));
    node.put("consumer_group_id", g.name())
        .put("consumer_id", m.memberId())
        .put("topic_name", tp.topic())
        .put("partition_id", tp.partition());
    node.set(
        "partition",
        V3Links.related(links.url(ctx, "/topics/" + tp.topic() + "/partitions/" + tp.partition())));
    if (committed.contains(tp)) {
      node.set(
          "lag",
          V3Links.related(links.url(
              ctx,
              "/consumer-groups/" + g.name() + "/lags/" + tp.topic() + "/partitions/"
                  + tp.partition())));
    }
    return node;
  }

  private void lags(Context ctx) {
    GroupRow g = require(ctx);
    List<ObjectNode> data =
        lags(ctx, g.name()).stream().map(l -> lag(ctx, g, l)).toList();
    ctx.json(V3Links.list(
        "KafkaConsumerLagList", links.url(ctx, "/consumer-groups/" + g.name() + "/lags"), data));
  }

  /**
   * One partition's lag; 404 when the group has committed nothing there, or when the caller may
   * not describe the topic (the same answer, so that it learns nothing of the topic).
   */
  private void lag(Context ctx) {
    GroupRow g = require(ctx);
    String topic = ctx.pathParam("t");
    String partition = ctx.pathParam("p");
    ctx.json(lags(ctx, g.name()).stream()
        .filter(l -> l.partition().topic().equals(topic)
            && partition.equals(Integer.toString(l.partition().partition())))
        .findFirst()
        .map(l -> lag(ctx, g, l))
        .orElseThrow(() -> ErrorResponses.notFound("Consumer group " + g.name()
            + " has no committed " + "offset in " + topic + "-" + partition + ".")));
  }

  private ObjectNode lag(Context ctx, GroupRow g, GroupInspector.LagView l) {
    String self = "/consumer-groups/" + g.name() + "/lags/" + l.partition().topic() + "/partitions/"
        + l.partition().partition();
    ObjectNode node = links.resource(
        "KafkaConsumerLag",
        links.url(ctx, self),
        links.crn("/consumer-group=" + g.name() + "/lag=" + l.partition().topic() + "/partition="
            + l.partition().partition()));
    return node.put("consumer_group_id", g.name())
        .put("topic_name", l.partition().topic())
        .put("partition_id", l.partition().partition())
        .put("current_offset", l.committedOffset())
        .put("log_end_offset", l.logEndOffset())
        .put("lag", l.lag())
        .put("consumer_id", l.memberId() == null ? "" : l.memberId())
        .put("instance_id", l.instanceId())
        .put("client_id", l.instanceId() == null ? "" : l.instanceId());
  }

  private void lagSummary(Context ctx) {
    GroupRow g = require(ctx);
    String path = "/consumer-groups/" + g.name() + "/lag-summary";
    GroupInspector.LagSummary summary =
        groups.lagSummary(g.name(), Access.of(ctx)::mayDescribeTopic);
    ObjectNode node = links.resource(
        "KafkaConsumerGroupLagSummary",
        links.url(ctx, path),
        links.crn("/consumer-group=" + g.name() + "/lag-summary"));
    node.put("consumer_group_id", g.name());
    var max = summary.max();
    node.put("max_lag_consumer_id", max.map(GroupInspector.LagView::memberId).orElse(null))
        .put("max_lag_instance_id", max.map(GroupInspector.LagView::instanceId).orElse(null))
        .put("max_lag_client_id", max.map(GroupInspector.LagView::instanceId).orElse(null))
        .put("max_lag_topic_name", max.map(l -> l.partition().topic()).orElse(null))
        .put("max_lag_partition_id", max.map(l -> l.partition().partition()).orElse(null))
        .put("max_lag", max.map(GroupInspector.LagView::lag).orElse(0L))
        .put("total_lag", summary.totalLag());
    if (max.isPresent()) {
      String memberId = max.get().memberId();
      node.set(
          "max_lag_consumer",
          memberId == null
              ? null
              : V3Links.related(
                  links.url(ctx, "/consumer-groups/" + g.name() + "/consumers/" + memberId)));
      node.set(
          "max_lag_partition",
          V3Links.related(links.url(
              ctx,
              "/topics/" + max.get().partition().topic() + "/partitions/"
                  + max.get().partition().partition())));
    } else {
      node.putNull("max_lag_consumer").putNull("max_lag_partition");
    }
    ctx.json(node);
  }
}
