package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka fetches share the node's fetch memory with HTTP's ({@code
 * ROWSTREAM_MAX_FETCH_BYTES_IN_FLIGHT}): while a long-polling fetch holds all of it, another fetch
 * is answered at once with nothing read and a throttle time, as Kafka answers a fetch over its
 * quota, and so is an HTTP read (429); once the first is answered, fetches are served again.
 */
class KafkaFetchMemoryTest {
  private static final String TOPIC = "memory";
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(
        "kafka-fetch-memory",
        c -> c.withOps(c.ops().withLimits(c.ops().limits().withMaxFetchBytesInFlight(4096))));
    broker.http().createTopic(TOPIC, 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static FetchRequestData fetch(int maxWaitMs) {
    return new FetchRequestData()
        .setMaxWaitMs(maxWaitMs)
        .setMinBytes(1)
        .setMaxBytes(1 << 20)
        .setSessionEpoch(-1)
        .setTopics(List.of(new FetchTopic()
            .setTopic(TOPIC)
            .setPartitions(List.of(new FetchPartition()
                .setPartition(0)
                .setFetchOffset(0)
                .setPartitionMaxBytes(1 << 20)
                .setCurrentLeaderEpoch(-1)))));
  }

  @Test
  void a_fetch_that_does_not_fit_beside_a_waiting_one_is_throttled_with_nothing_read()
      throws Exception {
    int port = broker.node(0).kafkaPort();
    try (KafkaWire waiting = new KafkaWire(port);
        KafkaWire other = new KafkaWire(port)) {
      // Asks for 1 MiB, more than the whole budget: holds all of it while it waits for a record.
      CompletableFuture<FetchResponseData> first = CompletableFuture.supplyAsync(() -> {
        try {
          return ((FetchResponse) waiting.call(ApiKeys.FETCH, (short) 12, fetch(20_000))).data();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Await.until(
          "the waiting fetch holds the node's fetch memory",
          Duration.ofSeconds(10),
          () -> broker
                  .http()
                  .get(
                      "/topics/" + TOPIC + "/partitions/0/records?offset=0&max_bytes=1",
                      "Accept",
                      TestHttp.BINARY)
                  .status()
              == 429);

      FetchResponseData throttled =
          ((FetchResponse) other.call(ApiKeys.FETCH, (short) 12, fetch(0))).data();
      assertThat(throttled.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(throttled.throttleTimeMs()).isEqualTo(FetchHandler.MEMORY_THROTTLE_MS);
      assertThat(throttled.responses()).isEmpty();

      broker
          .http()
          .post(
              "/topics/" + TOPIC + "/partitions/0",
              TestHttp.BINARY,
              TestHttp.json(Map.of("records", List.of(Map.of("value", "aGk=")))))
          .expectStatus(200);
      FetchResponseData answered = first.get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answered.responses().getFirst().partitions().getFirst().highWatermark())
          .isEqualTo(1);

      FetchResponseData served =
          ((FetchResponse) other.call(ApiKeys.FETCH, (short) 12, fetch(0))).data();
      assertThat(served.throttleTimeMs()).isZero();
      assertThat(served.responses().getFirst().partitions().getFirst().errorCode())
          .isEqualTo(Errors.NONE.code());
    }
  }
}
