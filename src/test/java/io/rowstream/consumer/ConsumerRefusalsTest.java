package io.rowstream.consumer;

import static io.rowstream.consumer.ConsumerCalls.partitions;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every refusal of the consumer API: its status and error code, and that it wrote nothing. */
class ConsumerRefusalsTest {
  static TestBroker broker;
  static TestHttp http;
  static ConsumerCalls calls;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("consumer_refusals");
    http = broker.http();
    calls = new ConsumerCalls(broker);
    calls.createTopic("t", 2);
    calls.createTopic("u", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static void assertError(TestHttp.Response r, int status, int errorCode) {
    TestHttp.assertError(r, status, errorCode);
  }

  private static long instances(String group) {
    return broker.queryLong(
        "select count(*) from consumer_instance where group_name = '" + group + "'");
  }

  /** The instance's assignment and positions as one comparable text. */
  private static long assignmentFingerprint(String group) {
    return broker.queryLong("select coalesce(sum(hashtext(topic_id || ':' || partition_id || ':'"
        + " || coalesce(position, -1))), 0) + count(*) * 1000003 from consumer_assignment"
        + " where group_name = '" + group + "'");
  }

  @Test
  void creating_an_instance_under_a_name_the_group_already_has_is_a_conflict() {
    calls.create(http, "g-dup", Map.of("name", "same", "format", "binary"));
    var again = http.post(
        "/consumers/g-dup", TestHttp.V2, TestHttp.json(Map.of("name", "same", "format", "json")));
    assertError(again, 409, 40902);
    assertThat(instances("g-dup")).isEqualTo(1);
    assertThat(broker.queryLong("select count(*) from consumer_instance where group_name = 'g-dup'"
            + " and format = 'binary'"))
        .isEqualTo(1);
    calls.create(http, "g-dup-other", Map.of("name", "same"));
  }

  @Test
  void unknown_formats_and_bad_config_values_are_refused_as_invalid_consumer_config() {
    List<Map<String, Object>> bad = List.of(
        Map.of("format", "avro"),
        Map.of("auto.offset.reset", "smallest"),
        Map.of("auto.commit.enable", "yes"),
        Map.of("fetch.min.bytes", "abc"),
        Map.of("fetch.min.bytes", -2),
        Map.of("consumer.request.timeout.ms", -5),
        Map.of("consumer.request.timeout.ms", Map.of("a", 1)),
        Map.of("name", ""));
    for (Map<String, Object> config : bad) {
      var r = http.post("/consumers/g-bad", TestHttp.V2, TestHttp.json(config));
      assertError(r, 422, 42204);
    }
    assertThat(instances("g-bad")).isZero();
  }

  @Test
  void assigning_an_unknown_topic_or_partition_is_refused_and_changes_nothing() {
    String c = calls.assignedFromBeginning("g-assign", Map.of("name", "a"), "t", 1);
    long before = assignmentFingerprint("g-assign");

    assertError(http.post(c + "/assignments", TestHttp.V2, partitions("nope", 0)), 404, 40401);
    assertError(
        http.post(
            c + "/assignments",
            TestHttp.V2,
            TestHttp.json(Map.of(
                "partitions",
                List.of(
                    Map.of("topic", "t", "partition", 0), Map.of("topic", "t", "partition", 2))))),
        404,
        40402);
    assertError(
        http.post(c + "/assignments", TestHttp.V2, "{\"partitions\":[{\"topic\":\"t\"}]}"),
        422,
        42206);
    assertError(http.post(c + "/assignments", TestHttp.V2, "{\"partitions\":"), 400, 40002);
    assertThat(assignmentFingerprint("g-assign")).isEqualTo(before);
    assertThat(http.get(c + "/assignments").json().toString())
        .isEqualTo("{\"partitions\":[{\"topic\":\"t\",\"partition\":1}]}");
  }

  @Test
  void seeking_a_partition_that_is_not_assigned_is_an_illegal_state_and_moves_nothing() {
    calls.produceBinary("t", 0, "s0", "s1");
    String c = calls.assignedFromBeginning("g-seek", Map.of("name", "s"), "t", 0);
    long before = assignmentFingerprint("g-seek");

    var mixed = http.post(
        c + "/positions",
        TestHttp.V2,
        TestHttp.json(Map.of(
            "offsets",
            List.of(
                Map.of("topic", "t", "partition", 0, "offset", 1),
                Map.of("topic", "t", "partition", 1, "offset", 0)))));
    assertError(mixed, 409, 40903);
    assertError(
        http.post(
            c + "/positions",
            TestHttp.V2,
            TestHttp.json(
                Map.of("offsets", List.of(Map.of("topic", "u", "partition", 0, "offset", 0))))),
        409,
        40903);
    assertError(http.post(c + "/positions/beginning", TestHttp.V2, partitions("t", 1)), 409, 40903);
    assertError(http.post(c + "/positions/end", TestHttp.V2, partitions("u", 0)), 409, 40903);
    assertError(
        http.post(
            c + "/positions",
            TestHttp.V2,
            TestHttp.json(
                Map.of("offsets", List.of(Map.of("topic", "t", "partition", 0, "offset", -1))))),
        400,
        40002);
    assertThat(assignmentFingerprint("g-seek")).isEqualTo(before);
    assertThat(calls.position("g-seek", "s", "t", 0)).isZero();
  }

  @Test
  void reading_with_an_accept_that_does_not_match_the_format_is_not_acceptable() {
    calls.produceBinary("u", 0, "v");
    String bin =
        calls.assignedFromBeginning("g-accept", Map.of("name", "b", "format", "binary"), "u", 0);
    String json =
        calls.assignedFromBeginning("g-accept", Map.of("name", "j", "format", "json"), "u", 0);

    assertError(http.get(bin + "/records?timeout=0", "Accept", TestHttp.JSON), 406, 40601);
    assertError(http.get(json + "/records?timeout=0", "Accept", TestHttp.BINARY), 406, 40601);
    assertError(http.get(json + "/records?timeout=0", "Accept", TestHttp.V2), 406, 40601);
    assertError(http.get(bin + "/records?timeout=0", "Accept", "text/plain"), 406, 40601);
    assertThat(calls.position("g-accept", "b", "u", 0)).isZero();
    assertThat(calls.position("g-accept", "j", "u", 0)).isZero();
  }

  @Test
  void a_json_instance_refuses_records_that_are_not_json_and_consumes_nothing() {
    calls.createTopic("raw", 1);
    calls.produce("raw", 0, TestHttp.JSON, List.of(Map.of("value", Map.of("ok", true))));
    calls.produceBinary("raw", 0, "not json {");
    String c =
        calls.assignedFromBeginning("g-raw", Map.of("name", "j", "format", "json"), "raw", 0);

    assertError(http.get(c + "/records?timeout=0", "Accept", TestHttp.JSON), 422, 42203);
    assertThat(calls.position("g-raw", "j", "raw", 0)).isZero();
    // The JSON record before it is readable alone.
    assertThat(calls.records(http, c, "?timeout=0&max_bytes=1", TestHttp.JSON)).hasSize(1);
    assertThat(calls.position("g-raw", "j", "raw", 0)).isEqualTo(1);
  }

  @Test
  void reading_without_an_assignment_is_an_illegal_state() {
    String c = calls.create(http, "g-empty", Map.of("name", "e"));
    assertError(http.get(c + "/records?timeout=0", "Accept", TestHttp.BINARY), 409, 40903);
  }

  @Test
  void every_route_on_an_unknown_instance_is_consumer_instance_not_found() {
    String c = "/consumers/g-ghost/instances/ghost";
    assertError(http.delete(c), 404, 40403);
    assertError(http.post(c + "/assignments", TestHttp.V2, partitions("t", 0)), 404, 40403);
    assertError(http.get(c + "/assignments"), 404, 40403);
    assertError(http.post(c + "/positions", TestHttp.V2, "{\"offsets\":[]}"), 404, 40403);
    assertError(http.post(c + "/positions/beginning", TestHttp.V2, partitions("t", 0)), 404, 40403);
    assertError(http.post(c + "/positions/end", TestHttp.V2, partitions("t", 0)), 404, 40403);
    assertError(http.get(c + "/records?timeout=0", "Accept", TestHttp.BINARY), 404, 40403);
    assertThat(broker.queryLong(
            "select count(*) from consumer_assignment where group_name = 'g-ghost'"))
        .isZero();
  }

  @Test
  void a_deleted_instance_cannot_be_used_again() {
    String c = calls.assignedFromBeginning("g-gone", Map.of("name", "x"), "t", 0);
    assertThat(http.delete(c).status()).isEqualTo(204);
    assertError(http.delete(c), 404, 40403);
    assertError(http.get(c + "/assignments"), 404, 40403);
    assertError(http.get(c + "/records?timeout=0", "Accept", TestHttp.BINARY), 404, 40403);
    assertError(http.post(c + "/assignments", TestHttp.V2, partitions("t", 0)), 404, 40403);
    assertError(http.post(c + "/positions/end", TestHttp.V2, partitions("t", 0)), 404, 40403);
    assertThat(instances("g-gone")).isZero();
    assertThat(broker.queryLong(
            "select count(*) from consumer_assignment where group_name = 'g-gone'"))
        .isZero();
  }
}
