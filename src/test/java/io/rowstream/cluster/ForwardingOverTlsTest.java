package io.rowstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With TLS and authentication on, nodes advertise https URLs and a follower forwards a produce to
 * the leader over TLS, trusting the certificate the nodes share, with the node secret.
 */
class ForwardingOverTlsTest {
  private static TestBroker broker;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    Path server = new TestCertificates("forward_tls")
        .keyPair("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
    SSLContext trusting =
        TestCertificates.context(null, TestCertificates.trusting(server, "server"));
    client = HttpClient.newBuilder()
        .sslContext(trusting)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    OpsConfig.Tls tls = new OpsConfig.Tls(
        Optional.empty(),
        Optional.empty(),
        Optional.of(server),
        Optional.of(TestCertificates.PASSWORD),
        "none",
        Optional.empty(),
        Optional.empty());
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("s3cret-admin"),
        false,
        Duration.ofSeconds(5));
    broker = TestBroker.start(
        "forward_tls",
        c -> c.withClusterTimings(FencingAndForwardingTest.FAST)
            .withOps(c.ops().withTls(tls).withAuth(auth)));
    broker.startNode();
    String cid = send(0, "GET", "/v3/clusters", null)
        .body()
        .replaceAll(".*\"cluster_id\":\"([^\"]+)\".*", "$1");
    var created = send(
        0,
        "POST",
        "/v3/clusters/" + cid + "/topics",
        "{\"topic_name\":\"secured\",\"partitions_count\":2}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    awaitOneLeaderEachOverHttps(broker);
  }

  /** Waits until each of the two nodes leads one partition and knows the other's https URL. */
  static void awaitOneLeaderEachOverHttps(TestBroker broker) {
    Await.until(
        "each node leads one partition and knows the other's https URL",
        FencingAndForwardingTest.SETTLE,
        () -> broker.queryLong("select count(distinct leader_node_id) from topic_partition") == 2
            && IntStream.range(0, 2)
                .allMatch(i -> IntStream.rangeClosed(1, 2)
                    .allMatch(id -> broker
                        .node(i)
                        .services()
                        .leaderView()
                        .urlOf(id)
                        .filter(u -> u.startsWith("https://"))
                        .isPresent())));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_produce_sent_to_a_follower_reaches_the_leader_over_https() throws Exception {
    int leader =
        (int) broker.queryLong("select leader_node_id from topic_partition where partition_id = 0");
    int follower = leader % 2 + 1;
    var counts = broker.node(leader - 1).services().produce().forwardingCounts();
    long fallbacks =
        broker.node(follower - 1).services().produce().forwardingCounts().fallbacks();

    var r = send(
        follower - 1,
        "POST",
        "/topics/secured/partitions/0",
        "{\"records\":[{\"value\":\"aGk=\"}]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(broker.node(leader - 1).services().produce().forwardingCounts().forwardedIn())
        .isEqualTo(counts.forwardedIn() + 1);
    assertThat(broker.node(follower - 1).services().produce().forwardingCounts().fallbacks())
        .isEqualTo(fallbacks);
    assertThat(
            broker.queryLong("select log_end_offset from topic_partition where partition_id = 0"))
        .isEqualTo(1);
  }

  private static HttpResponse<String> send(int node, String method, String path, String body)
      throws Exception {
    String basic =
        Base64.getEncoder().encodeToString("admin:s3cret-admin".getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create(broker.node(node).baseUrl() + path))
        .header("Authorization", "Basic " + basic)
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header(
          "Content-Type",
          path.startsWith("/v3") ? "application/json" : "application/vnd.kafka.binary.v2+json");
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
