package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.READ;

import io.javalin.http.Context;
import io.rowstream.log.FetchMemoryBudget;
import io.rowstream.log.FetchResult;
import io.rowstream.log.OffsetsByTime;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.PartitionLog;
import io.rowstream.security.Principal;
import io.rowstream.services.BrokerServices;
import io.rowstream.topic.PartitionState;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import io.rowstream.topic.TopicService;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /topics/{t}/partitions/{p}/records?offset=&max_bytes=&timeout=}: read a partition from
 * an offset with no consumer instance (as Redpanda's proxy), long-polling when there is nothing yet.
 * {@code timestamp=} (ms since the epoch) instead of {@code offset} reads from the first record at or
 * after that time (from the log end when there is none yet), as a consumer seeking to a time.
 */
final class PartitionRecordsRoutes {
  static final long DEFAULT_MAX_BYTES = 1024 * 1024;
  static final long MAX_MAX_BYTES = 64L * 1024 * 1024;
  static final long MAX_TIMEOUT_MS = 30_000;

  private final TopicCache topics;
  private final TopicService partitions;
  private final PartitionLog log;
  private final OffsetsByTime byTime;
  private final EdgeLimits limits;

  PartitionRecordsRoutes(BrokerServices services, EdgeLimits limits) {
    this.topics = services.topicCache();
    this.partitions = services.topics();
    this.log = services.log();
    this.byTime = services.offsetsByTime();
    this.limits = limits;
  }

  void register(AuthorizedRoutes routes) {
    routes.get("/topics/{t}/partitions/{p}/records", Rule.topic(READ), this::read);
  }

  private void read(Context ctx) throws IOException {
    EmbeddedFormat format = RecordsWriter.acceptedFormat(ctx.header("Accept"));
    int partition = Params.partition(ctx);
    boolean byTimestamp = ctx.queryParam("timestamp") != null;
    if (byTimestamp && ctx.queryParam("offset") != null) {
      throw HttpStatusException.badRequest("Give offset or timestamp, not both.");
    }
    long timestamp = byTimestamp ? Params.requiredLong(ctx, "timestamp", 0) : 0;
    long offset = byTimestamp ? 0 : Params.requiredLong(ctx, "offset", 0);
    long maxBytes =
        Math.min(Params.longParam(ctx, "max_bytes", 1, DEFAULT_MAX_BYTES), MAX_MAX_BYTES);
    long timeout = Math.min(Params.longParam(ctx, "timeout", 0, 0), MAX_TIMEOUT_MS);
    Topic topic = topics.requirePartition(ctx.pathParam("t"), partition);
    if (byTimestamp) {
      PartitionState row = partitions.partition(topic, partition);
      offset = byTime.readFrom(
          new PartitionKey(topic.id(), partition),
          row.logStartOffset(),
          row.logEndOffset(),
          timestamp);
    }
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
