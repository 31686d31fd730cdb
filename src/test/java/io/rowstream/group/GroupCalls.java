package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.db.AdvisoryLocks;
import io.rowstream.log.TopicPartition;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The broker of a group test class and the HTTP calls group tests make: members, subscriptions,
 * reads, commits; each checks its status.
 */
final class GroupCalls implements BeforeAllCallback, AfterAllCallback {
  private final String purpose;
  private final int reaperIntervalMs;
  private TestBroker broker;
  private ExecutorService threads;

  private GroupCalls(String purpose, int reaperIntervalMs) {
    this.purpose = purpose;
    this.reaperIntervalMs = reaperIntervalMs;
  }

  /**
   * For {@code @RegisterExtension static}: before the class's tests, a one-node broker on a
   * database of its own, with a 45 s default instance lease and the given reaper interval, and threads
   * for concurrent members; stopped after.
   */
  static GroupCalls perClass(String purpose, int reaperIntervalMs) {
    return new GroupCalls(purpose, reaperIntervalMs);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = TestBroker.start(purpose, c -> c.withGroupTimings(45_000, reaperIntervalMs));
    threads = Executors.newVirtualThreadPerTaskExecutor();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    threads.shutdownNow();
    broker.close();
  }

  /** Threads for members that run concurrently with a test; stopped after the class. */
  ExecutorService threads() {
    return threads;
  }

  TestBroker broker() {
    return broker;
  }

  /**
   * Takes the group reaper's advisory lock on a connection of its own: no node reaps until the
   * connection is closed (PostgreSQL frees the lock then).
   */
  Connection holdReaperLock() throws SQLException {
    Connection c = broker.sql();
    try (var s = c.createStatement()) {
      s.execute("select pg_advisory_lock(" + AdvisoryLocks.GROUP_REAPER + ")");
    }
    return c;
  }

  /** Creates a topic over v3 and produces {@code count} records to each partition ({@link #produce}). */
  void filledTopic(String topic, int partitions, String prefix, int count) {
    broker.http().createTopic(topic, partitions);
    produce(topic, partitions, prefix, count);
  }

  /** A consumed record: where it was and its value. */
  record Consumed(String topic, int partition, long offset, String value) {}

  /** Produces {@code count} binary values {@code <prefix>-<partition>-<i>} to each partition of a topic over node 0. */
  void produce(String topic, int partitions, String prefix, int count) {
    for (int p = 0; p < partitions; p++) {
      List<Map<String, Object>> records = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        records.add(Map.of("value", b64(prefix + "-" + p + "-" + i)));
      }
      var r = broker
          .http()
          .post(
              "/topics/" + topic + "/partitions/" + p,
              TestHttp.BINARY,
              TestHttp.json(Map.of("records", records)));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
  }

  /** Creates a member on {@code http}: binary, earliest, the given extra config; returns its path. */
  String member(TestHttp http, String group, String name, Map<String, Object> config) {
    Map<String, Object> body = new LinkedHashMap<>(
        Map.of("name", name, "format", "binary", "auto.offset.reset", "earliest"));
    body.putAll(config);
    var r = http.post("/consumers/" + group, TestHttp.V2, TestHttp.json(body));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return "/consumers/" + group + "/instances/" + name;
  }

  /** A member created on {@code http} ({@link #member}) and subscribed to {@code topic}; returns its path. */
  String joined(
      TestHttp http, String group, String name, Map<String, Object> config, String topic) {
    String member = member(http, group, name, config);
    subscribe(http, member, topic);
    return member;
  }

  void subscribe(TestHttp http, String member, String... topics) {
    var r = http.post(
        member + "/subscription", TestHttp.V2, TestHttp.json(Map.of("topics", List.of(topics))));
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  void subscribePattern(TestHttp http, String member, String pattern) {
    var r = http.post(
        member + "/subscription", TestHttp.V2, TestHttp.json(Map.of("topic_pattern", pattern)));
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  /** A POST with a v2 body that must answer 204 (assignments, seeks, subscriptions). */
  static void post204(TestHttp http, String path, String body) {
    var r = http.post(path, TestHttp.V2, body);
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  /** {@code {"partitions":[{"topic","partition"}…]}} for one topic. */
  static String partitions(String topic, int... partitions) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (int p : partitions) {
      list.add(Map.of("topic", topic, "partition", p));
    }
    return TestHttp.json(Map.of("partitions", list));
  }

  /** An explicit commit of one partition's last processed offset, with metadata. */
  static String offsetBody(String topic, int partition, long offset, String metadata) {
    return TestHttp.json(Map.of(
        "offsets",
        List.of(Map.of(
            "topic", topic, "partition", partition, "offset", offset, "metadata", metadata))));
  }

  /** The group's rows (group, members, assignment with positions, committed offsets) as one comparable text. */
  String groupState(String group) {
    return broker.queryText("select concat_ws(' | ',"
        + " (select string_agg(concat_ws(',', state, generation, assignor), ';') from consumer_group"
        + "  where group_name = '" + group + "'),"
        + " (select string_agg(concat_ws(',', instance_id, member_id, generation, subscribed_topics::text,"
        + "  subscribed_pattern), ';' order by instance_id) from consumer_instance where group_name = '"
        + group + "'),"
        + " (select string_agg(concat_ws(',', instance_id, topic_id, partition_id, position, generation), ';'"
        + "  order by instance_id, topic_id, partition_id) from consumer_assignment where group_name = '"
        + group + "'),"
        + " (select string_agg(concat_ws(',', topic_id, partition_id, committed_offset, metadata, generation,"
        + "  committed_at), ';' order by topic_id, partition_id) from committed_offset where group_name = '"
        + group + "'))");
  }

  List<TopicPartition> assignment(TestHttp http, String member) {
    var r = http.get(member + "/assignments");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<TopicPartition> out = new ArrayList<>();
    r.json()
        .get("partitions")
        .forEach(p -> out.add(
            new TopicPartition(p.get("topic").asText(), p.get("partition").asInt())));
    return out;
  }

  /** Produces binary values with explicit timestamps (ms) to one partition, one record each. */
  void produceAt(String topic, int partition, Map<String, Long> valuesAt) {
    List<Map<String, Object>> records = new ArrayList<>();
    valuesAt.forEach((value, time) -> records.add(Map.of("value", b64(value), "timestamp", time)));
    var r = broker
        .http()
        .post(
            "/topics/" + topic + "/partitions/" + partition,
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", records)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  /** One read; the records it returned. */
  List<Consumed> poll(TestHttp http, String member, int timeoutMs) {
    var r = http.get(member + "/records?timeout=" + timeoutMs, "Accept", TestHttp.BINARY);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return consumed(r.json());
  }

  static List<Consumed> consumed(JsonNode records) {
    List<Consumed> out = new ArrayList<>();
    records.forEach(rec -> out.add(new Consumed(
        rec.get("topic").asText(),
        rec.get("partition").asInt(),
        rec.get("offset").asLong(),
        new String(Base64.getDecoder().decode(rec.get("value").asText())))));
    return out;
  }

  /** The body of an explicit commit of what {@code records} hold: the last offset per partition. */
  static String commitBody(List<Consumed> records, Integer generationId) {
    Map<String, Map<String, Object>> last = new LinkedHashMap<>();
    for (Consumed c : records) {
      last.put(
          c.topic() + "/" + c.partition(),
          Map.of("topic", c.topic(), "partition", c.partition(), "offset", c.offset()));
    }
    Map<String, Object> body = new HashMap<>(Map.of("offsets", List.copyOf(last.values())));
    if (generationId != null) {
      body.put("generation_id", generationId);
    }
    return TestHttp.json(body);
  }

  TestHttp.Response commit(TestHttp http, String member, List<Consumed> records) {
    return http.post(member + "/offsets", TestHttp.V2, commitBody(records, null));
  }

  long committed(String group, String topic, int partition) {
    return broker.queryLong(
        "select coalesce((select committed_offset from committed_offset_overview where \"group\" = '"
            + group + "' and topic = '" + topic + "' and partition = " + partition + "), -1)");
  }

  int generation(String group) {
    return (int) broker.queryLong(
        "select generation from consumer_group where group_name = '" + group + "'");
  }

  /** Waits for a condition the broker makes true in the background (the reaper), failing after {@code limit}. */
  static void await(String what, Duration limit, BooleanSupplier condition) {
    io.rowstream.support.Await.until(what, limit, condition);
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }
}
