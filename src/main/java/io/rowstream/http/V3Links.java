package io.rowstream.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Optional;

/**
 * Absolute URLs, CRNs and envelopes of v3 resources. The base of every URL is the node's
 * advertised URL when configured, else the address the request reached the node on ({@link PublicUrl}).
 */
final class V3Links {
  private final String clusterId;
  private final Optional<String> advertisedUrl;

  V3Links(String clusterId, Optional<String> advertisedUrl) {
    this.clusterId = clusterId;
    this.advertisedUrl = advertisedUrl;
  }

  String clusterId() {
    return clusterId;
  }

  /** The handler, run only when the {@code {cid}} path parameter names this cluster (404 otherwise). */
  Handler inCluster(Handler handler) {
    return ctx -> {
      V3.requireCluster(ctx, clusterId);
      handler.handle(ctx);
    };
  }

  /** {@code <base>/v3/clusters}. */
  String clusters(Context ctx) {
    return PublicUrl.base(ctx, advertisedUrl) + "/v3/clusters";
  }

  /** The URL of a resource of this cluster: {@code <base>/v3/clusters/<cid><path>}. */
  String url(Context ctx, String path) {
    return clusters(ctx) + "/" + clusterId + path;
  }

  /** The CRN of a resource of this cluster, e.g. {@code crn("/topic=t1")} gives {@code crn:///kafka=<cid>/topic=t1}. */
  String crn(String path) {
    return "crn:///kafka=" + clusterId + path;
  }

  /** {@code {"kind", "metadata":{"self","resource_name"}, "cluster_id"}}, ready for the resource's own fields. */
  ObjectNode resource(String kind, String self, String resourceName) {
    ObjectNode node = Json.object().put("kind", kind);
    node.putObject("metadata").put("self", self).put("resource_name", resourceName);
    return node.put("cluster_id", clusterId);
  }

  /** {@code {"kind", "metadata":{"self","next":null}, "data":[…]}}. */
  static ObjectNode list(String kind, String self, List<ObjectNode> data) {
    ObjectNode node = Json.object().put("kind", kind);
    node.putObject("metadata").put("self", self).putNull("next");
    ArrayNode array = node.putArray("data");
    data.forEach(array::add);
    return node;
  }

  /** {@code {"related": url}}. */
  static ObjectNode related(String url) {
    return Json.object().put("related", url);
  }
}
