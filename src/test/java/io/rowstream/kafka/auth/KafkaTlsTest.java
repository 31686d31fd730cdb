package io.rowstream.kafka.auth;

import static io.rowstream.support.TestCertificates.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.Kcat;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestCertificates;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS on the Kafka port, from the HTTPS listener's settings (certificates made at test time by
 * keytool): a PKCS12 key store and PEM files both serve TLS 1.2 and 1.3; SASL_SSL signs in with a
 * password; a client certificate is the principal, mapped by the same rules as over HTTP, and its
 * ACLs apply (Kafka's SSL listener); without a certificate the connection must use SASL, and with
 * client auth {@code need} it cannot connect at all.
 */
class KafkaTlsTest {
  private static final String RULES = "RULE:^CN=([^,]+),O=Acme$/$1/L,DEFAULT";
  private static TestBroker wantBroker;
  private static TestBroker needBroker;
  private static Path serverPem;
  private static Path aliceStore;
  private static Path aliceCert;
  private static Path aliceKey;
  private static TrustManagerFactory trustServer;

  @BeforeAll
  static void start() throws Exception {
    TestCertificates certificates = new TestCertificates("kafka_tls");
    Path server = certificates.keyPair("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
    aliceStore = certificates.keyPair("alice", "CN=Alice,O=Acme", null);
    aliceCert = certificates.certificatePem(aliceStore, "alice");
    aliceKey = certificates.privateKeyPem(aliceStore, "alice");
    serverPem = certificates.certificatePem(server, "server");
    Path serverKey = certificates.privateKeyPem(server, "server");

    OpsConfig.Tls pkcs12Want = new OpsConfig.Tls(
            Optional.empty(),
            Optional.empty(),
            Optional.of(server),
            Optional.of(PASSWORD),
            "want",
            Optional.of(aliceCert),
            Optional.empty())
        .withPrincipalMappingRules(RULES);
    wantBroker =
        TestBroker.startWithAuth("kafka_tls_want", c -> c.withOps(c.ops().withTls(pkcs12Want)));
    OpsConfig.Tls pemNeed = new OpsConfig.Tls(
        Optional.of(serverPem),
        Optional.of(serverKey),
        Optional.empty(),
        Optional.empty(),
        "need",
        Optional.of(aliceCert),
        Optional.empty());
    needBroker = TestBroker.start(
        "kafka_tls_need",
        c -> c.withOps(
            c.ops().withTls(pemNeed).withAuth(OpsConfig.Auth.enabled("User:CN=Alice,O=Acme"))));
    trustServer = TestCertificates.trusting(server, "server");
    TestHttp admin = wantBroker
        .http()
        .over(TestCertificates.context(null, trustServer))
        .as(TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD);
    admin.createTopic("orders", 1);
    admin.createTopic("secrets", 1);
    admin.allow("User:alice", "DESCRIBE", "TOPIC", "orders");
  }

  @AfterAll
  static void stop() {
    wantBroker.close();
    needBroker.close();
  }

  /** Kafka client settings for TLS trusting the node's certificate, with alice's key or none. */
  private static Map<String, Object> ssl(boolean withAlicesKey) {
    Map<String, Object> p = new HashMap<>();
    p.put("security.protocol", "SSL");
    p.put("ssl.truststore.type", "PEM");
    p.put("ssl.truststore.location", serverPem.toString());
    if (withAlicesKey) {
      p.put("ssl.keystore.type", "PKCS12");
      p.put("ssl.keystore.location", aliceStore.toString());
      p.put("ssl.keystore.password", PASSWORD);
    }
    return p;
  }

  @Test
  void sasl_ssl_signs_in_with_a_password_over_a_pkcs12_key() throws Exception {
    Map<String, Object> p = new HashMap<>(ssl(false));
    p.putAll(KafkaClients.saslPlain("SASL_SSL", TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD));
    try (Admin kafka = KafkaClients.admin(wantBroker.kafkaBootstrap(), p)) {
      assertThat(kafka.listTopics().names().get()).contains("orders", "secrets");
    }
  }

  @Test
  void a_client_certificate_is_the_mapped_principal_and_its_acls_apply() throws Exception {
    try (Admin alice = KafkaClients.admin(wantBroker.kafkaBootstrap(), ssl(true))) {
      assertThat(alice.listTopics().names().get()).containsExactly("orders");
    }
  }

  @Test
  void librdkafka_connects_with_a_client_certificate_and_with_sasl_ssl() throws Exception {
    Kcat.assumeInstalled();
    Kcat.Run alice = KafkaSaslTest.kcatMetadata(
        wantBroker.kafkaBootstrap(),
        Map.of(
            "security.protocol", "SSL",
            "ssl.ca.location", serverPem.toString(),
            "ssl.certificate.location", aliceCert.toString(),
            "ssl.key.location", aliceKey.toString()));
    assertThat(alice.exitCode()).as(alice.err()).isZero();
    assertThat(KafkaSaslTest.topicsListed(alice)).containsExactly("orders");
    Kcat.Run admin = KafkaSaslTest.kcatMetadata(
        wantBroker.kafkaBootstrap(),
        Map.of(
            "security.protocol",
            "SASL_SSL",
            "ssl.ca.location",
            serverPem.toString(),
            "sasl.mechanisms",
            "PLAIN",
            "sasl.username",
            TestBroker.ADMIN,
            "sasl.password",
            TestBroker.ADMIN_PASSWORD));
    assertThat(admin.exitCode()).as(admin.err()).isZero();
    assertThat(KafkaSaslTest.topicsListed(admin)).contains("orders", "secrets");
  }

  @Test
  void without_a_client_certificate_only_sasl_is_served() throws Exception {
    try (KafkaWire wire = new KafkaWire(tlsSocket(wantBroker, null, "TLSv1.3"))) {
      ApiVersionsResponse versions = (ApiVersionsResponse) wire.call(
          ApiKeys.API_VERSIONS,
          (short) 3,
          new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"));
      assertThat(versions.data().errorCode()).isEqualTo(Errors.NONE.code());
      RequestHeader metadata = new RequestHeader(ApiKeys.METADATA, (short) 12, "t", 9);
      wire.sendFrame(RequestUtils.serialize(
          metadata.data(),
          metadata.headerVersion(),
          new MetadataRequestData().setTopics(null),
          (short) 12));
      assertThat(wire.closedByPeer()).isTrue();
    }
    try (KafkaWire wire = new KafkaWire(tlsSocket(wantBroker, null, "TLSv1.2"))) {
      KafkaSaslTest.handshake(wire, 1);
      assertThat(KafkaSaslTest.authenticate(wire, TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD)
              .data()
              .errorCode())
          .isEqualTo(Errors.NONE.code());
      assertThat(topics(wire)).contains("orders", "secrets");
    }
  }

  @Test
  void a_client_speaking_plain_kafka_to_the_tls_port_is_closed_and_others_are_served()
      throws Exception {
    try (KafkaWire plain = new KafkaWire(wantBroker.node(0).kafkaPort())) {
      assertThatThrownBy(() -> topics(plain)).isInstanceOf(IOException.class);
    }
    try (Admin alice = KafkaClients.admin(wantBroker.kafkaBootstrap(), ssl(true))) {
      assertThat(alice.listTopics().names().get()).containsExactly("orders");
    }
  }

  @Test
  void pem_files_serve_tls_1_2_and_1_3_and_need_refuses_a_client_without_certificate()
      throws Exception {
    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
      try (KafkaWire wire = new KafkaWire(tlsSocket(needBroker, aliceStore, protocol))) {
        assertThat(topics(wire)).isEmpty();
      }
    }
    try (Admin alice = KafkaClients.admin(needBroker.kafkaBootstrap(), ssl(true))) {
      assertThat(alice.describeCluster().nodes().get()).hasSize(1);
    }
    assertThatThrownBy(() -> {
          try (KafkaWire wire = new KafkaWire(tlsSocket(needBroker, null, "TLSv1.2"))) {
            topics(wire);
          }
        })
        .isInstanceOf(IOException.class);
  }

  private static SSLSocket tlsSocket(TestBroker broker, Path clientStore, String protocol)
      throws Exception {
    SSLContext context = TestCertificates.context(clientStore, trustServer);
    SSLSocket socket = (SSLSocket)
        context.getSocketFactory().createSocket("localhost", broker.node(0).kafkaPort());
    socket.setEnabledProtocols(new String[] {protocol});
    socket.startHandshake();
    assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
    return socket;
  }

  private static List<String> topics(KafkaWire wire) throws IOException {
    MetadataResponse r = (MetadataResponse)
        wire.call(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(null));
    return r.data().topics().stream().map(t -> t.name()).toList();
  }
}
