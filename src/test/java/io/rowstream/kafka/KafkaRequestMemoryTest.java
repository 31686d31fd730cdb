package io.rowstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.support.Await;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's request memory over raw frames: a frame's announced length is held before the frame
 * is read, so clients that announce frames and send nothing make the others wait rather than take
 * the heap; their bytes must arrive within the body timeout, after which their connections are
 * closed and the memory they held serves the waiting requests.
 */
class KafkaRequestMemoryTest {
  private static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static final int IN_FLIGHT = 2 * MAX_REQUEST_BYTES;
  private static final int BODY_TIMEOUT_MS = 3_000;

  private static TestBroker broker;
  private static int port;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(
        "kafka-request-memory",
        c -> c.withKafka(c.kafka()
            .withRequests(c.kafka()
                .requests()
                .withLimits(MAX_REQUEST_BYTES, 100)
                .withMemory(IN_FLIGHT, BODY_TIMEOUT_MS))));
    port = broker.node(0).kafkaPort();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void
      requests_wait_while_announced_frames_hold_the_memory_and_are_served_once_their_senders_time_out()
          throws Exception {
    try (KafkaWire a = new KafkaWire(port);
        KafkaWire b = new KafkaWire(port);
        KafkaWire c = new KafkaWire(port)) {
      announceFullFrame(a);
      announceFullFrame(b);
      Await.until(
          "the two announced frames hold all of the request memory",
          Duration.ofSeconds(10),
          () -> inFlight() == IN_FLIGHT);

      CompletableFuture<MetadataResponse> waiting =
          CompletableFuture.supplyAsync(() -> metadata(c));
      assertThatThrownBy(() -> waiting.get(500, TimeUnit.MILLISECONDS))
          .as("a request waits while the memory is held")
          .isInstanceOf(TimeoutException.class);

      assertThat(waiting.get(BODY_TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS).brokers())
          .hasSize(1);
      assertThat(a.closedByPeer())
          .as("a sender that did not send its frame in time is closed")
          .isTrue();
      assertThat(b.closedByPeer()).isTrue();
      Await.until("the memory is free again", Duration.ofSeconds(10), () -> inFlight() == 0);
    }
  }

  @Test
  void
      a_request_that_fits_beside_a_held_frame_is_served_at_once_and_a_client_gone_mid_frame_frees_its_memory()
          throws Exception {
    try (KafkaWire held = new KafkaWire(port);
        KafkaWire other = new KafkaWire(port)) {
      announceFullFrame(held);
      Await.until(
          "the announced frame holds its memory",
          Duration.ofSeconds(10),
          () -> inFlight() == MAX_REQUEST_BYTES);
      assertThat(metadata(other).brokers()).hasSize(1);
    }
    Await.until(
        "the frame of the client that left is given back",
        Duration.ofSeconds(10),
        () -> inFlight() == 0);
  }

  /** Announces a frame of the largest length accepted and sends 4 bytes of it. */
  private static void announceFullFrame(KafkaWire wire) throws IOException {
    wire.sendRaw(ByteBuffer.allocate(8).putInt(MAX_REQUEST_BYTES).putInt(42).array());
  }

  private static long inFlight() {
    return (long) broker.http().metric("rowstream_kafka_request_bytes_in_flight");
  }

  private static MetadataResponse metadata(KafkaWire wire) {
    try {
      return (MetadataResponse)
          wire.call(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(List.of()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
