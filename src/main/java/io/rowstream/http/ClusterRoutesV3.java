package io.rowstream.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.cluster.BrokerInfo;
import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.services.BrokerServices;
import java.net.URI;
import java.util.List;

/**
 * v3 cluster and brokers: {@code GET /v3/clusters}, {@code /v3/clusters/{cid}},
 * {@code /v3/clusters/{cid}/brokers} and {@code /v3/clusters/{cid}/brokers/{id}}. Every registered
 * broker is listed, with the Rowstream additions {@code "state"} ({@code LIVE} while its lease
 * runs, else {@code OFFLINE}), {@code started_at} and {@code lease_expires_at} (database clock).
 */
final class ClusterRoutesV3 {
  private final V3Links links;
  private final BrokerRegistry brokers;

  ClusterRoutesV3(BrokerServices services) {
    this.links = new V3Links(services.clusterId(), services.advertisedUrl());
    this.brokers = services.brokers();
  }

  void register(AuthorizedRoutes routes) {
    // Clusters and brokers are open to every principal, as Kafka's metadata is.
    routes.get("/v3/clusters", Rule.anyPrincipal(), this::listClusters);
    routes.get(
        "/v3/clusters/{cid}", Rule.anyPrincipal(), links.inCluster(ctx -> ctx.json(cluster(ctx))));
    routes.get(
        "/v3/clusters/{cid}/brokers", Rule.anyPrincipal(), links.inCluster(this::listBrokers));
    routes.get(
        "/v3/clusters/{cid}/brokers/{id}", Rule.anyPrincipal(), links.inCluster(this::getBroker));
  }

  private void listClusters(Context ctx) {
    ctx.json(V3Links.list("KafkaClusterList", links.clusters(ctx), List.of(cluster(ctx))));
  }

  private void listBrokers(Context ctx) {
    List<ObjectNode> data = brokers.brokers().stream().map(b -> broker(ctx, b)).toList();
    ctx.json(V3Links.list("KafkaBrokerList", links.url(ctx, "/brokers"), data));
  }

  private void getBroker(Context ctx) {
    ctx.json(broker(ctx, requireBroker(brokers, ctx.pathParam("id"))));
  }

  /** The registered broker whose id is {@code id}; 404 when there is none. */
  static BrokerInfo requireBroker(BrokerRegistry brokers, String id) {
    return brokers.brokers().stream()
        .filter(b -> String.valueOf(b.nodeId()).equals(id))
        .findFirst()
        .orElseThrow(() -> ErrorResponses.notFound("Broker " + id + " not found."));
  }

  private ObjectNode cluster(Context ctx) {
    ObjectNode node = links.resource("KafkaCluster", links.url(ctx, ""), links.crn(""));
    // The reference reports null when it knows no controller.
    brokers
        .controller()
        .ifPresentOrElse(
            id -> node.set("controller", V3Links.related(links.url(ctx, "/brokers/" + id))),
            () -> node.putNull("controller"));
    node.set("acls", V3Links.related(links.url(ctx, "/acls")));
    node.set("brokers", V3Links.related(links.url(ctx, "/brokers")));
    node.set("broker_configs", V3Links.related(links.url(ctx, "/broker-configs")));
    node.set("consumer_groups", V3Links.related(links.url(ctx, "/consumer-groups")));
    node.set("topics", V3Links.related(links.url(ctx, "/topics")));
    node.set(
        "partition_reassignments",
        V3Links.related(links.url(ctx, "/topics/-/partitions/-/reassignment")));
    return node;
  }

  private ObjectNode broker(Context ctx, BrokerInfo broker) {
    String path = "/brokers/" + broker.nodeId();
    ObjectNode node = links.resource(
        "KafkaBroker", links.url(ctx, path), links.crn("/broker=" + broker.nodeId()));
    node.put("broker_id", broker.nodeId());
    URI uri = parse(broker.advertisedUrl());
    if (uri != null && uri.getHost() != null) {
      node.put("host", uri.getHost()).put("port", port(uri));
    } else {
      node.putNull("host").putNull("port");
    }
    node.putNull("rack");
    node.put("state", broker.live() ? "LIVE" : "OFFLINE");
    node.put("started_at", time(broker.startedAt()))
        .put("lease_expires_at", time(broker.leaseExpiresAt()));
    node.set("configs", V3Links.related(links.url(ctx, path + "/configs")));
    node.set("partition_replicas", V3Links.related(links.url(ctx, path + "/partition-replicas")));
    return node;
  }

  private static String time(java.time.OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }

  private static URI parse(String url) {
    try {
      return URI.create(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
