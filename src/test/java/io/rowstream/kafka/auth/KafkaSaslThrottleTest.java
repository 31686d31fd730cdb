package io.rowstream.kafka.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failed SASL/PLAIN authentications count with HTTP Basic's in the one throttle: past the limit,
 * an address is refused without a password check on both doors, even with the right password,
 * while another address still signs in.
 */
class KafkaSaslThrottleTest {
  private static final int LIMIT = 3;
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    OpsConfig.AuthFailures failures = new OpsConfig.AuthFailures(
        LIMIT, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(2), 1);
    broker = TestBroker.startWithAuth(
        "kafka-sasl-throttle",
        c -> c.withOps(c.ops().withAuth(c.ops().auth().withFailures(failures)))
            .withKafka(c.kafka().withSaslPlainWithoutTls(true)));
    broker.admin().from("127.0.0.3").createUser("victim", "victim-pw");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaWire from(String localAddress) throws Exception {
    return new KafkaWire(new Socket(
        InetAddress.getLoopbackAddress(),
        broker.node(0).kafkaPort(),
        InetAddress.getByName(localAddress),
        0));
  }

  private static SaslAuthenticateResponse signIn(String address, String password) throws Exception {
    try (KafkaWire wire = from(address)) {
      KafkaSaslTest.handshake(wire, 1);
      SaslAuthenticateResponse r = KafkaSaslTest.authenticate(wire, "victim", password);
      if (r.data().errorCode() != Errors.NONE.code()) {
        assertThat(wire.closedByPeer()).isTrue();
      }
      return r;
    }
  }

  @Test
  void failures_over_kafka_throttle_the_address_on_both_doors() throws Exception {
    for (int i = 0; i < LIMIT; i++) {
      assertThat(signIn("127.0.0.1", "wrong-" + i).data().errorMessage())
          .isEqualTo("Authentication failed: Invalid username or password");
    }
    SaslAuthenticateResponse throttled = signIn("127.0.0.1", "victim-pw");
    assertThat(throttled.data().errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
    assertThat(throttled.data().errorMessage()).contains("Too many failed authentications");
    TestHttp.Response overHttp =
        broker.http().from("127.0.0.1").as("victim", "victim-pw").get("/topics");
    assertThat(overHttp.status()).isEqualTo(429);

    assertThat(signIn("127.0.0.2", "victim-pw").data().errorCode()).isEqualTo(Errors.NONE.code());
  }
}
