package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * InitProducerId over the Kafka port: idempotent producer ids from the same table as HTTP's
 * {@code POST /producers}, the KIP-360 epoch bump, and a transactional id refused; and Produce's
 * answers to an idempotent producer's batches (a retry, a gap, an unknown id, a fenced epoch).
 */
class KafkaIdempotentProducerTest {
  private static final String TOPIC = "idempotent";
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-idempotent-producer");
    broker.http().createTopic(TOPIC, 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static InitProducerIdResponseData init(short version, InitProducerIdRequestData body)
      throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      return ((InitProducerIdResponse) wire.call(ApiKeys.INIT_PRODUCER_ID, version, body)).data();
    }
  }

  private static InitProducerIdRequestData idempotent() {
    return new InitProducerIdRequestData()
        .setTransactionalId(null)
        .setTransactionTimeoutMs(Integer.MAX_VALUE);
  }

  @Test
  void an_idempotent_producer_gets_a_stored_id_and_bumps_its_epoch_with_its_current_one()
      throws Exception {
    InitProducerIdResponseData first = init((short) 0, idempotent());
    assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(first.producerEpoch()).isZero();
    assertThat(broker.queryLong(
            "select count(*) from rowstream.producer where producer_id = " + first.producerId()))
        .isEqualTo(1);

    InitProducerIdResponseData bumped =
        init((short) 5, idempotent().setProducerId(first.producerId()).setProducerEpoch((short) 0));
    assertThat(bumped.errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(bumped.producerId()).isEqualTo(first.producerId());
    assertThat(bumped.producerEpoch()).isEqualTo((short) 1);
    assertThat(broker.queryLong("select producer_epoch from rowstream.producer where producer_id = "
            + first.producerId()))
        .isEqualTo(1);

    // An epoch that is not the current one cannot bump: a new id, as Kafka gives every idempotent
    // producer that asks.
    InitProducerIdResponseData stale =
        init((short) 5, idempotent().setProducerId(first.producerId()).setProducerEpoch((short) 0));
    assertThat(stale.errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(stale.producerId()).isNotEqualTo(first.producerId());
    assertThat(stale.producerEpoch()).isZero();
  }

  @Test
  void a_transactional_id_and_a_transactional_batch_are_refused_until_transactions_exist()
      throws Exception {
    long producers = broker.queryLong("select count(*) from rowstream.producer");
    InitProducerIdResponseData refused = init(
        (short) 4, idempotent().setTransactionalId("orders-tx").setTransactionTimeoutMs(60_000));
    assertThat(refused.errorCode()).isEqualTo(Errors.INVALID_TXN_STATE.code());
    assertThat(refused.producerId()).isEqualTo(-1);
    assertThat(broker.queryLong("select count(*) from rowstream.producer")).isEqualTo(producers);

    // A transactional batch (from a producer that got its id elsewhere) is refused alike.
    long pid = init((short) 5, idempotent()).producerId();
    long end = logEnd();
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      ByteBuffer transactional = MemoryRecords.withTransactionalRecords(
              Compression.NONE, pid, (short) 0, 0, new SimpleRecord("tx".getBytes()))
          .buffer();
      assertThat(produce(wire, transactional).errorCode())
          .isEqualTo(Errors.INVALID_TXN_STATE.code());
    }
    assertThat(logEnd()).isEqualTo(end);
  }

  private static ByteBuffer idempotent(long producerId, short epoch, int sequence, int count) {
    SimpleRecord[] records = new SimpleRecord[count];
    for (int i = 0; i < count; i++) {
      records[i] = new SimpleRecord(System.currentTimeMillis(), null, ("r" + i).getBytes());
    }
    return MemoryRecords.withIdempotentRecords(
            Compression.NONE, producerId, epoch, sequence, records)
        .buffer();
  }

  private static PartitionProduceResponse produce(KafkaWire wire, ByteBuffer batch)
      throws Exception {
    TopicProduceDataCollection topics = new TopicProduceDataCollection();
    topics.add(new TopicProduceData()
        .setName(TOPIC)
        .setPartitionData(List.of(new PartitionProduceData()
            .setIndex(0)
            .setRecords(MemoryRecords.readableRecords(batch)))));
    ProduceResponse r = (ProduceResponse) wire.call(
        ApiKeys.PRODUCE,
        (short) 12,
        new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics));
    return r.data().responses().iterator().next().partitionResponses().get(0);
  }

  private static long logEnd() {
    return broker.queryLong("select p.log_end_offset from rowstream.topic_partition p join"
        + " rowstream.topic t using (topic_id) where t.name = '" + TOPIC + "'");
  }

  @Test
  void an_idempotent_producers_retry_gap_and_old_epoch_get_kafkas_answers() throws Exception {
    InitProducerIdResponseData id = init((short) 5, idempotent());
    long pid = id.producerId();
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      PartitionProduceResponse first = produce(wire, idempotent(pid, (short) 0, 0, 3));
      assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
      long end = logEnd();

      PartitionProduceResponse retried = produce(wire, idempotent(pid, (short) 0, 0, 3));
      assertThat(retried.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(retried.baseOffset())
          .as("a retry answers its first offset")
          .isEqualTo(first.baseOffset());
      assertThat(logEnd()).as("and writes nothing").isEqualTo(end);

      assertThat(produce(wire, idempotent(pid, (short) 0, 5, 1)).errorCode())
          .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
      assertThat(produce(wire, idempotent(Long.MAX_VALUE - 7, (short) 0, 0, 1)).errorCode())
          .isEqualTo(Errors.UNKNOWN_PRODUCER_ID.code());

      init((short) 5, idempotent().setProducerId(pid).setProducerEpoch((short) 0));
      assertThat(produce(wire, idempotent(pid, (short) 0, 3, 1)).errorCode())
          .as("a request under the epoch the bump fenced")
          .isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
      assertThat(produce(wire, idempotent(pid, (short) 1, 0, 1)).errorCode())
          .as("the new epoch starts at sequence 0")
          .isEqualTo(Errors.NONE.code());
      assertThat(logEnd()).isEqualTo(end + 1);
    }
  }

  /**
   * KIP-360: a Java idempotent producer whose batch expired bumps its epoch itself, without
   * InitProducerId, and starts the new epoch at sequence 0 in each partition. Kafka accepts that;
   * refusing it (as UNKNOWN_PRODUCER_ID) would make the producer bump again and fail for good.
   */
  @Test
  void an_epoch_the_producer_bumped_itself_is_accepted_from_sequence_0_and_fences_the_old_one()
      throws Exception {
    long pid = init((short) 5, idempotent()).producerId();
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      assertThat(produce(wire, idempotent(pid, (short) 0, 0, 2)).errorCode())
          .isEqualTo(Errors.NONE.code());
      long end = logEnd();
      assertThat(produce(wire, idempotent(pid, (short) 1, 4, 1)).errorCode())
          .as("a newer epoch must start at sequence 0")
          .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
      PartitionProduceResponse bumped = produce(wire, idempotent(pid, (short) 1, 0, 2));
      assertThat(bumped.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(bumped.baseOffset()).isEqualTo(end);
      assertThat(produce(wire, idempotent(pid, (short) 1, 0, 2)).baseOffset())
          .as("a retry of the new epoch's first batch answers its offset")
          .isEqualTo(end);
      assertThat(produce(wire, idempotent(pid, (short) 1, 2, 1)).errorCode())
          .isEqualTo(Errors.NONE.code());
      assertThat(produce(wire, idempotent(pid, (short) 0, 2, 1)).errorCode())
          .as("the old epoch is fenced in this partition")
          .isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
      assertThat(logEnd()).isEqualTo(end + 3);
    }
  }
}
