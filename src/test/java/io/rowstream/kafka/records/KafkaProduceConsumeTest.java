package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kafka-clients' own KafkaProducer and KafkaConsumer on a node's Kafka port, real PostgreSQL: what
 * a producer sends (idempotent with acks=all by default, or acks 1 and 0; every compression type;
 * keys, headers, timestamps, explicit partitions) is what a consumer reads back, at the offsets the
 * producer was told, and the offset lookups (beginning, end, by time, max timestamp) answer from
 * the log.
 */
class KafkaProduceConsumeTest {
  private static final long BASE_TIME = 1_767_225_600_000L;
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-produce-consume");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
    return KafkaClients.producer(broker.kafkaBootstrap(), extra);
  }

  private static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> extra) {
    return KafkaClients.consumer(broker.kafkaBootstrap(), extra);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every record of the partitions from offset 0 up to {@code count} records. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(
      KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, int count) {
    consumer.assign(partitions);
    partitions.forEach(p -> consumer.seek(p, 0));
    List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
    Await.until("the consumer read " + count + " records", Duration.ofSeconds(30), () -> {
      consumer.poll(Duration.ofMillis(200)).forEach(read::add);
      return read.size() >= count;
    });
    assertThat(read).hasSize(count);
    return read;
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
  void an_idempotent_producers_records_are_read_back_exactly_with_their_batches_stored_as_sent(
      String compression) throws Exception {
    String topic = "exact-" + compression;
    broker.http().createTopic(topic, 3);
    List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(
          topic,
          i % 3,
          BASE_TIME + i,
          i % 5 == 0 ? null : bytes("key-" + i),
          i % 7 == 0 ? null : bytes("value-" + i + "-" + "x".repeat(i * 10)),
          List.of(new RecordHeader("h" + i, bytes("hv-" + i)), new RecordHeader("empty", null)));
      sent.add(r);
    }
    List<RecordMetadata> acked = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        producer(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression))) {
      List<Future<RecordMetadata>> futures = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> r : sent) {
        futures.add(producer.send(r));
      }
      for (Future<RecordMetadata> f : futures) {
        acked.add(f.get());
      }
    }
    for (int i = 0; i < 30; i++) {
      assertThat(acked.get(i).partition()).isEqualTo(i % 3);
      assertThat(acked.get(i).offset()).as("offset of record %d", i).isEqualTo(i / 3);
    }

    List<TopicPartition> partitions =
        IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topic, p)).toList();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of())) {
      List<ConsumerRecord<byte[], byte[]>> read = readAll(consumer, partitions, 30);
      for (ConsumerRecord<byte[], byte[]> r : read) {
        int i = (int) r.offset() * 3 + r.partition();
        ProducerRecord<byte[], byte[]> s = sent.get(i);
        assertThat(r.key()).as("key of record %d", i).isEqualTo(s.key());
        assertThat(r.value()).as("value of record %d", i).isEqualTo(s.value());
        assertThat(r.timestamp()).isEqualTo(s.timestamp());
        assertThat(r.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(r.headers().toArray()).containsExactly(s.headers().toArray());
      }
    }
    // Stored as sent: one chunk per producer batch, in the producer's codec, with its producer id.
    assertThat(
            broker.queryText("select string_agg(distinct h.compression, ',') from rowstream.chunk c"
                + " join rowstream.topic t on t.topic_id = c.topic_id"
                + " cross join lateral rowstream.record_batch_header(c.batch) h where t.name = '"
                + topic + "'"))
        .isEqualTo(compression);
    assertThat(broker.queryLong("select count(*) from rowstream.producer_sequence s"
            + " join rowstream.topic t on t.topic_id = s.topic_id where t.name = '" + topic + "'"))
        .as("the producer was idempotent: its sequences are kept per partition")
        .isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "0"})
  void a_producer_with_acks_one_or_zero_writes_every_record(String acks) throws Exception {
    String topic = "acks-" + acks;
    broker.http().createTopic(topic, 1);
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(
        ProducerConfig.ACKS_CONFIG, acks, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
      List<Future<RecordMetadata>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        futures.add(producer.send(new ProducerRecord<>(topic, bytes("k" + i), bytes("v" + i))));
      }
      producer.flush();
      for (int i = 0; i < 20; i++) {
        // acks=0: the producer learns no offset (-1), as with Kafka
        assertThat(futures.get(i).get().offset()).isEqualTo(acks.equals("0") ? -1 : i);
      }
    }
    TopicPartition p0 = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of())) {
      Await.until(
          "20 records are in the log",
          Duration.ofSeconds(20),
          () -> consumer.endOffsets(List.of(p0)).get(p0) == 20);
      List<ConsumerRecord<byte[], byte[]>> read = readAll(consumer, List.of(p0), 20);
      assertThat(read.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)))
          .containsExactlyElementsOf(
              IntStream.range(0, 20).mapToObj(i -> "v" + i).toList());
    }
  }

  @Test
  void a_key_lands_in_the_partition_the_http_door_puts_the_same_key_in() throws Exception {
    String topic = "keyed";
    broker.http().createTopic(topic, 6);
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      for (int i = 0; i < 24; i++) {
        byte[] key = bytes("customer-" + i);
        int overKafka =
            producer.send(new ProducerRecord<>(topic, key, bytes("v"))).get().partition();
        int overHttp = broker
            .http()
            .post(
                "/topics/" + topic,
                TestHttp.BINARY,
                "{\"records\":[{\"key\":\"" + Base64.getEncoder().encodeToString(key)
                    + "\",\"value\":\"dg==\"}]}")
            .expectStatus(200)
            .json()
            .at("/offsets/0/partition")
            .asInt();
        assertThat(overKafka).as("partition of key customer-%d", i).isEqualTo(overHttp);
      }
    }
  }

  @Test
  void offset_lookups_answer_earliest_latest_by_time_and_max_timestamp_from_the_log()
      throws Exception {
    String topic = "timed";
    broker.http().createTopic(topic, 1);
    TopicPartition p0 = new TopicPartition(topic, 0);
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      for (int i = 0; i < 10; i++) {
        // record 6 carries the largest timestamp; the others rise by a second each
        long time = i == 6 ? BASE_TIME + 100_000 : BASE_TIME + 1000L * i;
        producer
            .send(new ProducerRecord<>(topic, 0, time, bytes("k"), bytes("v" + i)))
            .get();
      }
    }
    for (String isolation : List.of("read_uncommitted", "read_committed")) {
      try (KafkaConsumer<byte[], byte[]> consumer =
          consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
        assertThat(consumer.beginningOffsets(List.of(p0))).containsEntry(p0, 0L);
        assertThat(consumer.endOffsets(List.of(p0))).containsEntry(p0, 10L);
        OffsetAndTimestamp found =
            consumer.offsetsForTimes(Map.of(p0, BASE_TIME + 3500)).get(p0);
        assertThat(found.offset()).isEqualTo(4);
        assertThat(found.timestamp()).isEqualTo(BASE_TIME + 4000);
        assertThat(consumer.offsetsForTimes(Map.of(p0, BASE_TIME + 100_001)).get(p0))
            .isNull();
        assertThat(readAll(consumer, List.of(p0), 10)).hasSize(10);
      }
    }
    try (Admin admin = KafkaClients.admin(broker.kafkaBootstrap())) {
      ListOffsetsResultInfo max = admin
          .listOffsets(Map.of(p0, OffsetSpec.maxTimestamp()))
          .partitionResult(p0)
          .get();
      assertThat(max.offset()).isEqualTo(6);
      assertThat(max.timestamp()).isEqualTo(BASE_TIME + 100_000);
      assertThat(admin
              .listOffsets(Map.of(p0, OffsetSpec.earliestLocal()))
              .partitionResult(p0)
              .get()
              .offset())
          .isZero();
      assertThat(admin
              .listOffsets(Map.of(p0, OffsetSpec.latestTiered()))
              .partitionResult(p0)
              .get()
              .offset())
          .isEqualTo(-1);
      assertThat(admin
              .listOffsets(Map.of(p0, OffsetSpec.latest()))
              .partitionResult(p0)
              .get()
              .offset())
          .isEqualTo(10);
    }
  }

  @Test
  void a_log_append_time_topic_stamps_the_append_time_and_answers_it() throws Exception {
    String topic = "append-time";
    broker.http().createTopic(topic, 1, Map.of("message.timestamp.type", "LogAppendTime"));
    long before = System.currentTimeMillis();
    RecordMetadata acked;
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      acked = producer
          .send(new ProducerRecord<>(topic, 0, 42L, null, bytes("stamped")))
          .get();
    }
    assertThat(acked.timestamp())
        .as("the log append time the broker answered")
        .isBetween(before - 5_000, System.currentTimeMillis() + 5_000);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of())) {
      ConsumerRecord<byte[], byte[]> read =
          readAll(consumer, List.of(new TopicPartition(topic, 0)), 1).getFirst();
      assertThat(read.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
      assertThat(read.timestamp()).isEqualTo(acked.timestamp());
    }
  }

  @Test
  void the_record_apis_are_advertised_as_kafka_4_advertises_them() throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      ApiVersionsResponseData versions = ((ApiVersionsResponse) wire.call(
              ApiKeys.API_VERSIONS,
              (short) 3,
              new ApiVersionsRequestData()
                  .setClientSoftwareName("test")
                  .setClientSoftwareVersion("1")))
          .data();
      Map<Short, String> ranges = new java.util.HashMap<>();
      versions
          .apiKeys()
          .forEach(k -> ranges.put(k.apiKey(), k.minVersion() + ".." + k.maxVersion()));
      assertThat(ranges)
          .containsEntry(ApiKeys.PRODUCE.id, "0..13")
          .containsEntry(ApiKeys.FETCH.id, "4..18")
          .containsEntry(ApiKeys.LIST_OFFSETS.id, "1..11")
          .containsEntry(ApiKeys.INIT_PRODUCER_ID.id, "0..5")
          .containsEntry(
              ApiKeys.OFFSET_FOR_LEADER_EPOCH.id,
              ApiKeys.OFFSET_FOR_LEADER_EPOCH.oldestVersion() + ".."
                  + ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion());
    }
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      // Produce v0..2 are advertised (KAFKA-18659) but refused, as Kafka 4 refuses them.
      RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, (short) 2, "old-client", 1);
      wire.send(header, new byte[] {0, 1, 0, 0, 0x27, 0x10, 0, 0, 0, 0});
      assertThat(wire.closedByPeer()).isTrue();
    }
  }
}
