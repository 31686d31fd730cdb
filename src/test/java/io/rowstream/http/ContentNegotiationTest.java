package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Content-Type and Accept over real HTTP, as the REST Proxy negotiates them: a produce whose type
 * names no embedded format is binary (v1 produce included), bodies of other types are 415, and an
 * Accept that no representation of the route satisfies is 406, with quality values and wildcards.
 */
class ContentNegotiationTest {
  static TestBroker broker;
  static TestHttp http;
  static String v3;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("content_negotiation");
    http = broker.http();
    v3 = "/v3/clusters/" + broker.node(0).services().clusterId();
    http.createTopic("typed", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/vnd.kafka.v1+json",
        "application/vnd.kafka.v2+json",
        "application/json",
        "application/vnd.kafka.v1+json; charset=utf-8",
        "application/vnd.kafka+json"
      })
  void a_v2_produce_whose_content_type_names_no_embedded_format_is_binary(String contentType) {
    var r = http.post("/topics/typed", contentType, "{\"records\":[{\"value\":\"aGk=\"}]}");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    long offset = r.json().get("offsets").get(0).get("offset").asLong();
    var read = http.get(
        "/topics/typed/partitions/0/records?offset=" + offset + "&count=1",
        "Accept",
        TestHttp.BINARY);
    assertThat(read.json().get(0).get("value").asText()).isEqualTo("aGk=");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/vnd.kafka.avro.v2+json",
        "application/vnd.kafka.protobuf.v2+json",
        "application/vnd.kafka.v3+json",
        "application/xml"
      })
  void a_v2_produce_of_an_unsupported_type_is_415_and_writes_nothing(String contentType) {
    long before = broker.queryLong("select count(*) from chunk");
    TestHttp.assertError(
        http.post("/topics/typed", contentType, "{\"records\":[{\"value\":\"aGk=\"}]}"), 415, 415);
    assertThat(broker.queryLong("select count(*) from chunk")).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "application/xml",
        "application/x-www-form-urlencoded",
        "application/vnd.kafka.v1+json",
        "application/vnd.kafka.binary.v1+json"
      })
  void v2_consumer_creation_refuses_a_type_that_is_not_v2_json_with_415(String contentType) {
    var r =
        http.post("/consumers/negotiated", contentType, "{\"name\":\"c1\",\"format\":\"binary\"}");
    TestHttp.assertError(r, 415, 415);
    assertThat(broker.queryLong("select count(*) from consumer_instance")).isZero();
  }

  @Test
  void v3_requests_with_a_body_refuse_a_type_that_is_not_json_with_415() {
    String topic = TestHttp.json(Map.of("topic_name", "xml"));
    TestHttp.assertError(http.post(v3 + "/topics", "application/xml", topic), 415, 415);
    TestHttp.assertError(
        http.post(v3 + "/topics", "application/vnd.kafka.v2+json", topic), 415, 415);
    TestHttp.assertError(
        http.post(
            v3 + "/topics/typed/records",
            "text/plain",
            "{\"value\":{\"type\":\"BINARY\"," + "\"data\":\"aGk=\"}}"),
        415,
        415);
    TestHttp.assertError(
        http.method(
            "PATCH",
            v3 + "/topics/typed",
            "application/x-www-form-urlencoded",
            "partitions_count=2"),
        415,
        415);
    assertThat(broker.queryLong("select count(*) from topic where name = 'xml'"))
        .isZero();
  }

  @Test
  void an_accept_that_no_representation_satisfies_is_406_on_every_family_of_routes() {
    TestHttp.assertError(http.get("/topics", "Accept", "text/html"), 406, 406);
    TestHttp.assertError(http.get("/brokers", "Accept", "application/xml"), 406, 406);
    TestHttp.assertError(
        http.get("/topics/typed/partitions", "Accept", "application/vnd.kafka.v3+json"), 406, 406);
    TestHttp.assertError(http.get(v3 + "/topics", "Accept", "text/html"), 406, 406);
    TestHttp.assertError(http.get(v3, "Accept", "application/vnd.kafka.v2+json"), 406, 406);
    TestHttp.assertError(
        http.post(
            v3 + "/topics",
            "application/json",
            TestHttp.json(Map.of("topic_name", "unread")),
            "Accept",
            "text/csv"),
        406,
        406);
    assertThat(broker.queryLong("select count(*) from topic where name = 'unread'"))
        .isZero();
  }

  @Test
  void an_unknown_path_is_404_whatever_its_accept() {
    TestHttp.assertError(http.get("/no/such/route", "Accept", "text/html"), 404, 404);
    TestHttp.assertError(http.get(v3 + "/no-such-collection", "Accept", "text/html"), 404, 404);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/vnd.kafka.v2+json",
        "application/vnd.kafka+json",
        "application/json",
        "*/*",
        "application/*;q=0.5",
        "text/html, application/vnd.kafka.v2+json;q=0.9",
        "APPLICATION/JSON",
        ""
      })
  void v2_metadata_routes_serve_every_accept_one_of_their_types_satisfies(String accept) {
    var r = accept.isEmpty() ? http.get("/topics") : http.get("/topics", "Accept", accept);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "*/*",
        "application/*;q=0.5",
        "text/html;q=1, */*;q=0.1",
        "application/json; charset=utf-8"
      })
  void v3_routes_serve_every_accept_that_json_satisfies(String accept) {
    var r = http.get(v3 + "/topics", "Accept", accept);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json;q=0",
        "*/*;q=0",
        "application/json;q=0, text/html",
        "application/*;q=0.0, text/*"
      })
  void a_type_given_quality_zero_is_not_acceptable(String accept) {
    TestHttp.assertError(http.get(v3 + "/topics", "Accept", accept), 406, 406);
  }

  @Test
  void a_records_fetch_takes_the_embedded_format_the_accept_header_prefers() {
    http.createTopic("preferred", 1);
    http.post("/topics/preferred", TestHttp.BINARY, "{\"records\":[{\"value\":\"AAEC\"}]}")
        .expectStatus(200);

    var binary = http.get(
        "/topics/preferred/partitions/0/records?offset=0",
        "Accept",
        "application/vnd.kafka.json.v2+json;q=0.1, application/vnd.kafka.binary.v2+json");
    assertThat(binary.status()).as(binary.body()).isEqualTo(200);
    assertThat(binary.json().get(0).get("value").asText()).isEqualTo("AAEC");

    var refused = http.get(
        "/topics/preferred/partitions/0/records?offset=0",
        "Accept",
        "application/vnd.kafka.binary.v2+json;q=0, text/html");
    TestHttp.assertError(refused, 406, 40601);
  }
}
