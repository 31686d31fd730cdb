package io.rowstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A forward that fails in the TLS handshake (the two nodes have certificates neither trusts) is a
 * retriable error whose message says so in the broker's words, never the TLS stack's (PKIX, class
 * names); the node logs the cause.
 */
class ForwardingFailureTest {
  private static TestBroker broker;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    TestCertificates certificates = new TestCertificates("forward_failure");
    Path first = certificates.keyPair("first", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
    Path second = certificates.keyPair("second", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
    SSLContext trustingFirst =
        TestCertificates.context(null, TestCertificates.trusting(first, "first"));
    client = HttpClient.newBuilder()
        .sslContext(trustingFirst)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    broker = TestBroker.start(
        "forward_failure",
        c -> c.withClusterTimings(FencingAndForwardingTest.FAST)
            .withOps(c.ops()
                .withTls(new OpsConfig.Tls(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(c.nodeId().getAsInt() == 1 ? first : second),
                    Optional.of(TestCertificates.PASSWORD),
                    "none",
                    Optional.empty(),
                    Optional.empty()))));
    broker.startNode();
    broker.node(0).services().topics().create("split", 2, 1, java.util.Map.of());
    ForwardingOverTlsTest.awaitOneLeaderEachOverHttps(broker);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_forward_refused_in_the_tls_handshake_answers_without_tls_details() throws Exception {
    int partition =
        (int) broker.queryLong("select partition_id from topic_partition where leader_node_id = 2");
    HttpRequest request = HttpRequest.newBuilder(
            URI.create(broker.node(0).baseUrl() + "/topics/split/partitions/" + partition))
        .header("Content-Type", "application/vnd.kafka.binary.v2+json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[{\"value\":\"aGk=\"}]}"))
        .build();

    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
    assertThat(r.body())
        .contains("\"error_code\":50003")
        .contains("did not answer")
        .doesNotContain("PKIX")
        .doesNotContain("SSL")
        .doesNotContain("javax")
        .doesNotContain("Exception")
        .doesNotContain("certificat");
    assertThat(broker.queryLong(
            "select log_end_offset from topic_partition where partition_id = " + partition))
        .isZero();
  }
}
