package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.consumer.TopicPartition;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The HTTP calls group tests make: members, subscriptions, reads, commits; each checks its status. */
final class GroupCalls {
  private final TestBroker broker;

  GroupCalls(TestBroker broker) {
    this.broker = broker;
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
      var r = broker.http().post("/topics/" + topic + "/partitions/" + p, TestHttp.BINARY,
          TestHttp.json(Map.of("records", records)));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
  }

  /** Creates a member on {@code http}: binary, earliest, the given extra config; returns its path. */
  String member(TestHttp http, String group, String name, Map<String, Object> config) {
    Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "format", "binary",
        "auto.offset.reset", "earliest"));
    body.putAll(config);
    var r = http.post("/consumers/" + group, TestHttp.V2, TestHttp.json(body));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return "/consumers/" + group + "/instances/" + name;
  }

  void subscribe(TestHttp http, String member, String... topics) {
    var r = http.post(member + "/subscription", TestHttp.V2, TestHttp.json(Map.of("topics", List.of(topics))));
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  List<TopicPartition> assignment(TestHttp http, String member) {
    var r = http.get(member + "/assignments");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<TopicPartition> out = new ArrayList<>();
    r.json().get("partitions").forEach(p -> out.add(new TopicPartition(p.get("topic").asText(), p.get("partition").asInt())));
    return out;
  }

  /** One read; the records it returned. */
  List<Consumed> poll(TestHttp http, String member, int timeoutMs) {
    var r = http.get(member + "/records?timeout=" + timeoutMs, "Accept", TestHttp.BINARY);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return consumed(r.json());
  }

  static List<Consumed> consumed(JsonNode records) {
    List<Consumed> out = new ArrayList<>();
    records.forEach(rec -> out.add(new Consumed(rec.get("topic").asText(), rec.get("partition").asInt(),
        rec.get("offset").asLong(), new String(Base64.getDecoder().decode(rec.get("value").asText())))));
    return out;
  }

  /** The body of an explicit commit of what {@code records} hold: the last offset per partition. */
  static String commitBody(List<Consumed> records, Integer generationId) {
    Map<String, Map<String, Object>> last = new LinkedHashMap<>();
    for (Consumed c : records) {
      last.put(c.topic() + "/" + c.partition(), Map.of("topic", c.topic(), "partition", c.partition(),
          "offset", c.offset()));
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
    return broker.queryLong("select coalesce((select committed_offset from committed_offset_overview where \"group\" = '"
        + group + "' and topic = '" + topic + "' and partition = " + partition + "), -1)");
  }

  int generation(String group) {
    return (int) broker.queryLong("select generation from consumer_group where group_name = '" + group + "'");
  }

  /** Waits for a condition the broker makes true in the background (the reaper), failing after {@code limit}. */
  static void await(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }
}
