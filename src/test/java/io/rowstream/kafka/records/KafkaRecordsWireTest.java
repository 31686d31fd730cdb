package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Produce and Fetch over raw frames on the Kafka port, for what real clients do not send or do not
 * show: each bad partition of a Produce gets Kafka's error and nothing is written while its good
 * partitions are written (wrong CRC, negative partition, unknown topic or topic id, acks 2, a batch
 * over max.message.bytes, acks=all under min.insync.replicas, a timestamp out of bounds), an acks=0 produce that fails closes its connection while other
 * connections are served; a Fetch answers every partition it names, each with its own error, keeps
 * within max_bytes yet returns its first batch whole, and reads by topic id (v13 and later).
 */
class KafkaRecordsWireTest {
  private static final String TOPIC = "bad-input";
  private static final String SMALL = "small-records";
  private static final String STRICT = "strict";
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-records-wire");
    broker.http().createTopic(TOPIC, 2);
    broker.http().createTopic(SMALL, 1, Map.of("max.message.bytes", "200"));
    broker
        .http()
        .createTopic(
            STRICT,
            1,
            Map.of("min.insync.replicas", "2", "message.timestamp.before.max.ms", "3600000"));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaWire wire() {
    return new KafkaWire(broker.node(0).kafkaPort());
  }

  private static ByteBuffer batch(String value) {
    return MemoryRecords.withRecords(
            Compression.NONE,
            new SimpleRecord(
                System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8)))
        .buffer();
  }

  private static ByteBuffer corrupted(String value) {
    ByteBuffer b = batch(value);
    int last = b.limit() - 1;
    b.put(last, (byte) (b.get(last) ^ 0x5a)); // a byte the CRC covers
    return b;
  }

  private static ProduceRequestData produce(short acks, TopicProduceData... topics) {
    TopicProduceDataCollection all = new TopicProduceDataCollection();
    for (TopicProduceData t : topics) {
      all.add(t);
    }
    return new ProduceRequestData().setAcks(acks).setTimeoutMs(10_000).setTopicData(all);
  }

  private static TopicProduceData topic(String name, Object... partitionsAndBatches) {
    TopicProduceData t = new TopicProduceData().setName(name);
    for (int i = 0; i < partitionsAndBatches.length; i += 2) {
      t.partitionData()
          .add(new PartitionProduceData()
              .setIndex((Integer) partitionsAndBatches[i])
              .setRecords(MemoryRecords.readableRecords((ByteBuffer) partitionsAndBatches[i + 1])));
    }
    return t;
  }

  private static PartitionProduceResponse answer(ProduceResponse r, String topic, int partition) {
    return r.data().responses().stream()
        .filter(t -> t.name().equals(topic))
        .flatMap(t -> t.partitionResponses().stream())
        .filter(p -> p.index() == partition)
        .findFirst()
        .orElseThrow();
  }

  private static long logEnd(int partition) {
    return broker.queryLong("select p.log_end_offset from rowstream.topic_partition p join"
        + " rowstream.topic t on t.topic_id = p.topic_id where t.name = '" + TOPIC
        + "' and p.partition_id = " + partition);
  }

  @Test
  void each_bad_partition_gets_kafkas_error_and_nothing_while_the_good_one_is_written()
      throws Exception {
    long end0 = logEnd(0);
    long end1 = logEnd(1);
    try (KafkaWire wire = wire()) {
      ProduceResponse r = (ProduceResponse) wire.call(
          ApiKeys.PRODUCE,
          (short) 12,
          produce(
              (short) -1,
              topic(TOPIC, 0, corrupted("damaged"), 1, batch("fine"), -1, batch("negative")),
              topic("no-such-topic", 0, batch("lost"))));
      assertThat(answer(r, TOPIC, 0).errorCode()).isEqualTo(Errors.CORRUPT_MESSAGE.code());
      assertThat(answer(r, TOPIC, 0).errorMessage()).contains("CRC");
      assertThat(answer(r, TOPIC, 1).errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(answer(r, TOPIC, 1).baseOffset()).isEqualTo(end1);
      assertThat(answer(r, TOPIC, -1).errorCode())
          .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
      assertThat(answer(r, "no-such-topic", 0).errorCode())
          .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
    assertThat(logEnd(0)).isEqualTo(end0);
    assertThat(logEnd(1)).isEqualTo(end1 + 1);
    assertThat(
            broker.queryLong("select count(*) from rowstream.topic where name = 'no-such-topic'"))
        .as("no auto-creation")
        .isZero();
  }

  @Test
  void a_produce_to_several_partitions_answers_each_its_own_base_offset() throws Exception {
    try (KafkaWire wire = wire()) {
      while (logEnd(0) == logEnd(1)) {
        wire.call(ApiKeys.PRODUCE, (short) 11, produce((short) 1, topic(TOPIC, 0, batch("ahead"))));
      }
      long end0 = logEnd(0);
      long end1 = logEnd(1);
      ProduceResponse r = (ProduceResponse) wire.call(
          ApiKeys.PRODUCE,
          (short) 11,
          produce((short) 1, topic(TOPIC, 0, batch("zero"), 1, batch("one"))));
      assertThat(answer(r, TOPIC, 0).baseOffset()).isEqualTo(end0);
      assertThat(answer(r, TOPIC, 1).baseOffset()).isEqualTo(end1);
      assertThat(logEnd(0)).isEqualTo(end0 + 1);
      assertThat(logEnd(1)).isEqualTo(end1 + 1);
    }
  }

  @Test
  void an_unknown_topic_id_and_an_invalid_acks_are_refused_per_partition() throws Exception {
    long end0 = logEnd(0);
    try (KafkaWire wire = wire()) {
      TopicProduceData byId = topic(null, 0, batch("by-id")).setTopicId(Uuid.randomUuid());
      ProduceResponse unknownId =
          (ProduceResponse) wire.call(ApiKeys.PRODUCE, (short) 13, produce((short) 1, byId));
      assertThat(unknownId
              .data()
              .responses()
              .iterator()
              .next()
              .partitionResponses()
              .get(0)
              .errorCode())
          .isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
      ProduceResponse badAcks = (ProduceResponse) wire.call(
          ApiKeys.PRODUCE, (short) 9, produce((short) 2, topic(TOPIC, 0, batch("acks 2"))));
      assertThat(answer(badAcks, TOPIC, 0).errorCode())
          .isEqualTo(Errors.INVALID_REQUIRED_ACKS.code());
    }
    assertThat(logEnd(0)).isEqualTo(end0);
  }

  @Test
  void a_failed_acks_zero_produce_closes_its_connection_and_others_are_served() throws Exception {
    long end0 = logEnd(0);
    try (KafkaWire failing = wire();
        KafkaWire other = wire()) {
      ProduceRequestData body = produce((short) 0, topic(TOPIC, 0, corrupted("silent")));
      RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, (short) 11, "bad-acks-0", 7);
      failing.sendFrame(
          RequestUtils.serialize(header.data(), header.headerVersion(), body, (short) 11));
      assertThat(failing.closedByPeer()).isTrue();

      ProduceResponse served = (ProduceResponse) other.call(
          ApiKeys.PRODUCE, (short) 11, produce((short) 1, topic(TOPIC, 0, batch("after"))));
      assertThat(answer(served, TOPIC, 0).errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(answer(served, TOPIC, 0).baseOffset()).isEqualTo(end0);
    }
    assertThat(logEnd(0)).isEqualTo(end0 + 1);
  }

  /**
   * With a response limit of 1 MiB the partitions (1 MiB each) are read one after the other, after
   * their ranges; with 50 MiB, all of them in one statement.
   */
  @ParameterizedTest
  @ValueSource(ints = {1 << 20, 50 << 20})
  void a_fetch_answers_every_partition_it_names_each_with_its_own_error(int maxBytes)
      throws Exception {
    try (KafkaWire wire = wire()) {
      wire.call(ApiKeys.PRODUCE, (short) 11, produce((short) 1, topic(TOPIC, 1, batch("read me"))));
      long end1 = logEnd(1);
      long smallEnd = broker.queryLong("select p.log_end_offset from rowstream.topic_partition p"
          + " join rowstream.topic t using (topic_id) where t.name = '" + SMALL + "'");
      FetchRequestData fetch = new FetchRequestData()
          .setMaxWaitMs(0)
          .setMinBytes(1)
          .setMaxBytes(maxBytes)
          .setSessionEpoch(-1)
          .setTopics(List.of(
              new FetchTopic()
                  .setTopic(TOPIC)
                  .setPartitions(List.of(
                      fetchPartition(0, 1_000_000),
                      fetchPartition(1, end1 - 1),
                      fetchPartition(7, 0))),
              new FetchTopic().setTopic(SMALL).setPartitions(List.of(fetchPartition(0, smallEnd))),
              new FetchTopic()
                  .setTopic("no-such-topic")
                  .setPartitions(List.of(fetchPartition(0, 0)))));
      FetchResponseData r = ((FetchResponse) wire.call(ApiKeys.FETCH, (short) 12, fetch)).data();
      assertThat(r.sessionId()).isZero();
      List<PartitionData> mine = r.responses().get(0).partitions();
      assertThat(mine).extracting(PartitionData::partitionIndex).containsExactly(0, 1, 7);
      assertThat(mine.get(0).errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
      assertThat(mine.get(1).errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(mine.get(1).highWatermark()).isEqualTo(end1);
      assertThat(mine.get(1).lastStableOffset()).isEqualTo(end1);
      assertThat(mine.get(1).logStartOffset()).isZero();
      assertThat(mine.get(1).abortedTransactions()).as("read_uncommitted: none").isNull();
      MemoryRecords records = (MemoryRecords) mine.get(1).records();
      assertThat(records.batches().iterator().next().lastOffset()).isEqualTo(end1 - 1);
      assertThat(mine.get(2).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
      PartitionData readToItsEnd = r.responses().get(1).partitions().get(0);
      assertThat(readToItsEnd.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(readToItsEnd.highWatermark()).isEqualTo(smallEnd);
      assertThat(readToItsEnd.records().sizeInBytes()).isZero();
      assertThat(r.responses().get(2).partitions().get(0).errorCode())
          .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());

      FetchResponseData incremental = ((FetchResponse) wire.call(
              ApiKeys.FETCH, (short) 12, fetch.duplicate().setSessionId(0).setSessionEpoch(3)))
          .data();
      assertThat(incremental.errorCode()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
    }
  }

  private static FetchPartition fetchPartition(int partition, long offset) {
    return new FetchPartition()
        .setPartition(partition)
        .setFetchOffset(offset)
        .setPartitionMaxBytes(1 << 20)
        .setCurrentLeaderEpoch(-1);
  }

  @Test
  void a_batch_over_max_message_bytes_is_message_too_large_and_not_written() throws Exception {
    try (KafkaWire wire = wire()) {
      ProduceResponse r = (ProduceResponse) wire.call(
          ApiKeys.PRODUCE, (short) 11, produce((short) 1, topic(SMALL, 0, batch("z".repeat(500)))));
      assertThat(answer(r, SMALL, 0).errorCode()).isEqualTo(Errors.MESSAGE_TOO_LARGE.code());
    }
    assertThat(broker.queryLong("select p.log_end_offset from rowstream.topic_partition p join"
            + " rowstream.topic t using (topic_id) where t.name = '" + SMALL + "'"))
        .isZero();
  }

  /**
   * Below one batch: the whole response (the partitions then read one after the other), or each
   * partition's limit (their sum within the response's: all of them in one statement).
   */
  @ParameterizedTest
  @CsvSource({"100, 1048576", "200, 100"})
  void a_fetch_keeps_within_max_bytes_yet_returns_the_first_batch_whole(
      int maxBytes, int partitionMaxBytes) throws Exception {
    try (KafkaWire wire = wire()) {
      String big = "b".repeat(4_000);
      wire.call(ApiKeys.PRODUCE, (short) 11, produce((short) 1, topic(TOPIC, 0, batch(big))));
      wire.call(ApiKeys.PRODUCE, (short) 11, produce((short) 1, topic(TOPIC, 1, batch(big))));
      long end0 = logEnd(0);
      long end1 = logEnd(1);
      FetchRequestData fetch = new FetchRequestData()
          .setMaxWaitMs(0)
          .setMinBytes(1)
          .setMaxBytes(maxBytes) // below one batch: the first batch still comes, whole
          .setSessionEpoch(-1)
          .setTopics(List.of(new FetchTopic()
              .setTopic(TOPIC)
              .setPartitions(List.of(
                  fetchPartition(0, end0 - 1).setPartitionMaxBytes(partitionMaxBytes),
                  fetchPartition(1, end1 - 1).setPartitionMaxBytes(partitionMaxBytes)))));
      List<PartitionData> read = ((FetchResponse) wire.call(ApiKeys.FETCH, (short) 12, fetch))
          .data()
          .responses()
          .get(0)
          .partitions();
      assertThat(read.get(0).errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(read.get(0).highWatermark()).isEqualTo(end0);
      MemoryRecords first = (MemoryRecords) read.get(0).records();
      assertThat(first.sizeInBytes()).isGreaterThan(4_000);
      assertThat(first.records().iterator().next().value().remaining()).isEqualTo(big.length());
      assertThat(read.get(1).errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(read.get(1).highWatermark()).isEqualTo(end1);
      assertThat(read.get(1).records().sizeInBytes())
          .as("nothing past the response limit")
          .isZero();
    }
  }

  @Test
  void a_fetch_by_topic_id_reads_the_topic_and_refuses_an_unknown_id() throws Exception {
    java.util.UUID stored = java.util.UUID.fromString(broker.queryText(
        "select topic_uuid::text from rowstream.topic where name = '" + TOPIC + "'"));
    Uuid id = new Uuid(stored.getMostSignificantBits(), stored.getLeastSignificantBits());
    Uuid unknown = Uuid.randomUuid();
    try (KafkaWire wire = wire()) {
      wire.call(ApiKeys.PRODUCE, (short) 11, produce((short) 1, topic(TOPIC, 0, batch("by id"))));
      long end0 = logEnd(0);
      FetchRequestData fetch = new FetchRequestData()
          .setMaxWaitMs(0)
          .setMinBytes(1)
          .setMaxBytes(1 << 20)
          .setIsolationLevel((byte) 1) // read_committed
          .setSessionEpoch(-1)
          .setTopics(List.of(
              new FetchTopic().setTopicId(id).setPartitions(List.of(fetchPartition(0, end0 - 1))),
              new FetchTopic().setTopicId(unknown).setPartitions(List.of(fetchPartition(0, 0)))));
      FetchResponseData r = ((FetchResponse) wire.call(ApiKeys.FETCH, (short) 18, fetch)).data();
      assertThat(r.responses().get(0).topicId()).isEqualTo(id);
      PartitionData read = r.responses().get(0).partitions().get(0);
      assertThat(read.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(read.lastStableOffset()).isEqualTo(end0);
      assertThat(read.abortedTransactions()).as("read_committed: an empty list").isEmpty();
      assertThat(((MemoryRecords) read.records()).batches().iterator().next().lastOffset())
          .isEqualTo(end0 - 1);
      assertThat(r.responses().get(1).topicId()).isEqualTo(unknown);
      assertThat(r.responses().get(1).partitions().get(0).errorCode())
          .isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }
  }

  @Test
  void acks_all_under_min_insync_replicas_and_an_old_timestamp_are_refused_with_kafkas_errors()
      throws Exception {
    try (KafkaWire wire = wire()) {
      // One copy (no synchronous standby) is fewer than min.insync.replicas=2: acks=all refused,
      // acks=1 written, as Kafka answers.
      ProduceResponse all = (ProduceResponse)
          wire.call(ApiKeys.PRODUCE, (short) 11, produce((short) -1, topic(STRICT, 0, batch("a"))));
      assertThat(answer(all, STRICT, 0).errorCode()).isEqualTo(Errors.NOT_ENOUGH_REPLICAS.code());
      ProduceResponse one = (ProduceResponse)
          wire.call(ApiKeys.PRODUCE, (short) 11, produce((short) 1, topic(STRICT, 0, batch("b"))));
      assertThat(answer(one, STRICT, 0).errorCode()).isEqualTo(Errors.NONE.code());

      ByteBuffer old = MemoryRecords.withRecords(
              Compression.NONE,
              new SimpleRecord(1_000L, null, "old".getBytes(StandardCharsets.UTF_8)))
          .buffer();
      ProduceResponse stale = (ProduceResponse)
          wire.call(ApiKeys.PRODUCE, (short) 11, produce((short) 1, topic(STRICT, 0, old)));
      assertThat(answer(stale, STRICT, 0).errorCode()).isEqualTo(Errors.INVALID_TIMESTAMP.code());
    }
    assertThat(broker.queryLong("select p.log_end_offset from rowstream.topic_partition p join"
            + " rowstream.topic t using (topic_id) where t.name = '" + STRICT + "'"))
        .as("only the acks=1 record")
        .isEqualTo(1);
  }
}
