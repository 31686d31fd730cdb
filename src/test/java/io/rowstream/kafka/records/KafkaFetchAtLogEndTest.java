package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.FetchRequests;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fetches at the log end over the Kafka port, once the node has read that end (a fetch answered
 * empty): a node answers such a fetch from what it read and waits without reading again
 * (log.KnownLogEnds), so these check that what it knows never hides a record. A fetch waiting on
 * one node wakes with a record produced on the other, well before the node's own re-check (10 s)
 * or the lifetime of what it knows (5 s); a fetch of several partitions woken by one append to all
 * of them answers every one of them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaFetchAtLogEndTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-fetch-at-log-end");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static List<PartitionData> call(KafkaWire wire, FetchRequestData fetch) {
    try {
      return ((FetchResponse) wire.call(ApiKeys.FETCH, (short) 12, fetch))
          .data()
          .responses()
          .get(0)
          .partitions();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> values(PartitionData partition) {
    List<String> values = new java.util.ArrayList<>();
    for (Record r : ((MemoryRecords) partition.records()).records()) {
      values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
    }
    return values;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Order(3) // starts a second node: the others append on the one node alone
  void a_fetch_at_an_end_the_node_read_wakes_on_a_produce_on_the_other_node() throws Exception {
    int other = broker.startNode();
    String topic = "known-end";
    broker.http().createTopic(topic, 1);
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      for (int i = 0; i < 3; i++) { // the node reads the end, then knows it
        PartitionData empty = call(wire, FetchRequests.from(topic, 1, 0, 50)).get(0);
        assertThat(empty.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(empty.highWatermark()).isZero();
        assertThat(values(empty)).isEmpty();
      }
      long started = System.nanoTime();
      CompletableFuture<List<PartitionData>> answer =
          CompletableFuture.supplyAsync(() -> call(wire, FetchRequests.from(topic, 1, 0, 30_000)));
      Await.until(
          "the fetch waits on the first node",
          Duration.ofSeconds(10),
          () -> broker.node(0).services().log().waiting() > 0);
      broker
          .http(other)
          .post(
              "/topics/" + topic + "/partitions/0",
              TestHttp.BINARY,
              "{\"records\":[{\"value\":\"" + b64("elsewhere") + "\"}]}")
          .expectStatus(200);

      PartitionData woken = answer.get(30, TimeUnit.SECONDS).get(0);
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(woken.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(woken.highWatermark()).isEqualTo(1);
      assertThat(values(woken)).containsExactly("elsewhere");
      // What the node knew of the end lives 5 s and its re-check runs every 10 s: well before
      // either, only the other node's signal can have made it read the partition again.
      assertThat(waitedMs).isLessThan(4_000);

      PartitionData next = call(wire, FetchRequests.from(topic, 1, 1, 50)).get(0);
      assertThat(next.highWatermark()).as("the new end, read again").isEqualTo(1);
      assertThat(values(next)).isEmpty();
    }
  }

  @Test
  @Order(1)
  void a_fetch_of_several_partitions_woken_by_one_append_to_all_of_them_answers_them_all()
      throws Exception {
    String topic = "known-ends";
    int partitions = 4;
    broker.http().createTopic(topic, partitions);
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      for (int i = 0; i < 3; i++) {
        assertThat(call(wire, FetchRequests.from(topic, partitions, 0, 50)))
            .allSatisfy(p -> assertThat(values(p)).isEmpty());
      }
      CompletableFuture<List<PartitionData>> answer = CompletableFuture.supplyAsync(
          () -> call(wire, FetchRequests.from(topic, partitions, 0, 30_000)));
      Await.until(
          "the fetch waits",
          Duration.ofSeconds(10),
          () -> broker.node(0).services().log().waiting() > 0);
      StringBuilder records = new StringBuilder();
      for (int p = partitions - 1; p >= 0; p--) {
        records
            .append(records.isEmpty() ? "" : ",")
            .append("{\"partition\":")
            .append(p)
            .append(",\"value\":\"")
            .append(b64("to-" + p))
            .append("\"}");
      }
      broker
          .http(0)
          .post("/topics/" + topic, TestHttp.BINARY, "{\"records\":[" + records + "]}")
          .expectStatus(200);

      List<PartitionData> woken = answer.get(30, TimeUnit.SECONDS);
      for (int p = 0; p < partitions; p++) {
        assertThat(woken.get(p).highWatermark()).as("partition %d", p).isEqualTo(1);
        assertThat(values(woken.get(p))).as("partition %d", p).containsExactly("to-" + p);
      }
    }
  }

  @Test
  @Order(2)
  void a_fetch_from_the_end_the_node_read_answers_that_end_and_an_earlier_offset_its_records()
      throws Exception {
    String topic = "behind-end";
    broker.http().createTopic(topic, 1);
    for (String value : List.of("a", "b")) { // a batch each
      broker
          .http(0)
          .post(
              "/topics/" + topic + "/partitions/0",
              TestHttp.BINARY,
              "{\"records\":[{\"value\":\"" + b64(value) + "\"}]}")
          .expectStatus(200);
    }
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      PartitionData atEnd = call(wire, FetchRequests.from(topic, 1, 2, 50)).get(0);
      assertThat(values(atEnd)).isEmpty();
      PartitionData known = call(wire, FetchRequests.from(topic, 1, 2, 50)).get(0);
      assertThat(known.highWatermark()).isEqualTo(2);
      assertThat(known.logStartOffset()).isZero();
      assertThat(values(known)).isEmpty();

      assertThat(values(call(wire, FetchRequests.from(topic, 1, 1, 50)).get(0)))
          .containsExactly("b");
      assertThat(call(wire, FetchRequests.from(topic, 1, 3, 50)).get(0).errorCode())
          .as("past the end")
          .isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
    }
  }
}
