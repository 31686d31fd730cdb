package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.RawHttp;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every malformed produce or fetch gets the contract's status and error code, writes nothing,
 * and leaves the node serving.
 */
class ProduceAndFetchBadInputTest {
  static final long MAX_REQUEST_BYTES = 200_000;
  static TestBroker broker;
  static TestHttp http;
  long chunksBefore;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("bad_input", c -> c.withMaxRequestBytes(MAX_REQUEST_BYTES));
    http = broker.http();
    broker.node(0).services().topics().create("strict", 2, 1, Map.of("max.message.bytes", "1024"));
    var ok = http.post(
        "/topics/strict/partitions/0", TestHttp.BINARY, records(Map.of("value", "aGVsbG8=")));
    assertThat(ok.status()).isEqualTo(200);
    var notJson = http.post(
        "/topics/strict/partitions/1", TestHttp.BINARY, records(Map.of("value", "bm90IGpzb24=")));
    assertThat(notJson.status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @BeforeEach
  void countChunks() {
    chunksBefore = chunks();
  }

  @AfterEach
  void nothingWrittenAndStillServing() {
    assertThat(chunks()).as("a refused request wrote nothing").isEqualTo(chunksBefore);
    assertThat(http.get("/status/live").status()).isEqualTo(200);
  }

  static long chunks() {
    return broker.queryLong("select count(*) from chunk");
  }

  @SafeVarargs
  static String records(Map<String, Object>... records) {
    return TestHttp.json(Map.of("records", List.of(records)));
  }

  static void assertError(Response r, int status, int errorCode) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.errorCode()).as(r.body()).isEqualTo(errorCode);
    assertThat(r.json().get("message").asText()).isNotBlank();
  }

  @Test
  void produce_to_an_unknown_topic_is_40401() {
    assertError(
        http.post("/topics/nope", TestHttp.BINARY, records(Map.of("value", "YQ=="))), 404, 40401);
  }

  @Test
  void produce_to_an_unknown_partition_is_40402_in_the_path_or_in_a_record() {
    assertError(
        http.post("/topics/strict/partitions/9", TestHttp.BINARY, records(Map.of("value", "YQ=="))),
        404,
        40402);
    assertError(
        http.post(
            "/topics/strict/partitions/-1", TestHttp.BINARY, records(Map.of("value", "YQ=="))),
        404,
        40402);
    assertError(
        http.post(
            "/topics/strict",
            TestHttp.BINARY,
            records(Map.of("value", "YQ=="), Map.of("value", "Yg==", "partition", 5))),
        404,
        40402);
  }

  @Test
  void malformed_json_is_40002() {
    assertError(
        http.post("/topics/strict", TestHttp.BINARY, "{\"records\": [{\"value\": "), 400, 40002);
    assertError(http.post("/topics/strict", TestHttp.BINARY, "{} {}"), 400, 40002);
  }

  @Test
  void a_content_type_that_is_not_json_is_415() {
    assertError(
        http.post("/topics/strict", "text/plain", records(Map.of("value", "YQ=="))), 415, 415);
    assertError(
        http.post(
            "/topics/strict",
            "application/vnd.kafka.avro.v2+json",
            records(Map.of("value", "YQ=="))),
        415,
        415);
  }

  @Test
  void invalid_base64_anywhere_refuses_the_whole_request_with_42206() {
    assertError(
        http.post(
            "/topics/strict",
            TestHttp.BINARY,
            records(Map.of("value", "YQ=="), Map.of("value", "%%%not-base64"))),
        422,
        42206);
    assertError(
        http.post("/topics/strict", TestHttp.BINARY, records(Map.of("key", 12, "value", "YQ=="))),
        422,
        42206);
    assertError(
        http.post(
            "/topics/strict",
            TestHttp.BINARY,
            records(
                Map.of("value", "YQ==", "headers", List.of(Map.of("name", "h", "value", "***"))))),
        422,
        42206);
  }

  @Test
  void bodies_that_are_not_one_json_object_are_40002_and_write_nothing() {
    long before = broker.queryLong("select count(*) from chunk");
    assertError(
        http.post("/topics/strict", TestHttp.BINARY, records(Map.of("value", "YQ==")) + " {}"),
        400,
        40002);
    assertError(
        http.post("/topics/strict", TestHttp.BINARY, "{\"records\": [{\"value\": \"YQ==\"}"),
        400,
        40002);
    assertError(
        http.post("/topics/strict", TestHttp.BINARY, "{\"records\": [{\"value\": \"YQ==\",]}"),
        400,
        40002);
    assertThat(broker.queryLong("select count(*) from chunk")).isEqualTo(before);
  }

  @Test
  void malformed_records_are_42206() {
    assertError(http.post("/topics/strict", TestHttp.BINARY, "{\"records\": []}"), 422, 42206);
    assertError(http.post("/topics/strict", TestHttp.BINARY, "{}"), 422, 42206);
    assertError(http.post("/topics/strict", TestHttp.BINARY, "[1, 2]"), 422, 42206);
    assertError(http.post("/topics/strict", TestHttp.BINARY, "{\"records\": [42]}"), 422, 42206);
    assertError(
        http.post(
            "/topics/strict",
            TestHttp.BINARY,
            records(Map.of("value", "YQ==", "partition", "zero"))),
        422,
        42206);
    assertError(
        http.post(
            "/topics/strict", TestHttp.BINARY, records(Map.of("value", "YQ==", "timestamp", -5))),
        422,
        42206);
    assertError(
        http.post(
            "/topics/strict",
            TestHttp.BINARY,
            records(Map.of("value", "YQ==", "headers", List.of(Map.of("value", "YQ=="))))),
        422,
        42206);
  }

  @Test
  void a_record_partition_that_is_not_an_integer_is_refused_on_every_produce_path() {
    for (Object bad : List.of("x", "0", 1.5, true, List.of(0), Map.of())) {
      for (String path : List.of("/topics/strict", "/topics/strict/partitions/0")) {
        assertError(
            http.post(
                path,
                TestHttp.BINARY,
                records(Map.of("value", "YQ=="), Map.of("value", "YQ==", "partition", bad))),
            422,
            42206);
        assertError(
            http.post(path, TestHttp.JSON, records(Map.of("value", 1, "partition", bad))),
            422,
            42206);
      }
      String cid = http.clusterId();
      String record = TestHttp.json(
          Map.of("partition_id", bad, "value", Map.of("type", "STRING", "data", "a")));
      var v3 =
          http.post("/v3/clusters/" + cid + "/topics/strict/records", "application/json", record);
      assertThat(v3.json().path("error_code").asInt()).as(v3.body()).isEqualTo(42206);
      var batch = http.post(
          "/v3/clusters/" + cid + "/topics/strict/records:batch",
          "application/json",
          "{\"entries\":[" + record.replaceFirst("^\\{", "{\"id\":\"1\",") + "]}");
      assertThat(batch.json().path("successes")).as(batch.body()).isEmpty();
      assertThat(batch.json().path("failures").path(0).path("error_code").asInt())
          .as(batch.body())
          .isEqualTo(42206);
    }
  }

  @Test
  void malformed_keys_values_timestamps_and_headers_are_refused_on_v2_and_v3() {
    for (Map<String, Object> bad : List.<Map<String, Object>>of(
        Map.of("value", "YQ==", "timestamp", true), Map.of("value", "YQ==", "timestamp", 1.5),
        Map.of("value", "YQ==", "timestamp", "yesterday"), Map.of("value", "YQ==", "headers", "h"),
        Map.of("value", "YQ==", "headers", List.of(Map.of("name", "h", "value", 7))),
            Map.of("value", List.of()))) {
      assertError(
          http.post("/topics/strict/partitions/0", TestHttp.BINARY, records(bad)), 422, 42206);
    }
    String cid = http.clusterId();
    for (String record : List.of(
        "{\"value\":\"plain\"}",
        "{\"value\":{\"data\":\"YQ==\"}}",
        "{\"value\":{\"type\":\"BINARY\",\"data\":12}}",
        "{\"value\":{\"type\":\"STRING\",\"data\":1}}",
        "{\"value\":{\"type\":\"AVRO\",\"data\":1}}",
        "{\"key\":[],\"value\":null}",
        "{\"timestamp\":\"yesterday\"}",
        "{\"headers\":[{\"name\":\"h\",\"value\":7}]}",
        "[]")) {
      var r =
          http.post("/v3/clusters/" + cid + "/topics/strict/records", "application/json", record);
      assertThat(r.json().path("error_code").asInt())
          .as(record + " -> " + r.body())
          .isEqualTo(42206);
    }
  }

  @Test
  void a_record_partition_other_than_the_paths_is_refused() {
    assertError(
        http.post(
            "/topics/strict/partitions/0",
            TestHttp.BINARY,
            records(
                Map.of("value", "YQ==", "partition", 0), Map.of("value", "YQ==", "partition", 1))),
        422,
        42206);
  }

  @Test
  void a_record_over_max_message_bytes_refuses_the_request_with_41301() {
    String big = java.util.Base64.getEncoder().encodeToString(new byte[2000]);
    assertError(
        http.post(
            "/topics/strict",
            TestHttp.BINARY,
            records(Map.of("value", "YQ=="), Map.of("value", big))),
        413,
        41301);
  }

  @Test
  void a_request_over_the_node_limit_is_413_json() {
    // Jetty refuses from the declared Content-Length and closes the connection; a client still
    // uploading the body may see the reset before the answer, so the request is sent raw.
    String response = RawHttp.exchange(
        broker.node(0).port(),
        "POST /topics/strict HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: " + TestHttp.BINARY + "\r\nContent-Length: " + (MAX_REQUEST_BYTES + 10)
            + "\r\nConnection: close\r\n\r\n{\"records\":[");
    assertThat(response).startsWith("HTTP/1.1 413");
    assertThat(response).containsIgnoringCase("Content-Type: application/json");
    assertThat(response).contains("\"error_code\":41301");
  }

  @Test
  void acks_must_be_0_1_or_all() {
    assertError(
        http.post("/topics/strict?acks=2", TestHttp.BINARY, records(Map.of("value", "YQ=="))),
        400,
        40002);
  }

  @Test
  void fetch_parameters_are_checked() {
    String accept = TestHttp.BINARY;
    assertError(
        http.get("/topics/strict/partitions/0/records?offset=-1", "Accept", accept), 400, 40002);
    assertError(
        http.get("/topics/strict/partitions/0/records?offset=abc", "Accept", accept), 400, 40002);
    assertError(http.get("/topics/strict/partitions/0/records", "Accept", accept), 400, 40002);
    assertError(
        http.get("/topics/strict/partitions/0/records?offset=0&timeout=soon", "Accept", accept),
        400,
        40002);
    assertError(
        http.get("/topics/strict/partitions/0/records?offset=0&max_bytes=0", "Accept", accept),
        400,
        40002);
    assertError(
        http.get("/topics/strict/partitions/x/records?offset=0", "Accept", accept), 400, 40002);
    assertError(
        http.get("/topics/strict/partitions/7/records?offset=0", "Accept", accept), 404, 40402);
    assertError(
        http.get("/topics/nope/partitions/0/records?offset=0", "Accept", accept), 404, 40401);
  }

  @Test
  void fetch_past_the_log_end_is_out_of_range() {
    assertError(
        http.get("/topics/strict/partitions/0/records?offset=1000", "Accept", TestHttp.BINARY),
        400,
        40002);
  }

  @Test
  void fetch_with_an_unacceptable_accept_header_is_406() {
    assertError(
        http.get("/topics/strict/partitions/0/records?offset=0", "Accept", "text/csv"), 406, 40601);
  }

  @Test
  void reading_non_json_bytes_as_json_is_42203() {
    assertError(
        http.get("/topics/strict/partitions/1/records?offset=0", "Accept", TestHttp.JSON),
        422,
        42203);
  }

  @Test
  void unknown_paths_and_wrong_methods_are_json_errors() {
    assertError(http.get("/no/such/path"), 404, 404);
    Response wrongMethod = http.method("PUT", "/topics/strict/partitions/0", TestHttp.BINARY, "{}");
    assertError(wrongMethod, 405, 405);
  }

  @Test
  void errors_raised_before_routing_are_json_too() {
    int port = broker.node(0).port();
    String badUri = RawHttp.exchange(
        port, "GET /topics/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(badUri)
        .startsWith("HTTP/1.1 400")
        .contains("application/json")
        .contains("\"error_code\":400");
    String hugeHeader = RawHttp.exchange(
        port,
        "GET /topics HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(40_000)
            + "\r\nConnection: close\r\n\r\n");
    assertThat(hugeHeader).startsWith("HTTP/1.1 431").contains("\"error_code\":431");
  }
}
