package io.rowstream.http;

import io.javalin.http.Context;
import io.rowstream.error.BrokerException;
import io.rowstream.log.AppendResult;
import io.rowstream.log.LogRecord;
import io.rowstream.log.RecordBatchCodec;
import io.rowstream.log.StoredRecord;
import io.rowstream.produce.ProduceService;
import java.util.List;

/**
 * The node-to-node append: a node that received a produce for a partition another node leads
 * sends it that partition's records here, as one Kafka v2 record batch (the body, encoded at base
 * offset 0) with the idempotent producer's query parameters if any, and relays the answer. Not part of the public API: the path is under
 * {@code /internal/} and a load balancer in front of the nodes need not expose it.
 *
 * <p>Answer: 200 {@code {"base_offset", "append_time_ms"}}, or the error's status with
 * {@code {"error_code", "message", "error"}} where {@code error} names the broker error, so the
 * sending node re-raises exactly what the leader refused with.
 */
final class ForwardRoutes {
  static final String PATH = "/internal/v1/topics/{t}/partitions/{p}/append";
  static final String TOPIC_ID = "topic_id";

  private final ProduceService produce;
  private final EdgeLimits limits;

  ForwardRoutes(ProduceService produce, EdgeLimits limits) {
    this.produce = produce;
    this.limits = limits;
  }

  void register(AuthorizedRoutes routes) {
    // The forwarding node checked the client's Write and charged its quota. Only a node may append
    // here (no user, not even a super user), and a node may do nothing else.
    routes.post(PATH, Rule.nodeOnly(), this::append);
  }

  private void append(Context ctx) {
    int partition = Params.partition(ctx);
    long topicId = Params.longParam(ctx, TOPIC_ID, 0, -1);
    try {
      List<LogRecord> records = RecordBatchCodec.decode(ctx.bodyAsBytes(), 0).stream()
          .map(StoredRecord::record)
          .toList();
      // The same limits as the public produce path; quotas were charged by the forwarding node.
      limits.checkForwarded(records);
      AppendResult r = produce.appendForwarded(
          ctx.pathParam("t"), topicId, partition, records, ProducerParams.of(ctx));
      ctx.json(
          Json.object().put("base_offset", r.baseOffset()).put("append_time_ms", r.appendTimeMs()));
    } catch (BrokerException e) {
      ctx.status(ErrorResponses.of(e.error()).status())
          .json(InternalErrors.body(e, ctx.path()).put("error", e.error().name()));
    }
  }
}
