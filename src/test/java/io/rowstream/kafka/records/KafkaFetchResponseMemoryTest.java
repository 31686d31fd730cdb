package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Kafka fetch holds its share of the node's fetch memory until its response is written, not only
 * while it reads: a client that does not read its large response keeps the memory taken (its
 * response is in the node's heap), and gives it back as it reads.
 */
class KafkaFetchResponseMemoryTest {
  private static final String TOPIC = "large";
  private static final int RECORD_BYTES = 512 * 1024;
  private static final int RECORDS = 48; // 24 MiB: more than the socket buffers hold
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(
        "kafka-fetch-response-memory",
        c -> c.withOps(c.ops().withLimits(c.ops().limits().withMaxFetchBytesInFlight(256L << 20))));
    broker.http().createTopic(TOPIC, 1);
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(
        broker.kafkaBootstrap(), Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 2 * RECORD_BYTES))) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(TOPIC, 0, null, new byte[RECORD_BYTES]));
      }
      producer.flush();
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void the_reservation_of_a_fetch_is_held_until_its_response_is_written() throws Exception {
    int maxBytes = RECORDS * RECORD_BYTES * 2;
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("localhost", broker.node(0).kafkaPort()));
    try (KafkaWire slowReader = new KafkaWire(socket)) {
      FetchRequestData fetch = new FetchRequestData()
          .setMaxWaitMs(0)
          .setMinBytes(1)
          .setMaxBytes(maxBytes)
          .setSessionEpoch(-1)
          .setTopics(List.of(new FetchTopic()
              .setTopic(TOPIC)
              .setPartitions(List.of(new FetchPartition()
                  .setPartition(0)
                  .setFetchOffset(0)
                  .setPartitionMaxBytes(maxBytes)
                  .setCurrentLeaderEpoch(-1)))));
      RequestHeader header = new RequestHeader(ApiKeys.FETCH, (short) 12, "slow-reader", 1);
      slowReader.sendFrame(
          RequestUtils.serialize(header.data(), header.headerVersion(), fetch, (short) 12));

      DataInputStream in = new DataInputStream(socket.getInputStream());
      int responseBytes = in.readInt(); // the response is being written: the fetch has read all
      assertThat(responseBytes).isGreaterThan(RECORDS * RECORD_BYTES);
      assertThat(fetchBytesInFlight())
          .as("the fetch's reservation while its response waits for the client")
          .isGreaterThan(0);

      in.readFully(new byte[responseBytes]);
      Await.until(
          "the reservation is given back once the response is written",
          Duration.ofSeconds(10),
          () -> fetchBytesInFlight() == 0);
    }
  }

  private static long fetchBytesInFlight() {
    return (long) broker.http().metric("rowstream_fetch_bytes_in_flight");
  }
}
