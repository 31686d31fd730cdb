package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.Await;
import io.rowstream.support.CompactedLog;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compressed batches of several records from a {@code KafkaProducer}, keys repeating and a
 * tombstone among them, on a compacted topic: Rowstream's cleaner keeps the latest record of each
 * key at its offset in batches of the producer's codec, drops the tombstone once
 * delete.retention.ms has passed, and a {@code KafkaConsumer} and HTTP then read the same log.
 */
class KafkaCompactionTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-compaction", c -> c.withLogMaintenanceIntervalMs(50));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** A record as produced at an offset: key and value (null for a tombstone). */
  record Produced(String key, String value) {}

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
  void a_producers_compressed_batches_are_compacted_and_read_alike_over_kafka_and_http(String codec)
      throws Exception {
    String topic = "kafka-compacted-" + codec;
    broker
        .http()
        .createTopic(
            topic,
            1,
            Map.of(
                "cleanup.policy", "compact",
                "min.cleanable.dirty.ratio", "0",
                "internal.segment.bytes", "1024",
                "delete.retention.ms", "0"));
    Map<Long, Produced> produced = produce(topic, codec);
    CompactedLog.awaitCleanedUpToTheActiveSegment(broker, topic);

    long activeBase = CompactedLog.activeSegmentBase(broker, topic);
    assertThat(activeBase).as("the log rolled, so there is something to clean").isGreaterThan(20);
    Map<String, Long> latestBelowActive = new HashMap<>();
    produced.forEach((offset, p) -> {
      if (offset < activeBase) {
        latestBelowActive.put(p.key(), offset);
      }
    });
    List<Long> expectedBelowActive = latestBelowActive.values().stream()
        .filter(offset -> produced.get(offset).value() != null)
        .sorted()
        .toList();
    assertThat(produced.get(latestBelowActive.get("k4")).value())
        .as("k4's last record below the active segment is its tombstone")
        .isNull();

    TopicPartition tp = new TopicPartition(topic, 0);
    Map<Long, Produced> overKafka = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.consumer(broker.kafkaBootstrap(), Map.of())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      Await.until("the consumer read to the end", Duration.ofSeconds(30), () -> {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          overKafka.put(r.offset(), new Produced(text(r.key()), text(r.value())));
        }
        return consumer.position(tp) >= end;
      });
    }
    overKafka.forEach((offset, p) -> assertThat(p)
        .as("offset %d keeps what was produced there", offset)
        .isEqualTo(produced.get(offset)));
    assertThat(overKafka.keySet().stream().filter(o -> o < activeBase).toList())
        .as("below the active segment: only each key's latest record, k4 and its tombstone gone")
        .containsExactlyElementsOf(expectedBelowActive);
    assertThat(overKafka.keySet().stream().filter(o -> o >= activeBase).toList())
        .as("the active segment is left whole")
        .containsExactlyElementsOf(
            produced.keySet().stream().filter(o -> o >= activeBase).sorted().toList());

    assertThat(readOverHttp(topic)).as("HTTP reads the same log").isEqualTo(overKafka);
    for (MutableRecordBatch b : CompactedLog.storedBatches(broker, topic)) {
      b.ensureValid();
      assertThat(b.compressionType())
          .as("kept in the producer's codec, as Kafka's cleaner keeps it")
          .isEqualTo(CompressionType.forName(codec));
    }
  }

  /**
   * Rounds of five records (k0..k4, values of random hex so that the codec cannot shrink a batch
   * below a segment) sent together, so that each is one batch; one round has k4's tombstone; later
   * rounds leave out k4 and roll the tombstone's segment. Returns what was produced at each offset.
   */
  private static Map<Long, Produced> produce(String topic, String codec) throws Exception {
    Random random = new Random(21);
    Map<Long, Produced> produced = new TreeMap<>();
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(
        broker.kafkaBootstrap(), Map.of("compression.type", codec, "linger.ms", 1000))) {
      for (int round = 0; round < 16; round++) {
        Map<Future<RecordMetadata>, Produced> sent = new HashMap<>();
        for (int k = 0; k < 5; k++) {
          if (round >= 8 && k == 4) {
            continue;
          }
          byte[] bytes = new byte[120];
          random.nextBytes(bytes);
          String value = round == 7 && k == 4 ? null : HexFormat.of().formatHex(bytes);
          ProducerRecord<byte[], byte[]> r =
              new ProducerRecord<>(topic, 0, bytes("k" + k), value == null ? null : bytes(value));
          sent.put(producer.send(r), new Produced("k" + k, value));
        }
        producer.flush();
        for (var e : sent.entrySet()) {
          produced.put(e.getKey().get().offset(), e.getValue());
        }
      }
    }
    long batches = broker.queryLong("select count(*) from chunk c join topic t using (topic_id)"
        + " cross join lateral rowstream.record_batch_header(c.batch) h where t.name = '" + topic
        + "' and h.record_count > 1");
    assertThat(batches).as("batches of several records were written").isPositive();
    return produced;
  }

  private static Map<Long, Produced> readOverHttp(String topic) {
    Map<Long, Produced> out = new TreeMap<>();
    long next = 0;
    while (true) {
      JsonNode records = broker
          .http()
          .get(
              "/topics/" + topic + "/partitions/0/records?offset=" + next,
              "Accept",
              TestHttp.BINARY)
          .expectStatus(200)
          .json();
      if (records.isEmpty()) {
        return out;
      }
      for (JsonNode r : records) {
        out.put(
            r.get("offset").asLong(), new Produced(decode(r.get("key")), decode(r.get("value"))));
        next = r.get("offset").asLong() + 1;
      }
    }
  }

  private static String decode(JsonNode base64) {
    return base64 == null || base64.isNull()
        ? null
        : new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
