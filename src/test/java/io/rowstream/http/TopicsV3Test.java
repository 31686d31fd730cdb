package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import io.rowstream.support.TopicRows;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** v3 topic admin over real HTTP: create, list, get, delete, grow; partitions; every refusal writes nothing. */
class TopicsV3Test {
  static TestBroker broker;
  static TestHttp http;
  static String cid;
  static String topics;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("topics_v3");
    http = broker.http();
    cid = broker.node(0).services().clusterId();
    topics = "/v3/clusters/" + cid + "/topics";
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void create_answers_201_with_the_topic_and_its_location() {
    var r = create(Map.of(
        "topic_name",
        "created",
        "partitions_count",
        3,
        "replication_factor",
        1,
        "configs",
        List.of(Map.of("name", "cleanup.policy", "value", "compact"))));

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.contentType()).startsWith("application/json");
    String self = http.baseUrl() + topics + "/created";
    assertThat(r.headers().firstValue("Location")).contains(self);
    JsonNode topic = r.json();
    assertThat(topic.get("kind").asText()).isEqualTo("KafkaTopic");
    assertThat(topic.get("metadata").get("self").asText()).isEqualTo(self);
    assertThat(topic.get("metadata").get("resource_name").asText())
        .isEqualTo("crn:///kafka=" + cid + "/topic=created");
    assertThat(topic.get("cluster_id").asText()).isEqualTo(cid);
    assertThat(topic.get("topic_name").asText()).isEqualTo("created");
    assertThat(topic.get("is_internal").asBoolean()).isFalse();
    assertThat(topic.get("partitions_count").asInt()).isEqualTo(3);
    assertThat(topic.get("replication_factor").asInt()).isEqualTo(1);
    assertThat(topic.get("partitions").get("related").asText()).isEqualTo(self + "/partitions");
    assertThat(topic.get("configs").get("related").asText()).isEqualTo(self + "/configs");
    assertThat(topic.get("authorized_operations")).isEmpty();
    assertThat(
            broker.queryLong("select count(*) from topic_partition p join topic t using (topic_id)"
                + " where t.name = 'created'"))
        .isEqualTo(3);
    assertThat(broker.queryLong("select count(*) from topic where name = 'created'"
            + " and configs = '{\"cleanup.policy\":\"compact\"}'"))
        .isEqualTo(1);
  }

  @Test
  void create_defaults_to_one_partition_and_replication_factor_one() {
    var r = create(Map.of("topic_name", "defaults"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("partitions_count").asInt()).isEqualTo(1);
    assertThat(r.json().get("replication_factor").asInt()).isEqualTo(1);
  }

  @Test
  void create_refuses_a_replication_factor_above_the_live_brokers() {
    assertRefusedWithoutWrites(
        () -> create(Map.of("topic_name", "replicated", "replication_factor", 3)), 400, 40002);
  }

  @Test
  void validate_only_answers_200_with_the_would_be_topic_and_writes_nothing() {
    String before = TopicRows.snapshot(broker);
    var r = create(Map.of("topic_name", "validated", "partitions_count", 2, "validate_only", true));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("partitions_count").asInt()).isEqualTo(2);
    assertThat(TopicRows.snapshot(broker)).isEqualTo(before);
  }

  @Test
  void list_and_get_answer_topic_resources_sorted_by_name() {
    http.createTopic("list-b", 1);
    http.createTopic("list-a", 2);

    var list = http.get(topics);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    assertThat(list.json().get("kind").asText()).isEqualTo("KafkaTopicList");
    assertThat(list.json().get("metadata").get("self").asText()).isEqualTo(http.baseUrl() + topics);
    List<String> names = list.json().get("data").findValuesAsText("topic_name");
    assertThat(names).containsSubsequence("list-a", "list-b").isSorted();

    var one = http.get(topics + "/list-a");
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(one.json().get("partitions_count").asInt()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a b", "ä", "a/b", "a:b", "toolong"})
  void create_refuses_an_illegal_topic_name_with_40002_and_writes_nothing(String name) {
    String topicName = name.equals("toolong") ? "a".repeat(250) : name;
    assertRefusedWithoutWrites(() -> create(Map.of("topic_name", topicName)), 400, 40002);
  }

  @Test
  void create_refuses_a_missing_topic_name_with_400_as_the_reference_and_writes_nothing() {
    assertRefusedWithoutWrites(() -> create(Map.of("partitions_count", 1)), 400, 400);
    assertRefusedWithoutWrites(() -> http.post(topics, "application/json", ""), 400, 400);
  }

  @Test
  void create_refuses_an_existing_topic_with_40002_and_writes_nothing() {
    http.createTopic("exists", 2);
    assertRefusedWithoutWrites(
        () -> create(Map.of("topic_name", "exists", "partitions_count", 5)), 400, 40002);
    assertRefusedWithoutWrites(
        () -> create(Map.of("topic_name", "exists", "validate_only", true)), 400, 40002);
  }

  @Test
  void create_refuses_partition_counts_outside_1_to_10000_with_40002_and_writes_nothing() {
    for (int count : new int[] {0, -1, 10_001}) {
      assertRefusedWithoutWrites(
          () -> create(Map.of("topic_name", "counts", "partitions_count", count)), 400, 40002);
    }
    assertRefusedWithoutWrites(
        () -> create(Map.of("topic_name", "counts", "partitions_count", "three")), 400, 400);
    assertRefusedWithoutWrites(
        () -> create(Map.of("topic_name", "counts", "replication_factor", 0)), 400, 40002);
  }

  @Test
  void create_refuses_unknown_configs_and_bad_values_with_40002_and_writes_nothing() {
    assertRefusedWithoutWrites(
        () -> create(Map.of(
            "topic_name",
            "configs",
            "configs",
            List.of(Map.of("name", "no.such.config", "value", "1")))),
        400,
        40002);
    assertRefusedWithoutWrites(
        () -> create(Map.of(
            "topic_name",
            "configs",
            "configs",
            List.of(Map.of("name", "retention.ms", "value", "soon")))),
        400,
        40002);
    assertRefusedWithoutWrites(
        () -> create(Map.of(
            "topic_name",
            "configs",
            "configs",
            List.of(
                Map.of("name", "cleanup.policy", "value", "delete"),
                Map.of("name", "cleanup.policy", "value", "compact")))),
        400,
        40002);
  }

  @Test
  void create_refuses_malformed_json_with_400_and_writes_nothing() {
    assertRefusedWithoutWrites(
        () -> http.post(topics, "application/json", "{\"topic_name\": \"broken\""), 400, 400);
  }

  @Test
  void delete_answers_204_and_the_topic_is_gone() {
    http.createTopic("doomed", 2);
    var r = http.delete(topics + "/doomed");
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    assertThat(http.get(topics + "/doomed").errorCode()).isEqualTo(40403);
    assertThat(broker.queryLong("select count(*) from topic where name = 'doomed'"))
        .isZero();
  }

  @Test
  void delete_then_create_again_gives_a_new_empty_topic() {
    http.createTopic("reborn", 1);
    assertThat(http.post("/topics/reborn", TestHttp.BINARY, records("old")).status())
        .isEqualTo(200);
    long oldId = broker.queryLong("select topic_id from topic where name = 'reborn'");

    assertThat(http.delete(topics + "/reborn").status()).isEqualTo(204);
    http.createTopic("reborn", 1);

    assertThat(broker.queryLong("select topic_id from topic where name = 'reborn'"))
        .isNotEqualTo(oldId);
    assertThat(http.get("/topics/reborn/partitions/0/offsets").json().toString())
        .isEqualTo("{\"beginning_offset\":0,\"end_offset\":0}");
    assertThat(http.get("/topics/reborn/partitions/0/records?offset=0", "Accept", TestHttp.BINARY)
            .json())
        .isEmpty();
  }

  @Test
  void unknown_topics_are_404_with_40403() {
    assertThat(http.get(topics + "/ghost").errorCode()).isEqualTo(40403);
    assertRefusedWithoutWrites(() -> http.delete(topics + "/ghost"), 404, 40403);
    assertRefusedWithoutWrites(() -> patch("/ghost", Map.of("partitions_count", 3)), 404, 40403);
    assertRefusedWithoutWrites(
        () -> http.post(
            topics + "/ghost/partitions",
            "application/json",
            TestHttp.json(Map.of("partitions_count", 3))),
        404,
        40403);
    assertThat(http.get(topics + "/ghost/partitions").errorCode()).isEqualTo(40403);
  }

  @Test
  void patch_grows_the_partition_count_and_answers_the_topic() {
    http.createTopic("patched", 1);
    var r = patch("/patched", Map.of("partitions_count", 4));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("partitions_count").asInt()).isEqualTo(4);
    assertThat(http.get(topics + "/patched/partitions").json().get("data")).hasSize(4);
  }

  @Test
  void growing_to_fewer_or_as_many_partitions_is_refused_with_40002_and_writes_nothing() {
    http.createTopic("shrink", 3);
    assertRefusedWithoutWrites(() -> patch("/shrink", Map.of("partitions_count", 2)), 400, 40002);
    assertRefusedWithoutWrites(() -> patch("/shrink", Map.of("partitions_count", 3)), 400, 40002);
    assertRefusedWithoutWrites(
        () -> patch("/shrink", Map.of("partitions_count", 10_001)), 400, 40002);
    assertRefusedWithoutWrites(() -> patch("/shrink", Map.of()), 400, 400);
    assertRefusedWithoutWrites(
        () -> http.post(
            topics + "/shrink/partitions",
            "application/json",
            TestHttp.json(Map.of("partitions_count", 1))),
        400,
        40002);
  }

  @Test
  void partitions_added_by_post_take_records_produced_over_http() {
    http.createTopic("grown", 1);
    var r = http.post(
        topics + "/grown/partitions",
        "application/json",
        TestHttp.json(Map.of("partitions_count", 3)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("partitions_count").asInt()).isEqualTo(3);

    var produced = http.post("/topics/grown/partitions/2", TestHttp.BINARY, records("new"));

    assertThat(produced.status()).as(produced.body()).isEqualTo(200);
    assertThat(produced.json().get("offsets").get(0).get("partition").asInt()).isEqualTo(2);
    assertThat(produced.json().get("offsets").get(0).get("offset").asLong()).isZero();
    assertThat(http.get("/topics/grown/partitions/2/offsets")
            .json()
            .get("end_offset")
            .asLong())
        .isEqualTo(1);
  }

  @Test
  void partitions_list_and_get_answer_partition_resources_with_a_leader_link() {
    http.createTopic("parts", 2);
    int nodeId = broker.node(0).services().nodeId();
    String self = http.baseUrl() + topics + "/parts/partitions";

    var list = http.get(topics + "/parts/partitions");
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    assertThat(list.json().get("kind").asText()).isEqualTo("KafkaPartitionList");
    assertThat(list.json().get("metadata").get("self").asText()).isEqualTo(self);
    assertThat(list.json().get("data")).hasSize(2);

    var one = http.get(topics + "/parts/partitions/1");
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    JsonNode partition = one.json();
    assertThat(partition.get("kind").asText()).isEqualTo("KafkaPartition");
    assertThat(partition.get("metadata").get("self").asText()).isEqualTo(self + "/1");
    assertThat(partition.get("metadata").get("resource_name").asText())
        .isEqualTo("crn:///kafka=" + cid + "/topic=parts/partition=1");
    assertThat(partition.get("topic_name").asText()).isEqualTo("parts");
    assertThat(partition.get("partition_id").asInt()).isEqualTo(1);
    assertThat(partition.get("leader").get("related").asText())
        .isEqualTo(self + "/1/replicas/" + nodeId);
    assertThat(partition.get("replicas").get("related").asText()).isEqualTo(self + "/1/replicas");
  }

  @Test
  void an_unknown_partition_is_404_with_404_and_a_non_numeric_one_400_with_40002() {
    http.createTopic("few", 1);
    var unknown = http.get(topics + "/few/partitions/1");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo(404);
    var nonNumeric = http.get(topics + "/few/partitions/one");
    assertThat(nonNumeric.status()).isEqualTo(400);
    assertThat(nonNumeric.errorCode()).isEqualTo(40002);
  }

  private static Response create(Map<String, ?> body) {
    return http.post(topics, "application/json", TestHttp.json(new LinkedHashMap<>(body)));
  }

  private static Response patch(String topicPath, Map<String, ?> body) {
    return http.method("PATCH", topics + topicPath, "application/json", TestHttp.json(body));
  }

  private static void assertRefusedWithoutWrites(
      Supplier<Response> request, int status, int errorCode) {
    TopicRows.assertRefusedWithoutWrites(broker, request, status, errorCode);
  }

  private static String records(String value) {
    return TestHttp.json(Map.of(
        "records", List.of(Map.of("value", Base64.getEncoder().encodeToString(value.getBytes())))));
  }
}
