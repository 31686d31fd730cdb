package io.rowstream.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.log.PartitionLog;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The HTTP calls consumer tests make again and again, each checking its status. */
final class ConsumerCalls {
  private final TestBroker broker;

  ConsumerCalls(TestBroker broker) {
    this.broker = broker;
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  static String partitions(String topic, int... partitions) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (int p : partitions) {
      list.add(Map.of("topic", topic, "partition", p));
    }
    return TestHttp.json(Map.of("partitions", list));
  }

  void createTopic(String name, int partitions) {
    broker.node(0).services().topics().create(name, partitions, 1, Map.of());
  }

  /** Produces binary values (base64 of the strings) to one partition over node 0. */
  void produceBinary(String topic, int partition, String... values) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (String v : values) {
      records.add(Map.of("value", b64(v)));
    }
    produce(topic, partition, TestHttp.BINARY, records);
  }

  void produce(String topic, int partition, String contentType, List<Map<String, Object>> records) {
    var r = broker
        .http()
        .post(
            "/topics/" + topic + "/partitions/" + partition,
            contentType,
            TestHttp.json(Map.of("records", records)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  /** Creates an instance through {@code http} and returns its path, {@code /consumers/g/instances/i}. */
  String create(TestHttp http, String group, Map<String, Object> config) {
    var r = http.post("/consumers/" + group, TestHttp.V2, TestHttp.json(config));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return "/consumers/" + group + "/instances/" + r.json().get("instance_id").asText();
  }

  void post(TestHttp http, String path, String body) {
    var r = http.post(path, TestHttp.V2, body);
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  /** Creates an instance assigned to the partitions and positioned at their beginning. */
  String assignedFromBeginning(
      String group, Map<String, Object> config, String topic, int... partitions) {
    TestHttp http = broker.http();
    String instance = create(http, group, config);
    post(http, instance + "/assignments", partitions(topic, partitions));
    post(http, instance + "/positions/beginning", partitions(topic, partitions));
    return instance;
  }

  JsonNode records(TestHttp http, String instance, String query, String accept) {
    var r = http.get(instance + "/records" + query, "Accept", accept);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo(accept);
    return r.json();
  }

  /** What a long read got, and how long it took from its start. */
  record WokenRead(JsonNode records, long elapsedMs) {}

  /**
   * Starts a read of {@code instance} on node {@code node} with a 20 s timeout, waits until it is
   * parked there (no sleeping), runs {@code produce}, and returns what the read got.
   */
  WokenRead readWokenBy(int node, String instance, Runnable produce) throws Exception {
    PartitionLog log = broker.node(node).services().log();
    int waitingBefore = log.waiting();
    long started = System.nanoTime();
    CompletableFuture<JsonNode> read = CompletableFuture.supplyAsync(
        () -> records(broker.http(node), instance, "?timeout=20000", TestHttp.BINARY));
    while (log.waiting() == waitingBefore && !read.isDone()) {
      Thread.onSpinWait();
    }
    assertThat(read).as("the read waits for data").isNotDone();
    produce.run();
    JsonNode records = read.get(20, TimeUnit.SECONDS);
    return new WokenRead(records, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  static List<String> binaryValues(JsonNode records) {
    List<String> out = new ArrayList<>();
    records.forEach(
        r -> out.add(new String(Base64.getDecoder().decode(r.get("value").asText()))));
    return out;
  }

  /** The stored position of an instance in one partition of a topic; -1 when it has none. */
  long position(String group, String id, String topic, int partition) {
    return broker.queryLong(
        "select coalesce((select a.position from consumer_assignment a join topic t using (topic_id)"
            + " where a.group_name = '" + group + "' and a.instance_id = '" + id
            + "' and t.name = '" + topic
            + "' and a.partition_id = " + partition + "), -1)");
  }
}
