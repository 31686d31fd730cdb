package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * v3 routes answer errors with the codes and messages the reference's v3 answers (Kafka's exception
 * mapper for Kafka errors, the plain HTTP status for missing entities and unreadable JSON); v2 keeps
 * its own codes for the same failures. Over real HTTP; see docs/http-api.md for the table.
 */
class V3ErrorCodesTest {
  static final String UNKNOWN_TOPIC_OR_PARTITION =
      "This server does not host this topic-partition.";
  static TestBroker broker;
  static TestHttp http;
  static String cluster;
  static String topics;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("v3_error_codes");
    http = broker.http();
    cluster = "/v3/clusters/" + broker.node(0).services().clusterId();
    topics = cluster + "/topics";
    http.createTopic("known", 1);
    broker
        .node(0)
        .services()
        .topics()
        .create("two-copies", 1, 1, Map.of("min.insync.replicas", "2"));
    broker.node(0).services().topics().create("small", 1, 1, Map.of("max.message.bytes", "100"));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void an_unknown_topic_is_404_with_40403_and_kafkas_message_on_every_v3_admin_route() {
    List<Response> answers = List.of(
        http.get(topics + "/ghost"),
        http.delete(topics + "/ghost"),
        http.method("PATCH", topics + "/ghost", "application/json", "{\"partitions_count\":3}"),
        http.get(topics + "/ghost/partitions"),
        http.get(topics + "/ghost/partitions/0"),
        http.get(topics + "/ghost/configs"),
        http.get(topics + "/ghost/configs/retention.ms"),
        http.post(
            topics + "/ghost/configs:alter",
            "application/json",
            "{\"data\":[{\"name\":\"retention.ms\",\"value\":\"1000\"}]}"));
    for (Response r : answers) {
      TestHttp.assertError(r, 404, 40403);
      assertThat(r.json().get("message").asText()).isEqualTo(UNKNOWN_TOPIC_OR_PARTITION);
    }
  }

  @Test
  void
      v2_keeps_40401_for_an_unknown_topic_and_v3_produce_answers_it_as_the_reference_producer_does() {
    TestHttp.assertError(http.get("/topics/ghost"), 404, 40401);
    TestHttp.assertError(
        http.post(topics + "/ghost/records", "application/json", "{}"), 404, 40401);
  }

  @Test
  void an_unknown_cluster_is_404_with_404() {
    Response r = http.get("/v3/clusters/elsewhere/topics");
    TestHttp.assertError(r, 404, 404);
    assertThat(r.json().get("message").asText()).isEqualTo("Cluster elsewhere cannot be found.");
  }

  @Test
  void an_unknown_partition_broker_group_or_config_is_404_with_404() {
    TestHttp.assertError(http.get(topics + "/known/partitions/7"), 404, 404);
    TestHttp.assertError(http.get(cluster + "/brokers/4242"), 404, 404);
    TestHttp.assertError(http.get(cluster + "/consumer-groups/nobody"), 404, 404);
    TestHttp.assertError(http.get(topics + "/known/configs/no.such.config"), 404, 404);
  }

  @Test
  void v2_keeps_40402_for_an_unknown_partition() {
    TestHttp.assertError(http.get("/topics/known/partitions/7"), 404, 40402);
  }

  @Test
  void malformed_json_on_v3_is_400_with_400_and_writes_nothing() {
    TestHttp.assertError(
        http.post(topics, "application/json", "{\"topic_name\": \"broken\""), 400, 400);
    TestHttp.assertError(
        http.post(topics + "/known/configs:alter", "application/json", "{\"data\":["), 400, 400);
    assertThat(broker.queryLong("select count(*) from topic where name = 'broken'"))
        .isZero();
  }

  @Test
  void a_field_of_the_wrong_json_type_on_v3_is_400_with_400() {
    TestHttp.assertError(
        http.post(
            topics,
            "application/json",
            TestHttp.json(Map.of("topic_name", "typed", "partitions_count", "A"))),
        400,
        400);
    TestHttp.assertError(
        http.post(topics, "application/json", TestHttp.json(Map.of("topic_name", List.of()))),
        400,
        400);
    assertThat(broker.queryLong("select count(*) from topic where name = 'typed'"))
        .isZero();
  }

  @Test
  void malformed_json_on_v2_keeps_40002() {
    TestHttp.assertError(
        http.post("/topics/known", TestHttp.BINARY, "{\"records\": ["), 400, 40002);
  }

  @Test
  void an_invalid_topic_name_or_an_existing_topic_is_400_with_40002_as_kafka_errors_are() {
    TestHttp.assertError(
        http.post(topics, "application/json", TestHttp.json(Map.of("topic_name", "bad name!"))),
        400,
        40002);
    Response exists =
        http.post(topics, "application/json", TestHttp.json(Map.of("topic_name", "known")));
    TestHttp.assertError(exists, 400, 40002);
    assertThat(exists.json().get("message").asText()).isEqualTo("Topic 'known' already exists.");
  }

  @Test
  void not_enough_replicas_on_v3_produce_is_kafkas_retriable_error_50003_and_v2_keeps_50302()
      throws Exception {
    Response stream =
        http.post(topics + "/two-copies/records", "application/json", binaryRecord("aGk="));
    assertThat(stream.status()).as(stream.body()).isEqualTo(200);
    JsonNode answer = answers(stream).getFirst();
    assertThat(answer.get("error_code").asInt()).isEqualTo(50003);
    assertThat(answer.get("message").asText()).contains("min.insync.replicas=2");
    TestHttp.assertError(
        http.post(
            topics + "/two-copies/records:batch",
            "application/json",
            "{\"entries\":[{\"id\":\"1\",\"value\":{\"type\":\"BINARY\",\"data\":\"aGk=\"}}]}"),
        500,
        50003);
    TestHttp.assertError(
        http.post("/topics/two-copies", TestHttp.BINARY, "{\"records\":[{\"value\":\"aGk=\"}]}"),
        503,
        50302);
    assertThat(broker.queryLong(
            "select sum(log_end_offset) from topic_partition p join topic t using (topic_id)"
                + " where t.name = 'two-copies'"))
        .isZero();
  }

  /**
   * Leadership that keeps moving while appending: a trigger in this class's own database refuses
   * every log-end update of the topic with the stale-epoch error, so the node's one retry under a
   * re-read epoch fails too. v3 answers Kafka's retriable NOT_LEADER_OR_FOLLOWER as the reference's
   * exception mapper does (500 / 50003), v2 keeps 503 / 50301, and nothing is written.
   */
  @Test
  void leadership_moving_during_a_v3_produce_is_kafkas_retriable_error_50003_and_v2_keeps_50301()
      throws Exception {
    http.createTopic("moving", 1);
    long topicId = broker.queryLong("select topic_id from topic where name = 'moving'");
    sql("create function refuse_moving_appends() returns trigger language plpgsql as $$ begin"
        + " raise exception 'leadership moved' using errcode = '"
        + io.rowstream.db.SqlErrors.STALE_LEADER_EPOCH
        + "'; end $$");
    sql(
        "create trigger refuse_moving_appends before update of log_end_offset on topic_partition for each row"
            + " when (new.topic_id = " + topicId + ")"
            + " execute function refuse_moving_appends()");
    try {
      Response stream =
          http.post(topics + "/moving/records", "application/json", binaryRecord("aGk="));
      assertThat(stream.status()).as(stream.body()).isEqualTo(200);
      JsonNode answer = answers(stream).getFirst();
      assertThat(answer.get("error_code").asInt()).as(answer.toString()).isEqualTo(50003);
      assertThat(answer.get("message").asText()).contains("Leadership of the partition moved");
      TestHttp.assertError(
          http.post(
              topics + "/moving/records:batch",
              "application/json",
              "{\"entries\":[{\"id\":\"1\",\"value\":{\"type\":\"BINARY\",\"data\":\"aGk=\"}}]}"),
          500,
          50003);
      TestHttp.assertError(
          http.post("/topics/moving", TestHttp.BINARY, "{\"records\":[{\"value\":\"aGk=\"}]}"),
          503,
          50301);
    } finally {
      sql("drop trigger refuse_moving_appends on topic_partition");
      sql("drop function refuse_moving_appends()");
    }
    assertThat(broker.queryLong(
            "select log_end_offset from topic_partition p join topic t using (topic_id)"
                + " where t.name = 'moving'"))
        .isZero();
    assertThat(http.post("/topics/moving", TestHttp.BINARY, "{\"records\":[{\"value\":\"aGk=\"}]}")
            .status())
        .isEqualTo(200);
  }

  private static void sql(String statement) throws java.sql.SQLException {
    try (java.sql.Connection c = broker.sql();
        java.sql.Statement s = c.createStatement()) {
      s.execute("set search_path = rowstream");
      s.execute(statement);
    }
  }

  @Test
  void
      a_record_over_max_message_bytes_on_v3_produce_is_kafkas_record_too_large_50002_and_v2_keeps_41301()
          throws Exception {
    String big = java.util.Base64.getEncoder().encodeToString(new byte[300]);
    Response stream = http.post(topics + "/small/records", "application/json", binaryRecord(big));
    assertThat(stream.status()).as(stream.body()).isEqualTo(200);
    JsonNode answer = answers(stream).getFirst();
    assertThat(answer.get("error_code").asInt()).isEqualTo(50002);
    assertThat(answer.get("message").asText())
        .contains("max.message.bytes")
        .doesNotContain("Internal error");
    Response batch = http.post(
        topics + "/small/records:batch",
        "application/json",
        "{\"entries\":[{\"id\":\"1\",\"value\":{\"type\":\"BINARY\",\"data\":\"" + big + "\"}}]}");
    assertThat(batch.status()).as(batch.body()).isEqualTo(207);
    assertThat(batch.json().get("failures").get(0).get("error_code").asInt()).isEqualTo(50002);
    TestHttp.assertError(
        http.post("/topics/small", TestHttp.BINARY, "{\"records\":[{\"value\":\"" + big + "\"}]}"),
        413,
        41301);
    assertThat(broker.queryLong(
            "select sum(log_end_offset) from topic_partition p join topic t using (topic_id)"
                + " where t.name = 'small'"))
        .isZero();
  }

  @Test
  void
      a_missing_required_field_on_v3_admin_is_400_with_400_as_a_null_entity_field_is_in_the_reference() {
    long topicsBefore = broker.queryLong("select count(*) from topic");
    TestHttp.assertError(
        http.post(topics, "application/json", TestHttp.json(Map.of("partitions_count", 1))),
        400,
        400);
    TestHttp.assertError(
        http.method("PATCH", topics + "/known", "application/json", "{}"), 400, 400);
    TestHttp.assertError(
        http.post(topics + "/known/configs:alter", "application/json", "{}"), 400, 400);
    TestHttp.assertError(
        http.post(topics + "/-/configs:alter", "application/json", "{}"), 400, 400);
    TestHttp.assertError(
        http.post(
            topics + "/-/configs:alter",
            "application/json",
            "{\"data\":[{\"configs\":[{\"name\":\"retention.ms\",\"value\":\"1000\"}]}]}"),
        400,
        400);
    TestHttp.assertError(
        http.post(cluster + "/broker-configs:alter", "application/json", "{}"), 400, 400);
    assertThat(broker.queryLong("select count(*) from topic")).isEqualTo(topicsBefore);
    assertThat(http.get(topics + "/known/partitions").json().get("data")).hasSize(1);
    assertThat(http.get(topics + "/known/configs/retention.ms")
            .json()
            .get("is_default")
            .asBoolean())
        .isTrue();
  }

  @Test
  void an_empty_v3_produce_body_is_422_with_42206_and_the_reference_payload_message() {
    Response r = http.post(topics + "/known/records", "application/json", "");
    TestHttp.assertError(r, 422, 42206);
    assertThat(r.json().get("message").asText())
        .isEqualTo("Payload error. Request body is empty. Data is required.");
  }

  private static String binaryRecord(String base64) {
    return TestHttp.json(Map.of("value", Map.of("type", "BINARY", "data", base64)));
  }

  private static List<JsonNode> answers(Response stream) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    new ObjectMapper()
        .readerFor(JsonNode.class)
        .readValues(stream.body())
        .forEachRemaining(n -> out.add((JsonNode) n));
    return out;
  }
}
