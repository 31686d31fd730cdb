package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
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
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every served version of the record APIs, over raw frames: each Produce version (3..13) appends
 * one record at the next offset, each Fetch version (4..18) reads it back with the partition's
 * high watermark, each ListOffsets version (1..11) answers the latest offset, and each
 * InitProducerId version (0..5) gives an id; every answer parses at its version (kafka-python 2.0
 * speaks Produce 7, Fetch 4 and ListOffsets 1; librdkafka 2.0 up to Produce 7 and Fetch 11).
 */
class KafkaRecordVersionsTest {
  private static final String TOPIC = "versions";
  private static TestBroker broker;
  private static Uuid topicId;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-record-versions");
    broker.http().createTopic(TOPIC, 1);
    UUID stored = UUID.fromString(broker.queryText(
        "select topic_uuid::text from rowstream.topic where name = '" + TOPIC + "'"));
    topicId = new Uuid(stored.getMostSignificantBits(), stored.getLeastSignificantBits());
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void every_served_version_of_produce_fetch_list_offsets_and_init_producer_id_is_answered()
      throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      long next = 0;
      for (short v = 3; v <= 13; v++) {
        PartitionProduceResponse produced = produce(wire, v, "v" + v);
        assertThat(produced.errorCode()).as("Produce v%d", v).isEqualTo(Errors.NONE.code());
        assertThat(produced.baseOffset()).as("Produce v%d", v).isEqualTo(next++);
      }
      for (short v = 4; v <= 18; v++) {
        PartitionData read = fetch(wire, v, next - 1);
        assertThat(read.errorCode()).as("Fetch v%d", v).isEqualTo(Errors.NONE.code());
        assertThat(read.highWatermark()).as("Fetch v%d", v).isEqualTo(next);
        assertThat(((MemoryRecords) read.records()).records().iterator().next().value())
            .as("Fetch v%d", v)
            .isEqualTo(java.nio.ByteBuffer.wrap("v13".getBytes(StandardCharsets.UTF_8)));
      }
      for (short v = 1; v <= 11; v++) {
        ListOffsetsPartitionResponse latest = latest(wire, v);
        assertThat(latest.errorCode()).as("ListOffsets v%d", v).isEqualTo(Errors.NONE.code());
        assertThat(latest.offset()).as("ListOffsets v%d", v).isEqualTo(next);
      }
      for (short v = 0; v <= 5; v++) {
        InitProducerIdResponse init = (InitProducerIdResponse) wire.call(
            ApiKeys.INIT_PRODUCER_ID,
            v,
            new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(-1));
        assertThat(init.data().errorCode()).as("InitProducerId v%d", v).isZero();
        assertThat(init.data().producerId()).as("InitProducerId v%d", v).isNotNegative();
      }
    }
  }

  private static PartitionProduceResponse produce(KafkaWire wire, short version, String value)
      throws Exception {
    MemoryRecords batch = MemoryRecords.withRecords(
        Compression.NONE,
        new SimpleRecord(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8)));
    TopicProduceData topic = version >= 13
        ? new TopicProduceData().setTopicId(topicId)
        : new TopicProduceData().setName(TOPIC);
    topic.setPartitionData(List.of(new PartitionProduceData().setIndex(0).setRecords(batch)));
    TopicProduceDataCollection topics = new TopicProduceDataCollection();
    topics.add(topic);
    ProduceResponse r = (ProduceResponse) wire.call(
        ApiKeys.PRODUCE,
        version,
        new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics));
    return r.data().responses().iterator().next().partitionResponses().get(0);
  }

  private static PartitionData fetch(KafkaWire wire, short version, long offset) throws Exception {
    FetchTopic topic =
        version >= 13 ? new FetchTopic().setTopicId(topicId) : new FetchTopic().setTopic(TOPIC);
    topic.setPartitions(List.of(new FetchPartition()
        .setPartition(0)
        .setFetchOffset(offset)
        .setPartitionMaxBytes(1 << 20)
        .setCurrentLeaderEpoch(-1)
        .setLogStartOffset(-1)));
    FetchRequestData body = new FetchRequestData()
        .setMaxWaitMs(0)
        .setMinBytes(1)
        .setMaxBytes(1 << 20)
        .setSessionEpoch(-1)
        .setTopics(List.of(topic));
    FetchResponse r = (FetchResponse) wire.call(ApiKeys.FETCH, version, body);
    return r.data().responses().get(0).partitions().get(0);
  }

  private static ListOffsetsPartitionResponse latest(KafkaWire wire, short version)
      throws Exception {
    ListOffsetsRequestData body = new ListOffsetsRequestData()
        .setReplicaId(-1)
        .setTopics(List.of(new ListOffsetsTopic()
            .setName(TOPIC)
            .setPartitions(List.of(new ListOffsetsPartition()
                .setPartitionIndex(0)
                .setCurrentLeaderEpoch(-1)
                .setTimestamp(-1)))));
    ListOffsetsResponse r = (ListOffsetsResponse) wire.call(ApiKeys.LIST_OFFSETS, version, body);
    return r.data().topics().get(0).partitions().get(0);
  }
}
