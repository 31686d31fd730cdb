package io.rowstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The soak through the broker: a topic with {@code retention.bytes} and {@code segment.bytes},
 * produced to with the REST v2 produce endpoint, stored in {@code rowstream.chunk} in whatever
 * physical layout the node's migrations gave it; retention is the node's maintenance.
 */
final class RowstreamSoakLayout implements SoakLayout {
  static final String CHUNK = "rowstream.chunk";

  /**
   * Segments not wholly below their partition's log start (whether retention deletes the segment
   * row or not), across every topic, as the chunk storage covers every topic; and the soak topic's
   * partitions whose log start has moved.
   */
  private static final String RETAINED = """
      with kept as (
        select s.size_bytes from rowstream.segment s join rowstream.topic_partition p using (topic_id, partition_id)
         where s.next_offset > p.log_start_offset or s.rolled_at is null)
      select (select count(*) from kept), (select coalesce(sum(size_bytes), 0) from kept),
             (select count(*) from rowstream.topic_partition p join rowstream.topic t using (topic_id)
               where t.name = ? and p.log_start_offset > 0)""";

  private final RestClient rest;
  private final String topic;
  private final RetentionSoakOptions o;

  private RowstreamSoakLayout(RestClient rest, String topic, RetentionSoakOptions o) {
    this.rest = rest;
    this.topic = topic;
    this.o = o;
  }

  /** Creates the topic: {@code cleanup.policy=delete}, the flags' retention and segment sizes, no time limit. */
  static RowstreamSoakLayout create(RestClient rest, String topic, RetentionSoakOptions o) throws IOException {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("cleanup.policy", "delete");
    configs.put("retention.bytes", Long.toString(o.retentionBytes()));
    // Below Kafka's 1 MiB minimum of segment.bytes, Kafka's internal.segment.bytes (a smoke run's small segments).
    configs.put(o.segmentBytes() < 1024 * 1024 ? "internal.segment.bytes" : "segment.bytes",
        Long.toString(o.segmentBytes()));
    configs.put("retention.ms", "-1");
    rest.createTopic(topic, o.partitions(), configs);
    return new RowstreamSoakLayout(rest, topic, o);
  }

  @Override
  public String description() {
    return "topic " + topic + " (cleanup.policy=delete, retention.ms=-1), POST /topics/" + topic + "?acks=all"
        + " (binary, keyless) into " + CHUNK + "; retention by the node's maintenance";
  }

  @Override
  public String chunkRelation() {
    return CHUNK;
  }

  @Override
  public Writer writer(int client) {
    byte[] body = Payloads.produceBody(o.recordsPerRequest(), o.recordBytes(), "binary", client + 1)
        .getBytes(StandardCharsets.UTF_8);
    String path = "/topics/" + topic + "?acks=all";
    return () -> rest.post(path, RestClient.BINARY, body);
  }

  @Override
  public Retained retained(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RETAINED)) {
      ps.setString(1, topic);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return new Retained(rs.getLong(1), rs.getLong(2), rs.getInt(3));
      }
    }
  }

  /** The topic stays: in the embedded database it goes with the database; against a node of yours it is yours. */
  @Override
  public void close() {}
}
