package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.ALTER_CONFIGS;
import static io.rowstream.security.Acl.Operation.DESCRIBE_CONFIGS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.cluster.BrokerInfo;
import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.services.BrokerServices;
import io.rowstream.topic.BrokerConfigs;
import io.rowstream.topic.BrokerSynonym;
import io.rowstream.topic.ClusterDefaults;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicAdmin.ConfigChange;
import io.rowstream.topic.TopicAdmin.ConfigOperation;
import java.util.ArrayList;
import java.util.List;

/**
 * v3 configs of one broker ({@code …/brokers/{id}/configs}, {@code …/configs/{name}}) and of every
 * broker ({@code …/brokers/-/configs}). Rowstream keeps no config per broker: every broker applies
 * the cluster-wide defaults ({@link BrokerConfigRoutesV3}), so each broker reports those, marked
 * read-only, and a change named for one broker ({@code PUT}, {@code DELETE}, {@code :alter}) is
 * refused with 400 / 40002 after its names and values are checked ({@link TopicAdmin#refuseBrokerConfigChange}).
 * An unknown broker is 404; an unknown config name 404 on a read.
 */
final class BrokerConfigsByIdRoutesV3 {
  private static final String BROKERS = "/v3/clusters/{cid}/brokers";

  private final V3Links links;
  private final TopicAdmin admin;
  private final BrokerRegistry brokers;

  BrokerConfigsByIdRoutesV3(BrokerServices services) {
    this.links = new V3Links(services.clusterId(), services.advertisedUrl());
    this.admin = services.topicAdmin();
    this.brokers = services.brokers();
  }

  /** Registers the routes; {@code brokers/-} before the routes whose {@code {id}} it would match. */
  void register(AuthorizedRoutes routes) {
    // The cluster defaults again: a cluster resource.
    routes.get(
        BROKERS + "/-/configs", Rule.cluster(DESCRIBE_CONFIGS), links.inCluster(this::listAll));
    routes.get(
        BROKERS + "/{id}/configs", Rule.cluster(DESCRIBE_CONFIGS), links.inCluster(this::list));
    routes.post(
        BROKERS + "/{id}/configs:alter", Rule.cluster(ALTER_CONFIGS), links.inCluster(this::alter));
    routes.get(
        BROKERS + "/{id}/configs/{name}",
        Rule.cluster(DESCRIBE_CONFIGS),
        links.inCluster(this::get));
    routes.put(
        BROKERS + "/{id}/configs/{name}", Rule.cluster(ALTER_CONFIGS), links.inCluster(this::set));
    routes.delete(
        BROKERS + "/{id}/configs/{name}",
        Rule.cluster(ALTER_CONFIGS),
        links.inCluster(this::reset));
  }

  private int broker(Context ctx) {
    return ClusterRoutesV3.requireBroker(brokers, ctx.pathParam("id")).nodeId();
  }

  private void listAll(Context ctx) {
    ClusterDefaults defaults = admin.clusterDefaults();
    List<ObjectNode> data = new ArrayList<>();
    for (BrokerInfo b : brokers.brokers()) {
      BrokerConfigs.sortedByName().forEach(c -> data.add(config(ctx, b.nodeId(), defaults, c)));
    }
    ctx.json(V3Links.list("KafkaBrokerConfigList", links.url(ctx, "/brokers/-/configs"), data));
  }

  private void list(Context ctx) {
    int broker = broker(ctx);
    ClusterDefaults defaults = admin.clusterDefaults();
    List<ObjectNode> data = BrokerConfigs.sortedByName().stream()
        .map(c -> config(ctx, broker, defaults, c))
        .toList();
    ctx.json(V3Links.list(
        "KafkaBrokerConfigList", links.url(ctx, "/brokers/" + broker + "/configs"), data));
  }

  private void get(Context ctx) {
    int broker = broker(ctx);
    String name = ctx.pathParam("name");
    BrokerSynonym config = BrokerConfigs.byName(name)
        .orElseThrow(() ->
            ErrorResponses.notFound("Config " + name + " of broker " + broker + " not found."));
    ctx.json(config(ctx, broker, admin.clusterDefaults(), config));
  }

  private void set(Context ctx) {
    int broker = broker(ctx);
    String value = AdminRequests.configValue(Json.parseObject(ctx.bodyAsBytes()));
    admin.refuseBrokerConfigChange(
        broker, List.of(new ConfigChange(ctx.pathParam("name"), ConfigOperation.SET, value)));
  }

  private void reset(Context ctx) {
    admin.refuseBrokerConfigChange(
        broker(ctx),
        List.of(new ConfigChange(ctx.pathParam("name"), ConfigOperation.DELETE, null)));
  }

  private void alter(Context ctx) {
    int broker = broker(ctx);
    admin.refuseBrokerConfigChange(
        broker, AdminRequests.configChanges(Json.parseObject(ctx.bodyAsBytes())));
  }

  private ObjectNode config(
      Context ctx, int broker, ClusterDefaults defaults, BrokerSynonym config) {
    String name = config.name();
    ObjectNode node = links.resource(
        "KafkaBrokerConfig",
        links.url(ctx, "/brokers/" + broker + "/configs/" + name),
        links.crn("/broker=" + broker + "/config=" + name));
    node.put("broker_id", broker);
    return V3Configs.fill(
            node, name, defaults.value(config), defaults.source(config), defaults.synonyms(config))
        .put("is_read_only", true);
  }
}
