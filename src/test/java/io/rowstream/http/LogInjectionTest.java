package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.CapturedLog;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client-supplied names reach the log as one line each: a CR LF in them forges no line. */
class LogInjectionTest {
  private static final String FORGED =
      "2026-12-04T00:00:00.000+0000 [main] ERROR Security - FORGED admin login";
  private static TestBroker broker;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("loginjection");
    http = broker.http();
    http.createTopic("orders", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_group_name_and_an_instance_id_with_cr_lf_forge_no_log_line() {
    String group = "g\r\n" + FORGED;
    String instance = "c\r\n" + FORGED;
    String member = "/consumers/" + encoded(group) + "/instances/" + encoded(instance);
    try (CapturedLog log = CapturedLog.start()) {
      var created = http.post(
          "/consumers/" + encoded(group),
          TestHttp.V2,
          TestHttp.json(Map.of("name", instance, "format", "binary")));
      assertThat(created.status()).as(created.body()).isEqualTo(200);
      var subscribed = http.post(
          member + "/subscription",
          TestHttp.V2,
          TestHttp.json(Map.of("topics", List.of("orders"))));
      assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(204);

      Await.until(
          "the rebalance is logged",
          Duration.ofSeconds(10),
          () -> log.lines().stream().anyMatch(l -> l.contains("group rebalanced")));
      assertThat(log.lines()).noneMatch(l -> l.startsWith(FORGED));
      assertThat(log.lines())
          .anyMatch(l -> l.contains("group rebalanced group=g\\r\\n" + FORGED)
              && l.contains("c\\r\\n" + FORGED));
    }
  }

  private static String encoded(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
