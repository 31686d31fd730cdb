package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * InitProducerId over the Kafka port: idempotent producer ids from the same table as HTTP's
 * {@code POST /producers}, the KIP-360 epoch bump, and a transactional id refused.
 */
class KafkaInitProducerIdTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-init-producer-id");
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
  void a_transactional_id_is_refused_until_transactions_exist() throws Exception {
    long producers = broker.queryLong("select count(*) from rowstream.producer");
    InitProducerIdResponseData refused = init(
        (short) 4, idempotent().setTransactionalId("orders-tx").setTransactionTimeoutMs(60_000));
    assertThat(refused.errorCode()).isEqualTo(Errors.INVALID_TXN_STATE.code());
    assertThat(refused.producerId()).isEqualTo(-1);
    assertThat(broker.queryLong("select count(*) from rowstream.producer")).isEqualTo(producers);
  }
}
