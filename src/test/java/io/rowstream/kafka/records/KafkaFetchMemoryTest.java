package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.FetchRequests;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka fetches share the node's fetch memory with HTTP's ({@code
 * ROWSTREAM_MAX_FETCH_BYTES_IN_FLIGHT}), and take it for their reads, not for their waits: a fetch
 * long-polling an idle partition holds none of it, however large its {@code max_bytes}, so idle
 * consumers do not keep others from reading. When a read finds the memory taken (here by an HTTP
 * read that holds all of it), the fetch is answered at once with nothing read and a throttle time,
 * as Kafka answers a fetch over its quota; once the memory is free, fetches are served again.
 */
class KafkaFetchMemoryTest {
  private static final String TOPIC = "memory";
  private static final long BUDGET = 4096;
  /** A thread per blocking call: the common pool may run one task at a time on a small machine. */
  private static final java.util.concurrent.Executor CALLS =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(
        "kafka-fetch-memory",
        c -> c.withOps(c.ops().withLimits(c.ops().limits().withMaxFetchBytesInFlight(BUDGET))));
    broker.http().createTopic(TOPIC, 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static FetchRequestData fetch(long offset, int maxWaitMs) {
    return FetchRequests.from(TOPIC, 1, offset, maxWaitMs);
  }

  private static CompletableFuture<FetchResponseData> fetchAsync(KafkaWire wire, long offset) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return ((FetchResponse) wire.call(ApiKeys.FETCH, (short) 12, fetch(offset, 8_000)))
                .data();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        CALLS);
  }

  private static void produceOne() {
    broker
        .http()
        .post(
            "/topics/" + TOPIC + "/partitions/0",
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", List.of(Map.of("value", "aGk=")))))
        .expectStatus(200);
  }

  @Test
  void
      fetches_waiting_on_an_idle_partition_hold_no_memory_and_a_read_that_finds_it_taken_is_throttled()
          throws Exception {
    long end = broker.queryLong("select sum(log_end_offset) from topic_partition join topic using"
        + " (topic_id) where name = '" + TOPIC + "'");
    int port = broker.node(0).kafkaPort();
    try (KafkaWire waiter = new KafkaWire(port);
        KafkaWire reader = new KafkaWire(port)) {
      // A long poll asking for 1 MiB, far more than the 4 KiB budget, waits for a record.
      CompletableFuture<FetchResponseData> waiting = fetchAsync(waiter, end);
      Await.until(
          "the fetch waits for a record",
          Duration.ofSeconds(5),
          () -> broker.http().metric("rowstream_long_polls_waiting") >= 1);
      assertThat(broker.http().metric("rowstream_fetch_bytes_in_flight"))
          .as("a waiting fetch holds no fetch memory")
          .isZero();
      FetchResponseData meanwhile =
          ((FetchResponse) reader.call(ApiKeys.FETCH, (short) 12, fetch(0, 0))).data();
      assertThat(meanwhile.throttleTimeMs())
          .as("another fetch reads while the first waits")
          .isZero();

      produceOne();
      FetchResponseData answered = waiting.get(20, TimeUnit.SECONDS);
      assertThat(answered.throttleTimeMs()).isZero();
      assertThat(answered.responses().getFirst().partitions().getFirst().highWatermark())
          .isEqualTo(end + 1);
    }

    // An HTTP long poll of max_bytes 4096 holds the whole budget while it waits (HTTP reserves
    // for its wait); a Kafka read meanwhile is throttled, with nothing read.
    CompletableFuture<TestHttp.Response> holding = CompletableFuture.supplyAsync(
        () -> broker
            .http()
            .get(
                "/topics/" + TOPIC + "/partitions/0/records?offset=" + (end + 1)
                    + "&max_bytes=4096&timeout=20000",
                "Accept",
                TestHttp.BINARY),
        CALLS);
    Await.until(
        "the HTTP read holds the node's fetch memory",
        Duration.ofSeconds(10),
        () -> broker.http().metric("rowstream_fetch_bytes_in_flight") == BUDGET);
    try (KafkaWire other = new KafkaWire(port)) {
      FetchResponseData throttled =
          ((FetchResponse) other.call(ApiKeys.FETCH, (short) 12, fetch(0, 0))).data();
      assertThat(throttled.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(throttled.throttleTimeMs()).isEqualTo(FetchHandler.MEMORY_THROTTLE_MS);
      assertThat(throttled.responses()).isEmpty();

      produceOne();
      assertThat(holding.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
      Await.until(
          "the memory is free again",
          Duration.ofSeconds(10),
          () -> broker.http().metric("rowstream_fetch_bytes_in_flight") == 0);
      FetchResponseData served =
          ((FetchResponse) other.call(ApiKeys.FETCH, (short) 12, fetch(0, 0))).data();
      assertThat(served.throttleTimeMs()).isZero();
      assertThat(served.responses().getFirst().partitions().getFirst().errorCode())
          .isEqualTo(Errors.NONE.code());
    }
  }

  /**
   * A fetch reserves what its partitions may return, not its whole {@code max_bytes}: a Java
   * consumer asks for 50 MiB by default whatever it reads, and three of them would otherwise take
   * a node's default budget (256 MiB, twice what each reserves) and be throttled in turn.
   */
  @Test
  void a_fetch_reserves_what_its_partitions_may_return_not_its_whole_max_bytes() throws Exception {
    long end = broker.queryLong("select sum(log_end_offset) from topic_partition join topic using"
        + " (topic_id) where name = '" + TOPIC + "'");
    // An HTTP long poll of max_bytes 1024 holds half the budget while it waits.
    CompletableFuture<TestHttp.Response> holding = CompletableFuture.supplyAsync(
        () -> broker
            .http()
            .get(
                "/topics/" + TOPIC + "/partitions/0/records?offset=" + end
                    + "&max_bytes=1024&timeout=20000",
                "Accept",
                TestHttp.BINARY),
        CALLS);
    Await.until(
        "the HTTP read holds half the node's fetch memory",
        Duration.ofSeconds(10),
        () -> broker.http().metric("rowstream_fetch_bytes_in_flight") == BUDGET / 2);
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      FetchRequestData asked = fetch(0, 0); // max_bytes 1 MiB, far over the budget
      asked.topics().getFirst().partitions().getFirst().setPartitionMaxBytes(1000);
      FetchResponseData served =
          ((FetchResponse) wire.call(ApiKeys.FETCH, (short) 12, asked)).data();
      assertThat(served.throttleTimeMs())
          .as("reserved 2 x 1000 bytes, which fit")
          .isZero();
      assertThat(served.responses().getFirst().partitions().getFirst().errorCode())
          .isEqualTo(Errors.NONE.code());
    }
    produceOne();
    assertThat(holding.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
  }
}
