package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.READ;

import io.javalin.http.Context;
import io.rowstream.log.FetchMemoryBudget;
import io.rowstream.log.FetchResult;
import io.rowstream.log.PartitionLog;
import io.rowstream.security.Principal;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /topics/{t}/partitions/{p}/records?offset=&max_bytes=&timeout=}: read a partition from
 * an offset with no consumer instance (as Redpanda's proxy), long-polling when there is nothing yet.
 */
final class PartitionRecordsRoutes {
  static final long DEFAULT_MAX_BYTES = 1024 * 1024;
  static final long MAX_MAX_BYTES = 64L * 1024 * 1024;
  static final long MAX_TIMEOUT_MS = 30_000;

  private final TopicCache topics;
  private final PartitionLog log;
  private final EdgeLimits limits;

  PartitionRecordsRoutes(TopicCache topics, PartitionLog log, EdgeLimits limits) {
    this.topics = topics;
    this.log = log;
    this.limits = limits;
  }

  void register(AuthorizedRoutes routes) {
    routes.get("/topics/{t}/partitions/{p}/records", Rule.topic(READ), this::read);
  }

  private void read(Context ctx) throws IOException {
    EmbeddedFormat format = RecordsWriter.acceptedFormat(ctx.header("Accept"));
    int partition = Params.partition(ctx);
    long offset = Params.requiredLong(ctx, "offset", 0);
    long maxBytes =
        Math.min(Params.longParam(ctx, "max_bytes", 1, DEFAULT_MAX_BYTES), MAX_MAX_BYTES);
    long timeout = Math.min(Params.longParam(ctx, "timeout", 0, 0), MAX_TIMEOUT_MS);
    Topic topic = topics.requirePartition(ctx.pathParam("t"), partition);
    Principal principal = Access.of(ctx).principal();
    limits.checkFetchQuota(principal);
    try (FetchMemoryBudget.Reservation memory = limits.reserveFetchBytes(maxBytes)) {
      FetchResult result;
      try (EdgeLimits.Slot slot = limits.longPoll()) {
        result = log.fetch(topic, partition, offset, memory.bytes(), Duration.ofMillis(timeout));
      }
      limits.fetched(principal, topic.name(), result.records());
      RecordsWriter.write(
          ctx, format, List.of(new RecordsWriter.Batch(topic.name(), partition, result.records())));
    }
  }
}
