package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.RawHttp;
import io.rowstream.support.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Without an advertised URL, links in responses ({@code base_uri}, v3 {@code self}) name the
 * address the node listens on, never the {@code Host} a client sent.
 */
class PublicUrlTest {
  private static final String ADMIN = "Basic "
      + Base64.getEncoder().encodeToString("admin:admin-pw".getBytes(StandardCharsets.UTF_8));
  private static TestBroker broker;
  private static int port;

  @BeforeAll
  static void start() {
    // Authentication on: the node listens on every interface and any Host reaches it.
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("admin-pw"),
        false,
        Duration.ofSeconds(5));
    broker = TestBroker.start("publicurl", c -> c.withOps(c.ops().withAuth(auth)));
    port = broker.node(0).port();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_consumer_base_uri_does_not_reflect_the_host_header() {
    String body = "{\"name\":\"c1\",\"format\":\"binary\"}";
    String response = RawHttp.exchange(
        port,
        "POST /consumers/g1 HTTP/1.1\r\nHost: evil.example\r\n"
            + "Authorization: " + ADMIN + "\r\nContent-Type: application/vnd.kafka.v2+json\r\n"
            + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
    assertThat(response)
        .startsWith("HTTP/1.1 200")
        .doesNotContain("evil.example")
        .contains("\"base_uri\":\"http://localhost:" + port + "/consumers/g1/instances/c1\"");
  }

  @Test
  void v3_links_do_not_reflect_the_host_header() {
    String response = RawHttp.exchange(
        port,
        "GET /v3/clusters HTTP/1.1\r\nHost: evil.example:666\r\n" + "Authorization: " + ADMIN
            + "\r\nConnection: close\r\n\r\n");
    assertThat(response)
        .startsWith("HTTP/1.1 200")
        .doesNotContain("evil.example")
        .contains("\"self\":\"http://localhost:" + port + "/v3/clusters\"");
  }
}
