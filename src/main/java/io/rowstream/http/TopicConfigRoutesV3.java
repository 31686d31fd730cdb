package io.rowstream.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rowstream.BrokerServices;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicConfig;
import io.rowstream.topic.TopicStore;
import java.util.List;

/**
 * v3 topic configs: {@code GET …/topics/{t}/configs} (every config Rowstream knows, sorted by name),
 * {@code GET …/topics/{t}/configs/{name}} and {@code POST …/topics/{t}/configs:alter} (204).
 * A config is DYNAMIC_TOPIC_CONFIG when the topic overrides it, else DYNAMIC_DEFAULT_BROKER_CONFIG
 * when the cluster-wide default ({@link BrokerConfigRoutesV3}) is set, else DEFAULT_CONFIG; its
 * synonyms list those levels as Kafka does.
 */
final class TopicConfigRoutesV3 {
  private static final String CONFIGS = "/v3/clusters/{cid}/topics/{t}/configs";

  private final V3Links links;
  private final TopicStore topics;
  private final TopicAdmin admin;

  TopicConfigRoutesV3(BrokerServices services) {
    this.links = new V3Links(services.clusterId(), services.advertisedUrl());
    this.topics = services.topics();
    this.admin = services.topicAdmin();
  }

  void register(RoutesConfig routes) {
    routes.get(CONFIGS, links.inCluster(this::listConfigs));
    routes.get(CONFIGS + "/{name}", links.inCluster(this::getConfig));
    routes.post(CONFIGS + ":alter", links.inCluster(this::alterConfigs));
  }

  private void listConfigs(Context ctx) {
    Topic topic = topics.require(ctx.pathParam("t"));
    List<ObjectNode> data = TopicConfig.sortedByName().stream().map(c -> config(ctx, topic, c)).toList();
    ctx.json(V3Links.list("KafkaTopicConfigList", links.url(ctx, "/topics/" + topic.name() + "/configs"), data));
  }

  private void getConfig(Context ctx) {
    Topic topic = topics.require(ctx.pathParam("t"));
    String name = ctx.pathParam("name");
    TopicConfig config = TopicConfig.byName(name).orElseThrow(() ->
        ErrorResponses.notFound("Config " + name + " of topic " + topic.name() + " not found."));
    ctx.json(config(ctx, topic, config));
  }

  private void alterConfigs(Context ctx) {
    ObjectNode body = Json.parseObject(ctx.bodyAsBytes());
    admin.alterConfigs(ctx.pathParam("t"), AdminRequests.configChanges(body), AdminRequests.validateOnly(body));
    ctx.status(204);
  }

  private ObjectNode config(Context ctx, Topic topic, TopicConfig config) {
    String name = config.kafkaName();
    ObjectNode node = links.resource("KafkaTopicConfig",
            links.url(ctx, "/topics/" + topic.name() + "/configs/" + name),
            links.crn("/topic=" + topic.name() + "/config=" + name))
        .put("topic_name", topic.name());
    return V3Configs.fill(node, name, topic.synonyms(config));
  }
}
