package io.rowstream.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** REST Proxy v2 consumer instances with manual assignment, their state in PostgreSQL rows. */
class ConsumerInstanceTest {
  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("consumer_instances");
    broker.startNode();
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static String v2(Object body) {
    return TestHttp.json(body);
  }

  static String createInstance(String group, String name, String format, String reset) {
    Response r = http.post("/consumers/" + group, TestHttp.V2,
        v2(Map.of("name", name, "format", format, "auto.offset.reset", reset)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("instance_id").asText()).isEqualTo(name);
    assertThat(r.json().get("base_uri").asText()).endsWith("/consumers/" + group + "/instances/" + name);
    return "/consumers/" + group + "/instances/" + name;
  }

  static void assign(String instance, String topic, int... partitions) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (int p : partitions) {
      list.add(Map.of("topic", topic, "partition", p));
    }
    Response r = http.post(instance + "/assignments", TestHttp.V2, v2(Map.of("partitions", list)));
    assertThat(r.status()).as(r.body()).isEqualTo(204);
  }

  static void produceJson(String topic, int partition, int count, String prefix) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(Map.of("value", Map.of("n", prefix + i)));
    }
    Response r = http.post("/topics/" + topic + "/partitions/" + partition, TestHttp.JSON, v2(Map.of("records", records)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  static List<String> values(JsonNode records) {
    List<String> out = new ArrayList<>();
    records.forEach(r -> out.add(r.get("value").get("n").asText()));
    return out;
  }

  @Test
  void an_assigned_instance_reads_every_partition_from_the_beginning_in_offset_order() {
    http.createTopic("ci-read", 2);
    produceJson("ci-read", 0, 3, "a");
    produceJson("ci-read", 1, 2, "b");
    String instance = createInstance("g-read", "c1", "json", "latest");
    assign(instance, "ci-read", 0, 1);
    Response assignments = http.get(instance + "/assignments");
    assertThat(assignments.json().get("partitions")).hasSize(2);
    Response seek = http.post(instance + "/positions/beginning", TestHttp.V2,
        v2(Map.of("partitions", List.of(Map.of("topic", "ci-read", "partition", 0), Map.of("topic", "ci-read", "partition", 1)))));
    assertThat(seek.status()).as(seek.body()).isEqualTo(204);

    Response records = http.get(instance + "/records?timeout=1000", "Accept", TestHttp.JSON);
    assertThat(records.status()).as(records.body()).isEqualTo(200);
    assertThat(values(records.json())).containsExactly("a0", "a1", "a2", "b0", "b1");
    assertThat(records.json().get(3).get("partition").asInt()).isEqualTo(1);
    assertThat(records.json().get(3).get("offset").asLong()).isZero();

    Response again = http.get(instance + "/records?timeout=100", "Accept", TestHttp.JSON);
    assertThat(again.json()).as("positions advanced past what was returned").isEmpty();

    Response seekBack = http.post(instance + "/positions", TestHttp.V2,
        v2(Map.of("offsets", List.of(Map.of("topic", "ci-read", "partition", 0, "offset", 2)))));
    assertThat(seekBack.status()).isEqualTo(204);
    assertThat(values(http.get(instance + "/records", "Accept", TestHttp.JSON).json())).containsExactly("a2");
  }

  @Test
  void a_binary_instance_returns_base64_and_max_bytes_limits_each_poll() {
    http.createTopic("ci-binary", 1);
    List<Map<String, Object>> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      records.add(Map.of("value", java.util.Base64.getEncoder().encodeToString(new byte[100])));
    }
    http.post("/topics/ci-binary", TestHttp.BINARY, v2(Map.of("records", records)));
    String instance = createInstance("g-binary", "c1", "binary", "earliest");
    assign(instance, "ci-binary", 0);
    JsonNode first = http.get(instance + "/records?max_bytes=250", "Accept", TestHttp.BINARY).json();
    assertThat(first).hasSize(2);
    assertThat(first.get(0).get("value").asText()).isEqualTo(java.util.Base64.getEncoder().encodeToString(new byte[100]));
    JsonNode rest = http.get(instance + "/records", "Accept", TestHttp.V2).json();
    assertThat(rest).hasSize(3);
    assertThat(rest.get(0).get("offset").asLong()).isEqualTo(2);
  }

  @Test
  void a_waiting_poll_returns_as_soon_as_a_record_arrives() throws Exception {
    http.createTopic("ci-wait", 1);
    String instance = createInstance("g-wait", "c1", "json", "latest");
    assign(instance, "ci-wait", 0);
    assertThat(http.get(instance + "/records?timeout=50", "Accept", TestHttp.JSON).json()).isEmpty();
    long started = System.nanoTime();
    CompletableFuture<Response> poll = CompletableFuture.supplyAsync(() ->
        http.get(instance + "/records?timeout=20000", "Accept", TestHttp.JSON));
    while (broker.node(0).services().log().waiting() == 0) {
      Thread.onSpinWait();
    }
    produceJson("ci-wait", 0, 1, "late");
    Response response = poll.get(20, TimeUnit.SECONDS);
    assertThat(values(response.json())).containsExactly("late0");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
  }

  @Test
  void auto_offset_reset_latest_starts_at_the_end_and_earliest_at_the_start() {
    http.createTopic("ci-reset", 1);
    produceJson("ci-reset", 0, 2, "old");
    String latest = createInstance("g-reset", "latest", "json", "latest");
    String earliest = createInstance("g-reset", "earliest", "json", "earliest");
    assign(latest, "ci-reset", 0);
    assign(earliest, "ci-reset", 0);
    assertThat(http.get(latest + "/records?timeout=10", "Accept", TestHttp.JSON).json()).isEmpty();
    produceJson("ci-reset", 0, 1, "new");
    assertThat(values(http.get(latest + "/records", "Accept", TestHttp.JSON).json())).containsExactly("new0");
    assertThat(values(http.get(earliest + "/records", "Accept", TestHttp.JSON).json()))
        .containsExactly("old0", "old1", "new0");
  }

  @Test
  void an_instance_is_served_by_any_node_and_survives_a_restart_of_the_node_that_made_it() {
    http.createTopic("ci-nodes", 1);
    produceJson("ci-nodes", 0, 4, "r");
    String instance = createInstance("g-nodes", "c1", "json", "earliest");
    assign(instance, "ci-nodes", 0);
    assertThat(values(http.get(instance + "/records?max_bytes=10", "Accept", TestHttp.JSON).json()))
        .containsExactly("r0");
    TestHttp other = broker.http(1);
    assertThat(values(other.get(instance + "/records?max_bytes=10", "Accept", TestHttp.JSON).json()))
        .containsExactly("r1");
    broker.restartNode(0);
    assertThat(values(broker.http(0).get(instance + "/records", "Accept", TestHttp.JSON).json()))
        .containsExactly("r2", "r3");
    http = broker.http(0);
  }

  static void assertError(Response r, int status, int code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.errorCode()).as(r.body()).isEqualTo(code);
  }

  @Test
  void bad_requests_get_rest_proxy_codes_and_change_nothing() {
    http.createTopic("ci-bad", 1);
    String instance = createInstance("g-bad", "c1", "json", "none");
    assign(instance, "ci-bad", 0);
    long instances = broker.queryLong("select count(*) from consumer_instance");
    long assignments = broker.queryLong("select count(*) from consumer_assignment");

    assertError(http.post("/consumers/g-bad", TestHttp.V2, v2(Map.of("name", "c1"))), 409, 40902);
    assertError(http.post("/consumers/g-bad", TestHttp.V2, v2(Map.of("name", "c2", "format", "avro"))), 422, 42204);
    assertError(http.post("/consumers/g-bad", TestHttp.V2, v2(Map.of("name", "c2", "auto.offset.reset", "soon"))),
        422, 42204);
    assertError(http.post("/consumers/g-bad", TestHttp.V2, v2(Map.of("name", "c2", "auto.commit.enable", "maybe"))),
        422, 42204);
    assertError(http.post("/consumers/g-bad", TestHttp.V2, v2(Map.of("name", "no/slash"))), 422, 42204);
    assertError(http.post("/consumers/g-bad", TestHttp.V2, "{not json"), 400, 40002);
    assertError(http.post(instance + "/assignments", TestHttp.V2,
        v2(Map.of("partitions", List.of(Map.of("topic", "ci-bad", "partition", 0), Map.of("topic", "nope", "partition", 0))))),
        404, 40401);
    assertError(http.post(instance + "/assignments", TestHttp.V2,
        v2(Map.of("partitions", List.of(Map.of("topic", "ci-bad", "partition", 3))))), 404, 40402);
    assertError(http.post(instance + "/assignments", TestHttp.V2, v2(Map.of("partitions", "all"))), 422, 42206);
    assertError(http.post(instance + "/positions", TestHttp.V2,
        v2(Map.of("offsets", List.of(Map.of("topic", "other", "partition", 0, "offset", 1))))), 409, 40903);
    assertError(http.post(instance + "/positions", TestHttp.V2,
        v2(Map.of("offsets", List.of(Map.of("topic", "ci-bad", "partition", 0, "offset", -1))))), 422, 42206);
    assertError(http.post(instance + "/positions/end", TestHttp.V2,
        v2(Map.of("partitions", List.of(Map.of("topic", "ci-bad", "partition", 1))))), 409, 40903);
    assertError(http.get(instance + "/records", "Accept", TestHttp.BINARY), 406, 40601);
    assertError(http.get(instance + "/records?timeout=x", "Accept", TestHttp.JSON), 400, 40002);
    assertError(http.get(instance + "/records", "Accept", TestHttp.JSON), 400, 40002);
    assertError(http.get("/consumers/g-bad/instances/ghost/records", "Accept", TestHttp.JSON), 404, 40403);
    assertError(http.delete("/consumers/g-bad/instances/ghost"), 404, 40403);

    assertThat(broker.queryLong("select count(*) from consumer_instance")).isEqualTo(instances);
    assertThat(broker.queryLong("select count(*) from consumer_assignment")).isEqualTo(assignments);
    assertThat(broker.queryLong("select count(*) from consumer_assignment where group_name = 'g-bad' and position is not null")).isZero();

    assertThat(http.delete(instance).status()).isEqualTo(204);
    assertError(http.get(instance + "/assignments"), 404, 40403);
    assertThat(broker.queryLong("select count(*) from consumer_assignment")).isEqualTo(assignments - 1);
  }

  @Test
  void records_that_are_not_json_fail_a_json_instance_with_42203_and_do_not_advance_it() {
    http.createTopic("ci-notjson", 1);
    http.post("/topics/ci-notjson", TestHttp.BINARY, v2(Map.of("records", List.of(Map.of("value", "bm90IGpzb24=")))));
    String instance = createInstance("g-notjson", "c1", "json", "earliest");
    assign(instance, "ci-notjson", 0);
    assertError(http.get(instance + "/records", "Accept", TestHttp.JSON), 422, 42203);
    assertThat(broker.queryLong("select position from consumer_assignment where group_name = 'g-notjson'")).isZero();
  }
}
