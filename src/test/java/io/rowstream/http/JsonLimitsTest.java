package io.rowstream.http;

import static io.rowstream.support.TestHttp.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.CapturedLog;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JSON past Jackson's stream limits (nesting depth 1000, numbers of 1000 digits, strings of 20 M
 * characters) is the client's mistake: 400 / 40002 naming the limit, and nothing logged at ERROR.
 */
class JsonLimitsTest {
  private static TestBroker broker;
  private static TestHttp http;
  private static String v3Records;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("jsonlimits");
    http = broker.http();
    http.createTopic("events", 1);
    v3Records = "/v3/clusters/" + http.clusterId() + "/topics/events/records";
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void nesting_deeper_than_the_limit_is_400() {
    String deep = "[".repeat(1_100) + "]".repeat(1_100);
    refusedEverywhere(deep, "depth");
  }

  @Test
  void a_number_longer_than_the_limit_is_400() {
    refusedEverywhere("1".repeat(1_100), "Number value length");
  }

  @Test
  void a_string_longer_than_the_limit_is_400() {
    refusedEverywhere("\"" + "a".repeat(20_000_100) + "\"", "String value length");
  }

  /** The value as a v2 JSON record (parsed as it streams), a v3 record and a v3 batch entry. */
  private static void refusedEverywhere(String value, String limit) {
    check(
        v -> http.post("/topics/events", TestHttp.JSON, "{\"records\":[{\"value\":" + v + "}]}"),
        value,
        limit);
    check(
        v -> http.post(
            v3Records, "application/json", "{\"value\":{\"type\":\"JSON\",\"data\":" + v + "}}"),
        value,
        limit);
    check(
        v -> http.post(
            v3Records + ":batch",
            "application/json",
            "{\"entries\":[{\"id\":\"1\",\"value\":{\"type\":\"JSON\",\"data\":" + v + "}}]}"),
        value,
        limit);
    assertThat(broker.queryLong("select coalesce(sum(log_end_offset), 0) from topic_partition"))
        .isZero();
  }

  private static void check(Function<String, Response> call, String value, String limit) {
    try (CapturedLog log = CapturedLog.start()) {
      Response r = call.apply(value);
      assertError(r, 400, 40002);
      assertThat(r.json().path("message").asText()).contains(limit);
      assertThat(log.lines()).noneMatch(l -> l.contains(" ERROR "));
    }
  }
}
