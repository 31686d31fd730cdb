package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.FetchRequests;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
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
 * The record APIs' ACLs with authentication on, for a connection signed in with SASL/PLAIN: WRITE
 * to produce, READ to fetch, DESCRIBE to list offsets (TOPIC_AUTHORIZATION_FAILED otherwise,
 * nothing written); InitProducerId for any signed-in principal.
 */
class KafkaRecordsAuthorizationTest {
  private static TestBroker broker;
  private static TestHttp admin;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithKafkaSasl("kafka-records-authz");
    admin = broker.admin();
    admin.createTopic("guarded", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaWire signedIn(String name) throws IOException {
    admin.createUser(name, name + "-pw");
    return KafkaWire.signedIn(broker.node(0).kafkaPort(), name, name + "-pw");
  }

  private static short produce(KafkaWire wire) throws IOException {
    TopicProduceDataCollection topics = new TopicProduceDataCollection();
    topics.add(new TopicProduceData()
        .setName("guarded")
        .setPartitionData(List.of(new PartitionProduceData()
            .setIndex(0)
            .setRecords(MemoryRecords.withRecords(
                Compression.NONE,
                new SimpleRecord(System.currentTimeMillis(), null, new byte[] {1}))))));
    return ((ProduceResponse) wire.call(
            ApiKeys.PRODUCE,
            (short) 12,
            new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5000).setTopicData(topics)))
        .data()
        .responses()
        .iterator()
        .next()
        .partitionResponses()
        .get(0)
        .errorCode();
  }

  private static short fetch(KafkaWire wire) throws IOException {
    FetchRequestData body = FetchRequests.from("guarded", 1, 0, 0);
    return ((FetchResponse) wire.call(ApiKeys.FETCH, (short) 12, body))
        .data()
        .responses()
        .get(0)
        .partitions()
        .get(0)
        .errorCode();
  }

  private static short listOffsets(KafkaWire wire) throws IOException {
    ListOffsetsRequestData body = new ListOffsetsRequestData()
        .setReplicaId(-1)
        .setTopics(List.of(new ListOffsetsTopic()
            .setName("guarded")
            .setPartitions(
                List.of(new ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1)))));
    return ((ListOffsetsResponse) wire.call(ApiKeys.LIST_OFFSETS, (short) 7, body))
        .data()
        .topics()
        .get(0)
        .partitions()
        .get(0)
        .errorCode();
  }

  private static long logEnd() {
    return broker.queryLong("select p.log_end_offset from rowstream.topic_partition p join"
        + " rowstream.topic t using (topic_id) where t.name = 'guarded'");
  }

  @Test
  void each_record_api_needs_its_operation_on_the_topic() throws Exception {
    try (KafkaWire wire = signedIn("nobody")) {
      long end = logEnd();
      assertThat(produce(wire)).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
      assertThat(logEnd()).isEqualTo(end);
      assertThat(fetch(wire)).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
      assertThat(listOffsets(wire)).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
      InitProducerIdResponse init = (InitProducerIdResponse) wire.call(
          ApiKeys.INIT_PRODUCER_ID,
          (short) 4,
          new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(-1));
      assertThat(init.data().errorCode()).isZero();
    }
    try (KafkaWire wire = signedIn("writer")) {
      admin.allow("User:writer", "WRITE", "TOPIC", "guarded");
      long end = logEnd();
      assertThat(produce(wire)).isEqualTo(Errors.NONE.code());
      assertThat(logEnd()).isEqualTo(end + 1);
      assertThat(fetch(wire)).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
      assertThat(listOffsets(wire)).as("WRITE implies DESCRIBE").isEqualTo(Errors.NONE.code());
    }
    try (KafkaWire wire = signedIn("reader")) {
      admin.allow("User:reader", "READ", "TOPIC", "guarded");
      assertThat(produce(wire)).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
      assertThat(fetch(wire)).isEqualTo(Errors.NONE.code());
      assertThat(listOffsets(wire)).isEqualTo(Errors.NONE.code());
    }
  }
}
