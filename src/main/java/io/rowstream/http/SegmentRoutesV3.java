package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.DESCRIBE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.log.LogSegment;
import io.rowstream.log.LogSegments;
import io.rowstream.log.PartitionKey;
import io.rowstream.services.BrokerServices;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicService;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The Rowstream addition {@code GET /v3/clusters/{cid}/topics/{t}/partitions/{p}/segments}: the
 * segments of a partition's log, oldest first ({@code RowstreamSegmentList}; one by its base
 * offset at {@code …/segments/{base_offset}}), as the
 * {@code segment_overview} view shows them in SQL: offsets, bytes, records, record time range,
 * and whether each is the active one. Topic metadata, so Describe on the topic.
 */
final class SegmentRoutesV3 {
  private static final String SEGMENTS = "/v3/clusters/{cid}/topics/{t}/partitions/{p}/segments";
  private final V3Links links;
  private final TopicService topics;
  private final LogSegments segments;

  SegmentRoutesV3(BrokerServices services) {
    this.links = new V3Links(services.clusterId(), services.advertisedUrl());
    this.topics = services.topics();
    this.segments = services.segments();
  }

  void register(AuthorizedRoutes routes) {
    routes.get(SEGMENTS, Rule.topic(DESCRIBE), links.inCluster(this::list));
    routes.get(SEGMENTS + "/{base}", Rule.topic(DESCRIBE), links.inCluster(this::get));
  }

  private void list(Context ctx) {
    int p = Params.partition(ctx);
    Topic topic = topics.require(ctx.pathParam("t"));
    String path = path(topic, p);
    List<ObjectNode> data = segments(topic, p).stream()
        .map(s -> segment(ctx, topic.name(), p, path, s))
        .toList();
    ctx.json(V3Links.list("RowstreamSegmentList", links.url(ctx, path), data));
  }

  /** One segment by its base offset; 404 when the partition has none there (any more). */
  private void get(Context ctx) {
    int p = Params.partition(ctx);
    Topic topic = topics.require(ctx.pathParam("t"));
    String base = ctx.pathParam("base");
    ctx.json(segments(topic, p).stream()
        .filter(s -> Long.toString(s.baseOffset()).equals(base))
        .findFirst()
        .map(s -> segment(ctx, topic.name(), p, path(topic, p), s))
        .orElseThrow(() -> ErrorResponses.notFound(
            topic.name() + "-" + p + " has no segment at offset " + base + ".")));
  }

  /** The partition's segments; PARTITION_NOT_FOUND for a partition the topic lacks. */
  private List<LogSegment> segments(Topic topic, int p) {
    topics.partition(topic, p);
    return segments.of(new PartitionKey(topic.id(), p));
  }

  private static String path(Topic topic, int p) {
    return ReplicaRoutesV3.partitionPath(topic.name(), p) + "/segments";
  }

  private ObjectNode segment(
      Context ctx, String topic, int partition, String listPath, LogSegment s) {
    ObjectNode node = links
        .resource(
            "RowstreamSegment",
            links.url(ctx, listPath + "/" + s.baseOffset()),
            links.crn("/topic=" + topic + "/partition=" + partition + "/segment=" + s.baseOffset()))
        .put("topic_name", topic)
        .put("partition_id", partition)
        .put("base_offset", s.baseOffset())
        .put("next_offset", s.nextOffset())
        .put("size_bytes", s.sizeBytes())
        .put("record_count", s.recordCount())
        .put("min_timestamp", time(s.minTimestampMs()))
        .put("max_timestamp", time(s.maxTimestampMs()))
        .put("created_at", time(s.createdAt()))
        .put("rolled_at", time(s.rolledAt()))
        .put("active", s.active());
    return node;
  }

  private static String time(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms).toString();
  }

  private static String time(OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }
}
