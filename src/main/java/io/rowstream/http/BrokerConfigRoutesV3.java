package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.ALTER_CONFIGS;
import static io.rowstream.security.Acl.Operation.DESCRIBE_CONFIGS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.services.BrokerServices;
import io.rowstream.topic.BrokerConfigs;
import io.rowstream.topic.BrokerSynonym;
import io.rowstream.topic.ClusterDefaults;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicAdmin.ConfigChange;
import io.rowstream.topic.TopicAdmin.ConfigOperation;
import java.util.List;

/**
 * v3 cluster-wide broker configs, as the REST Proxy serves Kafka's dynamic default broker configs:
 * each is the cluster-wide default of a topic config ({@code log.segment.bytes} for
 * {@code segment.bytes}, …). {@code GET …/broker-configs} lists every one Rowstream knows, sorted by
 * name (DYNAMIC_DEFAULT_BROKER_CONFIG when set, else DEFAULT_CONFIG with the built-in value);
 * {@code GET|PUT|DELETE …/broker-configs/{name}} and {@code POST …/broker-configs:alter} (all or
 * nothing) change them (204). Unknown names and illegal values are 400/40002, nothing written.
 */
final class BrokerConfigRoutesV3 {
  private static final String CONFIGS = "/v3/clusters/{cid}/broker-configs";

  private final V3Links links;
  private final TopicAdmin admin;

  BrokerConfigRoutesV3(BrokerServices services) {
    this.links = new V3Links(services.clusterId(), services.advertisedUrl());
    this.admin = services.topicAdmin();
  }

  void register(AuthorizedRoutes routes) {
    // Cluster-wide defaults of topic configs (Kafka's dynamic default broker configs): a cluster
    // resource.
    routes.get(CONFIGS, Rule.cluster(DESCRIBE_CONFIGS), links.inCluster(this::listConfigs));
    routes.get(
        CONFIGS + "/{name}", Rule.cluster(DESCRIBE_CONFIGS), links.inCluster(this::getConfig));
    routes.put(CONFIGS + "/{name}", Rule.cluster(ALTER_CONFIGS), links.inCluster(this::setConfig));
    routes.delete(
        CONFIGS + "/{name}", Rule.cluster(ALTER_CONFIGS), links.inCluster(this::deleteConfig));
    routes.post(
        CONFIGS + ":alter", Rule.cluster(ALTER_CONFIGS), links.inCluster(this::alterConfigs));
  }

  private void listConfigs(Context ctx) {
    ClusterDefaults defaults = admin.clusterDefaults();
    List<ObjectNode> data =
        BrokerConfigs.sortedByName().stream().map(c -> config(ctx, defaults, c)).toList();
    ctx.json(V3Links.list("KafkaClusterConfigList", links.url(ctx, "/broker-configs"), data));
  }

  private void getConfig(Context ctx) {
    String name = ctx.pathParam("name");
    BrokerSynonym config = BrokerConfigs.byName(name)
        .orElseThrow(() -> ErrorResponses.notFound("Broker config " + name + " not found."));
    ctx.json(config(ctx, admin.clusterDefaults(), config));
  }

  private void setConfig(Context ctx) {
    String value = AdminRequests.configValue(Json.parseObject(ctx.bodyAsBytes()));
    admin.alterClusterDefaults(
        List.of(new ConfigChange(ctx.pathParam("name"), ConfigOperation.SET, value)), false);
    ctx.status(204);
  }

  private void deleteConfig(Context ctx) {
    admin.alterClusterDefaults(
        List.of(new ConfigChange(ctx.pathParam("name"), ConfigOperation.DELETE, null)), false);
    ctx.status(204);
  }

  private void alterConfigs(Context ctx) {
    ObjectNode body = Json.parseObject(ctx.bodyAsBytes());
    admin.alterClusterDefaults(AdminRequests.configChanges(body), AdminRequests.validateOnly(body));
    ctx.status(204);
  }

  private ObjectNode config(Context ctx, ClusterDefaults defaults, BrokerSynonym config) {
    String name = config.name();
    ObjectNode node = links
        .resource(
            "KafkaClusterConfig",
            links.url(ctx, "/broker-configs/" + name),
            links.crn("/broker-config=" + name))
        .put("config_type", "BROKER");
    return V3Configs.fill(
        node, name, defaults.value(config), defaults.source(config), defaults.synonyms(config));
  }
}
