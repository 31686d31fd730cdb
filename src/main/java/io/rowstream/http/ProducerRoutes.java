package io.rowstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.rowstream.produce.IdempotentProducers;
import io.rowstream.produce.ProducerIdentity;
import io.rowstream.security.Principal;

/**
 * {@code POST /producers} (a Rowstream addition, Kafka's InitProducerId): an empty body gives a
 * new producer id at epoch 0; {@code {"producer_id", "producer_epoch"}} with the current epoch
 * bumps it, fencing requests still in flight under the old one. An id belongs to the principal
 * that asked for it ({@link IdempotentProducers}). Answer:
 * {@code {"producer_id", "producer_epoch"}}.
 */
final class ProducerRoutes {
  private final IdempotentProducers producers;

  ProducerRoutes(IdempotentProducers producers) {
    this.producers = producers;
  }

  void register(AuthorizedRoutes routes) {
    // An idempotent producer's id grants nothing by itself: every produce still needs Write.
    routes.post("/producers", Rule.anyPrincipal(), this::init);
  }

  private void init(Context ctx) {
    JsonNode body = Json.parseObject(ctx.bodyAsBytes());
    JsonNode id = body.get("producer_id");
    JsonNode epoch = body.get("producer_epoch");
    Principal principal = Access.of(ctx).principal();
    ProducerIdentity identity;
    if (id == null && epoch == null) {
      identity = producers.create(principal);
    } else if (id != null
        && id.canConvertToLong()
        && id.asLong() >= 0
        && epoch != null
        && epoch.canConvertToInt()
        && epoch.asInt() >= 0
        && epoch.asInt() <= Short.MAX_VALUE) {
      identity = producers.bump(principal, id.asLong(), (short) epoch.asInt());
    } else {
      throw HttpStatusException.badRequest(
          "Send an empty body for a new producer id, or both \"producer_id\" and \"producer_epoch\" to bump the epoch.");
    }
    ctx.contentType(EmbeddedFormat.V2_JSON)
        .result(Json.object()
            .put("producer_id", identity.producerId())
            .put("producer_epoch", identity.producerEpoch())
            .toString());
  }
}
