package io.rowstream.http;

import io.javalin.http.Context;

/** Conventions shared by the v3 endpoints. */
final class V3 {
  private V3() {}

  /** The {@code {cid}} path parameter must name this cluster (404 otherwise, as the reference does). */
  static void requireCluster(Context ctx, String clusterId) {
    String cid = ctx.pathParam("cid");
    if (!cid.equals(clusterId)) {
      throw ErrorResponses.notFound("Cluster " + cid + " cannot be found.");
    }
  }
}
