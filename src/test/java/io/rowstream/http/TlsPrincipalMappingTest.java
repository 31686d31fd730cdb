package io.rowstream.http;

import static io.rowstream.support.TestCertificates.PASSWORD;
import static io.rowstream.support.TestCertificates.get;
import static io.rowstream.support.TestCertificates.load;
import static io.rowstream.support.TestCertificates.pem;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client certificate subjects become principals as Kafka's {@code ssl.principal.mapping.rules} map
 * them: by default the whole subject DN as {@code X500Principal.getName()} writes it (RFC 2253),
 * with rules the name a rule makes of it, and with no rule matching no principal at all.
 */
class TlsPrincipalMappingTest {
  private static final String RULES = "RULE:^O=[^,]*,CN=([^,]+)$/$1/L";
  private static TestBroker mapped;
  private static TestBroker unmapped;
  private static SSLContext bob;
  private static SSLContext carol;

  @BeforeAll
  static void start() throws Exception {
    TestCertificates certificates = new TestCertificates("tls_mapping");
    Path server = certificates.keyPair("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
    Path bobStore = certificates.keyPair("bob", "O=Acme,CN=Bob", null);
    Path carolStore = certificates.keyPair("carol", "CN=carol", null);
    Path clients = certificates.dir().resolve("clients.pem");
    Files.writeString(
        clients,
        pem("CERTIFICATE", load(bobStore).getCertificate("bob").getEncoded())
            + pem("CERTIFICATE", load(carolStore).getCertificate("carol").getEncoded()));

    OpsConfig.Tls tls = new OpsConfig.Tls(
        Optional.empty(),
        Optional.empty(),
        Optional.of(server),
        Optional.of(PASSWORD),
        "want",
        Optional.of(clients),
        Optional.empty());
    mapped = TestBroker.start(
        "tls_mapped",
        c -> c.withOps(c.ops()
            .withTls(tls.withPrincipalMappingRules(RULES))
            .withAuth(OpsConfig.Auth.enabled("User:bob"))));
    unmapped = TestBroker.start(
        "tls_unmapped",
        c ->
            c.withOps(c.ops().withTls(tls).withAuth(OpsConfig.Auth.enabled("User:O=Acme,CN=Bob"))));

    TrustManagerFactory tmf = TestCertificates.trusting(server, "server");
    bob = TestCertificates.context(bobStore, tmf);
    carol = TestCertificates.context(carolStore, tmf);
  }

  @AfterAll
  static void stop() {
    mapped.close();
    unmapped.close();
  }

  /** {@code GET /metrics} needs DESCRIBE on the cluster: only the super user named in each node's config has it. */
  @Test
  void by_default_the_principal_is_the_whole_subject_in_rfc_2253_order() throws Exception {
    assertThat(get(bob, unmapped, "/metrics").statusCode()).isEqualTo(200);
    assertThat(get(carol, unmapped, "/metrics").statusCode()).isEqualTo(403);
  }

  @Test
  void a_mapping_rule_makes_the_principal_of_the_common_name_in_lower_case() throws Exception {
    assertThat(get(bob, mapped, "/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void a_subject_no_rule_matches_is_not_a_principal() throws Exception {
    HttpResponse<String> r = get(carol, mapped, "/brokers");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("40101");
  }
}
