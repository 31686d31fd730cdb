package io.rowstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several stateless nodes on one database: any node serves any partition, and nothing lives in a node. */
class MultiNodeTest {
  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("multi_node");
    broker.startNode();
    broker.node(0).services().topics().create("shared", 2, 1, Map.of());
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_long_poll_on_one_node_wakes_on_a_produce_to_the_other() throws Exception {
    TestHttp nodeA = broker.http(0);
    TestHttp nodeB = broker.http(1);
    long end =
        broker.queryLong("select log_end_offset from topic_partition where partition_id = 1");
    long started = System.nanoTime();
    CompletableFuture<TestHttp.Response> poll = CompletableFuture.supplyAsync(() -> nodeA.get(
        "/topics/shared/partitions/1/records?offset=" + end + "&timeout=20000",
        "Accept",
        TestHttp.JSON));
    // The poll is registered once node A has a waiter on the partition.
    while (broker.node(0).services().log().waiting() == 0) {
      Thread.onSpinWait();
    }
    var produced = nodeB.post(
        "/topics/shared/partitions/1",
        TestHttp.JSON,
        TestHttp.json(Map.of("records", List.of(Map.of("value", Map.of("hello", "from B"))))));
    assertThat(produced.status()).as(produced.body()).isEqualTo(200);

    TestHttp.Response response = poll.get(20, TimeUnit.SECONDS);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode records = response.json();
    assertThat(records).hasSize(1);
    assertThat(records.get(0).get("value").get("hello").asText()).isEqualTo("from B");
    assertThat(elapsedMs)
        .as("woken by the notification, not by the 20 s timeout")
        .isLessThan(10_000);
  }

  @Test
  void a_long_poll_with_nothing_new_returns_empty_after_its_timeout() {
    long end =
        broker.queryLong("select log_end_offset from topic_partition where partition_id = 0");
    long started = System.nanoTime();
    var response = broker
        .http(1)
        .get(
            "/topics/shared/partitions/0/records?offset=" + end + "&timeout=300",
            "Accept",
            TestHttp.BINARY);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json()).isEmpty();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(300);
  }

  @Test
  void records_survive_a_node_restart_and_a_new_node_continues_the_offsets() {
    var first = broker
        .http(0)
        .post(
            "/topics/shared/partitions/0",
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", List.of(Map.of("value", "b25l")))));
    long offset = first.json().get("offsets").get(0).get("offset").asLong();

    broker.restartNode(0);

    var read = broker
        .http(0)
        .get("/topics/shared/partitions/0/records?offset=" + offset, "Accept", TestHttp.BINARY);
    assertThat(read.json().get(0).get("value").asText()).isEqualTo("b25l");
    var next = broker
        .http(0)
        .post(
            "/topics/shared/partitions/0",
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", List.of(Map.of("value", "dHdv")))));
    assertThat(next.json().get("offsets").get(0).get("offset").asLong()).isEqualTo(offset + 1);
  }
}
