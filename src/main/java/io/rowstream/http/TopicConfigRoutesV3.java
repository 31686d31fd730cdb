package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.ALTER_CONFIGS;
import static io.rowstream.security.Acl.Operation.DESCRIBE_CONFIGS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.security.Acl;
import io.rowstream.services.BrokerServices;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicConfig;
import io.rowstream.topic.TopicService;
import java.util.List;

/**
 * v3 topic configs: {@code GET …/topics/{t}/configs} (every config Rowstream knows, sorted by name),
 * {@code GET|PUT|DELETE …/topics/{t}/configs/{name}} (PUT {@code {"value"}} sets an override, DELETE
 * resets to the default, both 204), {@code POST …/topics/{t}/configs:alter} (204), and
 * {@code GET …/topics/-/configs}: the configs of every topic the caller may DESCRIBE_CONFIGS, by
 * topic then config name, and {@code POST …/topics/-/configs:alter} (several topics, all or none,
 * 204). The {@code -} routes are registered first, so they win over a topic named "-".
 * A config is DYNAMIC_TOPIC_CONFIG when the topic overrides it, else DYNAMIC_DEFAULT_BROKER_CONFIG
 * when the cluster-wide default ({@link BrokerConfigRoutesV3}) is set, else DEFAULT_CONFIG; its
 * synonyms list those levels as Kafka does.
 */
final class TopicConfigRoutesV3 {
  private static final String CONFIGS = "/v3/clusters/{cid}/topics/{t}/configs";
  private static final String ALL_TOPICS_CONFIGS = "/v3/clusters/{cid}/topics/-/configs";

  private final V3Links links;
  private final TopicService topics;
  private final TopicAdmin admin;

  TopicConfigRoutesV3(BrokerServices services) {
    this.links = new V3Links(services.clusterId(), services.advertisedUrl());
    this.topics = services.topics();
    this.admin = services.topicAdmin();
  }

  void register(AuthorizedRoutes routes) {
    // Every topic's configs: the listing shows only topics the caller may DESCRIBE_CONFIGS.
    routes.get(
        ALL_TOPICS_CONFIGS, Rule.anyPrincipal(), links.inCluster(this::listAllTopicsConfigs));
    routes.post(
        ALL_TOPICS_CONFIGS + ":alter",
        Rule.inService("ALTER_CONFIGS on every topic the body names"),
        links.inCluster(this::alterAllTopicsConfigs));
    routes.get(CONFIGS, Rule.topic(DESCRIBE_CONFIGS), links.inCluster(this::listConfigs));
    routes.get(CONFIGS + "/{name}", Rule.topic(DESCRIBE_CONFIGS), links.inCluster(this::getConfig));
    routes.put(CONFIGS + "/{name}", Rule.topic(ALTER_CONFIGS), links.inCluster(this::setConfig));
    routes.delete(
        CONFIGS + "/{name}", Rule.topic(ALTER_CONFIGS), links.inCluster(this::resetConfig));
    routes.post(CONFIGS + ":alter", Rule.topic(ALTER_CONFIGS), links.inCluster(this::alterConfigs));
  }

  private void listConfigs(Context ctx) {
    Topic topic = topics.require(ctx.pathParam("t"));
    List<ObjectNode> data =
        TopicConfig.sortedByName().stream().map(c -> config(ctx, topic, c)).toList();
    ctx.json(V3Links.list(
        "KafkaTopicConfigList", links.url(ctx, "/topics/" + topic.name() + "/configs"), data));
  }

  private void listAllTopicsConfigs(Context ctx) {
    Access access = Access.of(ctx);
    List<ObjectNode> data = topics.list().stream()
        .filter(
            t -> access.permits(Acl.Operation.DESCRIBE_CONFIGS, Acl.ResourceType.TOPIC, t.name()))
        .flatMap(t -> TopicConfig.sortedByName().stream().map(c -> config(ctx, t, c)))
        .toList();
    ctx.json(V3Links.list("KafkaTopicConfigList", links.url(ctx, "/topics/-/configs"), data));
  }

  private void getConfig(Context ctx) {
    Topic topic = topics.require(ctx.pathParam("t"));
    ctx.json(config(ctx, topic, TopicAdmin.config(topic.name(), ctx.pathParam("name"))));
  }

  private void setConfig(Context ctx) {
    String value = AdminRequests.configValue(Json.parseObject(ctx.bodyAsBytes()));
    admin.setConfig(ctx.pathParam("t"), ctx.pathParam("name"), value);
    ctx.status(204);
  }

  private void resetConfig(Context ctx) {
    admin.resetConfig(ctx.pathParam("t"), ctx.pathParam("name"));
    ctx.status(204);
  }

  private void alterAllTopicsConfigs(Context ctx) {
    ObjectNode body = Json.parseObject(ctx.bodyAsBytes());
    admin.alterConfigs(
        Access.of(ctx).caller(),
        AdminRequests.topicsConfigChanges(body),
        AdminRequests.validateOnly(body));
    ctx.status(204);
  }

  private void alterConfigs(Context ctx) {
    ObjectNode body = Json.parseObject(ctx.bodyAsBytes());
    admin.alterConfigs(
        ctx.pathParam("t"), AdminRequests.configChanges(body), AdminRequests.validateOnly(body));
    ctx.status(204);
  }

  private ObjectNode config(Context ctx, Topic topic, TopicConfig config) {
    String name = config.kafkaName();
    ObjectNode node = links
        .resource(
            "KafkaTopicConfig",
            links.url(ctx, "/topics/" + topic.name() + "/configs/" + name),
            links.crn("/topic=" + topic.name() + "/config=" + name))
        .put("topic_name", topic.name());
    return V3Configs.fill(
        node, name, topic.config(config), topic.source(config), topic.synonyms(config));
  }
}
