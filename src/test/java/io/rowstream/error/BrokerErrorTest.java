package io.rowstream.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Every broker error maps to one Kafka protocol error, retriable exactly when the broker's is. */
class BrokerErrorTest {
  /**
   * Errors Kafka calls retriable while the REST answer does not ask for a retry: a client's
   * metadata may lag a topic's creation in Kafka, while Rowstream reads topics from the database.
   */
  private static final Set<BrokerError> RETRIABLE_IN_KAFKA_ONLY =
      EnumSet.of(BrokerError.TOPIC_NOT_FOUND, BrokerError.PARTITION_NOT_FOUND);

  @Test
  void every_broker_error_maps_to_a_kafka_error() {
    for (BrokerError error : BrokerError.values()) {
      assertThat(error.kafka()).as(error.name()).isNotNull().isNotEqualTo(Errors.NONE);
      assertThat(error.kafka().exception()).as(error.name()).isNotNull();
    }
  }

  @Test
  void a_kafka_error_is_retriable_exactly_when_the_rest_answer_asks_for_a_retry() {
    for (BrokerError error : BrokerError.values()) {
      if (RETRIABLE_IN_KAFKA_ONLY.contains(error)) {
        assertThat(retriable(error.kafka())).as(error.name()).isTrue();
        continue;
      }
      // v3 answers Kafka's retriable errors 500 / 50003, as the reference's exception mapper does.
      boolean restRetriable = error.v3Admin().errorCode() == 50003;
      assertThat(retriable(error.kafka()))
          .as(error + " -> " + error.kafka())
          .isEqualTo(restRetriable);
    }
  }

  @Test
  void what_a_produce_answers_in_kafka_is_what_a_kafka_broker_answers_a_produce() {
    assertThat(BrokerError.TOPIC_NOT_FOUND.kafka()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    assertThat(BrokerError.FENCED_LEADER_EPOCH.kafka()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    assertThat(BrokerError.RECORD_TOO_LARGE.kafka()).isEqualTo(Errors.MESSAGE_TOO_LARGE);
    assertThat(BrokerError.PRODUCER_FENCED.kafka()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    assertThat(BrokerError.OUT_OF_ORDER_SEQUENCE.kafka())
        .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    assertThat(BrokerError.INTERNAL.kafka()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    assertThat(BrokerError.CORRUPT_MESSAGE.kafka()).isEqualTo(Errors.CORRUPT_MESSAGE);
    assertThat(BrokerError.INVALID_PAYLOAD.kafka()).isEqualTo(Errors.INVALID_RECORD);
    assertThat(BrokerError.NOT_LEADER_OR_FOLLOWER.kafka()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    assertThat(BrokerError.TRANSACTIONS_UNSUPPORTED.kafka()).isEqualTo(Errors.INVALID_TXN_STATE);
  }

  @Test
  void v3_admin_passes_kafkas_own_message_only_for_an_unknown_topic() {
    for (BrokerError error : BrokerError.values()) {
      assertThat(error.v3Admin().kafkaMessage())
          .as(error.name())
          .isEqualTo(error == BrokerError.TOPIC_NOT_FOUND);
      assertThat(error.v2().kafkaMessage()).as(error.name()).isFalse();
      assertThat(error.v3Produce().kafkaMessage()).as(error.name()).isFalse();
    }
  }

  private static boolean retriable(Errors kafka) {
    return kafka.exception() instanceof RetriableException;
  }
}
