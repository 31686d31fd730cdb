package io.rowstream.http;

import static io.rowstream.support.TestHttp.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.RawHttp;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a web page the operator visits could make the browser send to a node: with authentication
 * off the node listens on loopback only, refuses request bodies a browser sends without a CORS
 * preflight (forms, {@code text/plain}, untyped) and refuses a rebound DNS name in {@code Host}.
 */
class BrowserBorneRequestsTest {
  private static TestBroker broker;
  private static TestHttp http;
  private static String topics;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("browser");
    http = broker.http();
    topics = "/v3/clusters/" + http.clusterId() + "/topics";
    http.createTopic("orders", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_text_plain_body_creates_no_topic() {
    String body = "{\"topic_name\":\"from-a-page\",\"partitions_count\":1}";
    assertError(http.post(topics, "text/plain", body), 415, 415);
    assertError(http.post(topics, "text/plain; charset=utf-8", body), 415, 415);
    assertThat(http.get(topics + "/from-a-page").status()).isEqualTo(404);
    assertThat(broker.queryLong("select count(*) from topic where name = 'from-a-page'"))
        .isZero();
  }

  @Test
  void a_form_body_creates_no_topic() {
    assertError(
        http.post(
            topics,
            "application/x-www-form-urlencoded",
            "topic_name=form-topic&partitions_count=1"),
        415,
        415);
    assertError(
        http.post(
            topics,
            "multipart/form-data; boundary=x",
            "--x\r\nContent-Disposition: form-data; name=\"topic_name\"\r\n\r\nform-topic\r\n--x--\r\n"),
        415,
        415);
    assertThat(broker.queryLong("select count(*) from topic where name = 'form-topic'"))
        .isZero();
  }

  @Test
  void an_untyped_body_creates_no_topic() {
    assertError(
        http.bytes(
            "POST", topics, null, "{\"topic_name\":\"untyped\",\"partitions_count\":1}".getBytes()),
        415,
        415);
    assertThat(broker.queryLong("select count(*) from topic where name = 'untyped'"))
        .isZero();
  }

  @Test
  void consumers_acls_users_and_produce_refuse_bodies_a_browser_sends_without_asking() {
    String cid = http.clusterId();
    assertError(
        http.post("/consumers/g1", "text/plain", "{\"name\":\"c1\",\"format\":\"binary\"}"),
        415,
        415);
    assertThat(broker.queryLong("select count(*) from consumer_instance where group_name = 'g1'"))
        .isZero();
    assertError(
        http.post("/v3/clusters/" + cid + "/acls", "application/x-www-form-urlencoded", "a=b"),
        415,
        415);
    assertError(
        http.post(
            "/v3/clusters/" + cid + "/users", "text/plain", "{\"name\":\"x\",\"password\":\"y\"}"),
        415,
        415);
    assertError(
        http.post("/topics/orders", "text/plain", "{\"records\":[{\"value\":\"YQ==\"}]}"),
        415,
        415);
    assertError(
        http.post(
            topics + "/orders/records",
            "text/plain",
            "{\"value\":{\"type\":\"STRING\",\"data\":\"a\"}}"),
        415,
        415);
    assertError(http.method("PATCH", topics + "/orders", "text/plain", "{}"), 415, 415);
    assertThat(broker.queryLong("select coalesce(sum(log_end_offset), 0) from topic_partition"))
        .isZero();
  }

  @Test
  void json_bodies_still_pass() {
    assertThat(
            http.post("/consumers/g-json", TestHttp.V2, "{\"name\":\"c1\",\"format\":\"binary\"}")
                .status())
        .isEqualTo(200);
    assertThat(http.post(
                "/consumers/g-json", "application/json", "{\"name\":\"c2\",\"format\":\"binary\"}")
            .status())
        .isEqualTo(200);
    assertThat(http.post(
                topics,
                "application/json; charset=UTF-8",
                "{\"topic_name\":\"typed\",\"partitions_count\":1}")
            .status())
        .isEqualTo(201);
  }

  @Test
  void a_rebound_host_name_is_refused_while_loopback_names_are_answered() {
    int port = broker.node(0).port();
    String evil = RawHttp.exchange(
        port,
        "GET /topics HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n\r\n");
    assertThat(evil).startsWith("HTTP/1.1 403").contains("\"error_code\":40301");
    String lookalike = RawHttp.exchange(
        port, "GET /topics HTTP/1.1\r\nHost: 127.evil.example\r\nConnection: close\r\n\r\n");
    assertThat(lookalike).startsWith("HTTP/1.1 403");
    for (String host :
        new String[] {"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LocalHost"}) {
      String ok = RawHttp.exchange(
          port, "GET /topics HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      assertThat(ok).as(host).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void without_authentication_the_node_listens_on_loopback_only() throws IOException {
    InetAddress external = nonLoopbackAddress();
    int port = broker.node(0).port();
    assertThatThrownBy(() -> connect(external, port)).isInstanceOf(ConnectException.class);
    connect(InetAddress.getLoopbackAddress(), port);
  }

  @Test
  void with_authentication_the_node_listens_on_every_interface_and_checks_no_host()
      throws IOException {
    InetAddress external = nonLoopbackAddress();
    OpsConfig.Auth auth = OpsConfig.Auth.enabled("User:admin");
    try (TestBroker secured =
        TestBroker.start("browser-auth", c -> c.withOps(c.ops().withAuth(auth)))) {
      int port = secured.node(0).port();
      connect(external, port);
      String r = RawHttp.exchange(
          port, "GET /status/live HTTP/1.1\r\nHost: any.example\r\nConnection: close\r\n\r\n");
      assertThat(r).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void the_http_host_setting_binds_elsewhere() throws IOException {
    InetAddress external = nonLoopbackAddress();
    try (TestBroker everywhere = TestBroker.start("browser-host", c -> c.withHttpHost("0.0.0.0"))) {
      connect(external, everywhere.node(0).port());
      assertThat(everywhere.http().get("/topics").status()).isEqualTo(200);
    }
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 5_000);
    }
  }

  /** An IPv4 address of this machine that is not loopback (skips the test on a machine without one). */
  private static InetAddress nonLoopbackAddress() {
    try {
      Optional<InetAddress> found = NetworkInterface.networkInterfaces()
          .filter(i -> {
            try {
              return i.isUp() && !i.isLoopback();
            } catch (SocketException e) {
              return false;
            }
          })
          .flatMap(NetworkInterface::inetAddresses)
          .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
          .findFirst();
      assumeTrue(found.isPresent(), "this machine has no non-loopback IPv4 address");
      return found.get();
    } catch (SocketException e) {
      throw new IllegalStateException(e);
    }
  }
}
