package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.DELETE;
import static io.rowstream.security.Acl.Operation.READ;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.group.GroupAdmin;
import io.rowstream.group.GroupOffsetResets;
import io.rowstream.services.BrokerServices;
import java.util.List;

/**
 * Changes to a consumer group over v3: {@code DELETE /v3/clusters/{cid}/consumer-groups/{g}} (a
 * Rowstream addition: Kafka's DeleteGroups, {@link GroupAdmin#delete}; 204, or 409 / 409 while a
 * member is live) and {@code POST /v3/clusters/{cid}/consumer-groups/{g}/offsets:reset}
 * (a Rowstream addition: {@code kafka-consumer-groups.sh --reset-offsets} over HTTP, see
 * {@link GroupOffsetResets}), answered with the offsets stored (or, with {@code dry_run}, those that
 * would be) as a {@code KafkaConsumerGroupOffsetResetList}.
 */
final class ConsumerGroupAdminRoutesV3 {
  private static final String GROUP = "/v3/clusters/{cid}/consumer-groups/{g}";

  private final V3Links links;
  private final GroupOffsetResets resets;
  private final GroupAdmin admin;

  ConsumerGroupAdminRoutesV3(BrokerServices services) {
    this.links = new V3Links(services.clusterId(), services.advertisedUrl());
    this.resets = services.groupOffsetResets();
    this.admin = services.groupAdmin();
  }

  void register(AuthorizedRoutes routes) {
    routes.delete(GROUP, Rule.group(DELETE), links.inCluster(ctx -> {
      admin.delete(Access.of(ctx).caller(), ctx.pathParam("g"));
      ctx.status(204);
    }));
    routes.post(
        GROUP + "/offsets:reset",
        Rule.group(READ), // and READ on each topic, checked by the service once it knows them
        links.inCluster(this::reset));
  }

  private void reset(Context ctx) {
    String group = ctx.pathParam("g");
    OffsetResetRequests request = OffsetResetRequests.parse(Json.parseObject(ctx.bodyAsBytes()));
    List<GroupOffsetResets.ResetOffset> reset = resets.reset(
        Access.of(ctx).caller(), group, request.topic(), request.target(), request.dryRun());
    List<ObjectNode> data = reset.stream()
        .map(r -> Json.object()
            .put("consumer_group_id", group)
            .put("topic_name", r.partition().topic())
            .put("partition_id", r.partition().partition())
            .put("offset", r.offset()))
        .toList();
    ObjectNode list = V3Links.list(
        "KafkaConsumerGroupOffsetResetList",
        links.url(ctx, "/consumer-groups/" + group + "/offsets:reset"),
        data);
    list.put("dry_run", request.dryRun());
    ctx.json(list);
  }
}
