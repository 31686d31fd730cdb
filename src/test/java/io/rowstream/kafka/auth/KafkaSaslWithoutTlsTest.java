package io.rowstream.kafka.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * By default a node refuses SASL/PLAIN on a connection without TLS, at the handshake, before the
 * client sends its password: no mechanism is enabled there, and the connection closes.
 */
class KafkaSaslWithoutTlsTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithAuth("kafka-sasl-no-tls");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void plain_without_tls_is_refused_at_the_handshake() throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      SaslHandshakeResponse r = KafkaSaslTest.handshake(wire, 1);
      assertThat(r.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
      assertThat(r.data().mechanisms()).isEmpty();
      assertThat(wire.closedByPeer()).isTrue();
    }
    try (Admin kafka = KafkaClients.admin(
        broker.kafkaBootstrap(),
        KafkaClients.saslPlain("SASL_PLAINTEXT", TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD))) {
      assertThatThrownBy(() -> kafka.listTopics().names().get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(UnsupportedSaslMechanismException.class);
    }
  }
}
