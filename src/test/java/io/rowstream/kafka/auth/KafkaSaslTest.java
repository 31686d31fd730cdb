package io.rowstream.kafka.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.Kcat;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SASL/PLAIN on the Kafka port with authentication on (and PLAIN allowed without TLS): kafka-clients'
 * Admin signs in with a user or an API key, a wrong password is SASL_AUTHENTICATION_FAILED and
 * closes the connection, nothing but ApiVersions and SASL is served before, SaslHandshake v0's raw
 * token works, and Metadata shows a limited user only the topics it may describe.
 */
class KafkaSaslTest {
  private static TestBroker broker;
  private static TestHttp admin;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithKafkaSasl("kafka-sasl");
    admin = broker.admin();
    admin.createTopic("visible", 1);
    admin.createTopic("hidden", 1);
    admin.createUser("limited", "limited-pw");
    admin.allow("User:limited", "DESCRIBE", "TOPIC", "visible");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Admin client(String user, String password) {
    return KafkaClients.admin(
        broker.kafkaBootstrap(), KafkaClients.saslPlain("SASL_PLAINTEXT", user, password));
  }

  @Test
  void an_admin_client_signs_in_with_a_user_and_password() throws Exception {
    try (Admin kafka = client(TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD)) {
      assertThat(kafka.listTopics().names().get()).contains("visible", "hidden");
    }
  }

  @Test
  void an_api_key_signs_in_as_its_principal_with_its_id_and_secret() throws Exception {
    TestHttp.Response key = admin.post(
        "/v3/clusters/" + admin.clusterId() + "/api-keys",
        "application/json",
        TestHttp.json(Map.of("principal", "limited")));
    assertThat(key.status()).as(key.body()).isEqualTo(201);
    String id = key.json().get("key_id").asText();
    String token = key.json().get("token").asText();
    String secret = token.substring(("rsk_" + id + "_").length());
    try (Admin kafka = client(id, secret)) {
      assertThat(kafka.listTopics().names().get()).containsExactly("visible");
    }
    // The whole token as password works too, as a bearer token does over HTTP.
    try (Admin kafka = client(id, token)) {
      assertThat(kafka.listTopics().names().get()).containsExactly("visible");
    }
    try (Admin kafka = client(id, secret + "x")) {
      assertThatThrownBy(() -> kafka.listTopics().names().get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  void metadata_lists_only_the_topics_a_limited_user_may_describe() throws Exception {
    try (Admin kafka = client("limited", "limited-pw")) {
      assertThat(kafka.listTopics().names().get()).containsExactly("visible");
      assertThat(kafka.describeTopics(List.of("visible")).allTopicNames().get())
          .containsOnlyKeys("visible");
      assertThatThrownBy(
              () -> kafka.describeTopics(List.of("hidden")).allTopicNames().get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void a_wrong_password_is_sasl_authentication_failed_with_a_message_and_the_connection_closes()
      throws Exception {
    try (Admin kafka = client("limited", "wrong")) {
      assertThatThrownBy(() -> kafka.listTopics().names().get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessageContaining("Invalid username or password");
    }
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      assertThat(handshake(wire, 1).data().errorCode()).isEqualTo(Errors.NONE.code());
      SaslAuthenticateResponse r = authenticate(wire, "limited", "wrong");
      assertThat(r.data().errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
      assertThat(r.data().errorMessage())
          .isEqualTo("Authentication failed: Invalid username or password");
      assertThat(wire.closedByPeer()).isTrue();
    }
  }

  @Test
  void api_versions_advertises_the_sasl_and_acl_apis_before_authentication() throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      ApiVersionsResponse r = (ApiVersionsResponse) wire.call(
          ApiKeys.API_VERSIONS,
          (short) 3,
          new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"));
      Map<ApiKeys, String> ranges = new java.util.EnumMap<>(ApiKeys.class);
      for (ApiKeys api : List.of(
          ApiKeys.SASL_HANDSHAKE,
          ApiKeys.SASL_AUTHENTICATE,
          ApiKeys.DESCRIBE_ACLS,
          ApiKeys.CREATE_ACLS,
          ApiKeys.DELETE_ACLS)) {
        ApiVersion v = r.apiVersion(api.id);
        ranges.put(api, v.minVersion() + ".." + v.maxVersion());
      }
      assertThat(ranges)
          .containsExactlyInAnyOrderEntriesOf(Map.of(
              ApiKeys.SASL_HANDSHAKE, "0..1",
              ApiKeys.SASL_AUTHENTICATE, "0..2",
              ApiKeys.DESCRIBE_ACLS, "1..3",
              ApiKeys.CREATE_ACLS, "1..3",
              ApiKeys.DELETE_ACLS, "1..3"));
    }
  }

  @Test
  void only_api_versions_and_sasl_are_served_before_authentication() throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      wire.call(
          ApiKeys.API_VERSIONS,
          (short) 3,
          new ApiVersionsRequestData().setClientSoftwareName("test").setClientSoftwareVersion("1"));
      RequestHeader metadata = new RequestHeader(ApiKeys.METADATA, (short) 12, "test", 7);
      wire.sendFrame(org.apache.kafka.common.requests.RequestUtils.serialize(
          metadata.data(),
          metadata.headerVersion(),
          new MetadataRequestData().setTopics(null),
          (short) 12));
      assertThat(wire.closedByPeer()).isTrue();
    }
  }

  @Test
  void after_sasl_the_connection_is_served_as_its_principal() throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      handshake(wire, 1);
      SaslAuthenticateResponse r = authenticate(wire, "limited", "limited-pw");
      assertThat(r.data().errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(r.data().sessionLifetimeMs()).isZero();
      assertThat(topicsListed(wire)).containsExactly("visible");
      // No re-authentication: a second exchange is out of turn, and the connection stays open.
      assertThat(handshake(wire, 1).data().errorCode()).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
      assertThat(topicsListed(wire)).containsExactly("visible");
    }
  }

  @Test
  void sasl_handshake_v0_takes_the_plain_token_raw_without_kafka_framing() throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      assertThat(handshake(wire, 0).data().mechanisms()).containsExactly("PLAIN");
      wire.sendFrame(java.nio.ByteBuffer.wrap("\0limited\0limited-pw".getBytes(UTF_8)));
      assertThat(wire.readFrame()).isEmpty();
      assertThat(topicsListed(wire)).containsExactly("visible");
    }
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      handshake(wire, 0);
      wire.sendFrame(java.nio.ByteBuffer.wrap("\0limited\0wrong".getBytes(UTF_8)));
      assertThat(wire.closedByPeer()).isTrue();
    }
  }

  @Test
  void a_mechanism_other_than_plain_is_refused_with_the_enabled_ones_and_closes() throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      SaslHandshakeResponse r = (SaslHandshakeResponse) wire.call(
          ApiKeys.SASL_HANDSHAKE,
          (short) 1,
          new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-256"));
      assertThat(r.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
      assertThat(r.data().mechanisms()).containsExactly("PLAIN");
      assertThat(wire.closedByPeer()).isTrue();
    }
  }

  @Test
  void sasl_authenticate_without_a_handshake_is_illegal_sasl_state_and_closes() throws Exception {
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      SaslAuthenticateResponse r = authenticate(wire, "limited", "limited-pw");
      assertThat(r.data().errorCode()).isEqualTo(Errors.ILLEGAL_SASL_STATE.code());
      assertThat(wire.closedByPeer()).isTrue();
    }
  }

  @Test
  void librdkafka_signs_in_with_sasl_plain_and_sees_what_the_user_may_describe() {
    Kcat.assumeInstalled();
    Kcat.Run limited = kcatMetadata(broker.kafkaBootstrap(), plain("limited-pw"));
    assertThat(limited.exitCode()).as(limited.err()).isZero();
    assertThat(topicsListed(limited)).containsExactly("visible");
    Kcat.Run wrong = kcatMetadata(broker.kafkaBootstrap(), plain("wrong"));
    assertThat(wrong.exitCode()).isNotZero();
    assertThat(wrong.err()).contains("Invalid username or password");
  }

  private static Map<String, String> plain(String password) {
    return Map.of(
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanisms", "PLAIN",
        "sasl.username", "limited",
        "sasl.password", password);
  }

  /** {@code kcat -L -J} with librdkafka {@code settings}. */
  static Kcat.Run kcatMetadata(String bootstrap, Map<String, String> settings) {
    List<String> args = new ArrayList<>(List.of("-L", "-J", "-m", "10"));
    settings.forEach((k, v) -> args.addAll(List.of("-X", k + "=" + v)));
    return Kcat.run(bootstrap, null, args.toArray(String[]::new));
  }

  /** The topics a {@code kcat -L -J} run listed. */
  static List<String> topicsListed(Kcat.Run run) {
    try {
      List<String> topics = new ArrayList<>();
      new ObjectMapper()
          .readTree(run.out())
          .get("topics")
          .forEach(t -> topics.add(t.get("topic").asText()));
      return topics;
    } catch (IOException e) {
      throw new UncheckedIOException("kcat printed no JSON: " + run.out(), e);
    }
  }

  static SaslHandshakeResponse handshake(KafkaWire wire, int version) throws IOException {
    return (SaslHandshakeResponse) wire.call(
        ApiKeys.SASL_HANDSHAKE,
        (short) version,
        new SaslHandshakeRequestData().setMechanism("PLAIN"));
  }

  static SaslAuthenticateResponse authenticate(KafkaWire wire, String user, String password)
      throws IOException {
    return (SaslAuthenticateResponse) wire.call(
        ApiKeys.SASL_AUTHENTICATE,
        (short) 2,
        new SaslAuthenticateRequestData()
            .setAuthBytes(("\0" + user + "\0" + password).getBytes(UTF_8)));
  }

  private static List<String> topicsListed(KafkaWire wire) throws IOException {
    MetadataResponse r = (MetadataResponse)
        wire.call(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(null));
    return r.data().topics().stream().map(t -> t.name()).toList();
  }
}
