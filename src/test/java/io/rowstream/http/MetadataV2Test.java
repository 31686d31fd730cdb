package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** REST Proxy v2 metadata over real HTTP: topics, partitions, offsets, brokers. */
class MetadataV2Test {
  static TestBroker broker;
  static TestHttp http;
  static int nodeId;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("metadata_v2");
    http = broker.http();
    nodeId = broker.node(0).services().nodeId();
    http.createTopic("meta-b", 3);
    http.createTopic("meta-a", 1);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void topics_lists_every_topic_name_sorted() {
    var r = http.get("/topics");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.contentType()).startsWith(TestHttp.V2);
    assertThat(names(r.json())).containsSubsequence("meta-a", "meta-b");
  }

  @Test
  void topic_reports_every_effective_config_as_a_string_and_its_partitions() {
    String cid = http.clusterId();
    http.post(
        "/v3/clusters/" + cid + "/topics",
        "application/json",
        TestHttp.json(Map.of(
            "topic_name",
            "meta-configs",
            "partitions_count",
            2,
            "configs",
            List.of(Map.of("name", "retention.ms", "value", "1000")))));

    var r = http.get("/topics/meta-configs");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.contentType()).startsWith(TestHttp.V2);
    JsonNode topic = r.json();
    assertThat(topic.get("name").asText()).isEqualTo("meta-configs");
    JsonNode configs = topic.get("configs");
    assertThat(configs.size()).isEqualTo(TopicConfigsV3Test.KNOWN.size());
    assertThat(configs.get("retention.ms").isTextual()).isTrue();
    assertThat(configs.get("retention.ms").asText()).isEqualTo("1000");
    assertThat(configs.get("cleanup.policy").asText()).isEqualTo("delete");
    assertThat(configs.get("max.message.bytes").asText()).isEqualTo("1048588");
    assertThat(topic.get("partitions")).hasSize(2);
    assertThat(topic.get("partitions").get(1).get("partition").asInt()).isEqualTo(1);
  }

  @Test
  void partitions_report_the_live_node_as_leader_and_only_in_sync_replica() {
    var r = http.get("/topics/meta-b/partitions");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.contentType()).startsWith(TestHttp.V2);
    JsonNode partitions = r.json();
    assertThat(partitions).hasSize(3);
    for (int p = 0; p < 3; p++) {
      JsonNode partition = partitions.get(p);
      assertThat(partition.get("partition").asInt()).isEqualTo(p);
      assertThat(partition.get("leader").asInt()).isEqualTo(nodeId);
      assertThat(partition.get("replicas").toString())
          .isEqualTo("[{\"broker\":" + nodeId + ",\"leader\":true,\"in_sync\":true}]");
    }
  }

  @Test
  void a_partition_led_by_a_node_that_is_not_live_gets_a_live_leader_under_a_higher_epoch()
      throws Exception {
    http.createTopic("meta-led", 2);
    String partition1 = "from topic_partition where partition_id = 1 and topic_id = "
        + "(select topic_id from topic where name = 'meta-led')";
    long epoch = broker.queryLong("select leader_epoch " + partition1);
    try (var c = broker.sql();
        var s = c.createStatement()) {
      s.executeUpdate(
          "update topic_partition set leader_node_id = 7 where partition_id = 1 and topic_id = "
              + "(select topic_id from topic where name = 'meta-led')");
    }

    io.rowstream.support.Await.until(
        "the controller gives partition 1 a live leader",
        java.time.Duration.ofSeconds(10),
        () -> broker.queryLong("select leader_node_id " + partition1) == nodeId);
    var r = http.get("/topics/meta-led/partitions/1");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().toString())
        .isEqualTo("{\"partition\":1,\"leader\":" + nodeId + ",\"replicas\":[{\"broker\":" + nodeId
            + ",\"leader\":true,\"in_sync\":true}]}");
    assertThat(broker.queryLong("select leader_epoch " + partition1)).isGreaterThan(epoch);
  }

  @Test
  void offsets_report_the_log_start_and_end_of_the_partition() {
    http.createTopic("meta-offsets", 2);
    String records = TestHttp.json(Map.of(
        "records",
        List.of(Map.of("value", b64("a")), Map.of("value", b64("b")), Map.of("value", b64("c")))));
    assertThat(http.post("/topics/meta-offsets/partitions/1", TestHttp.BINARY, records)
            .status())
        .isEqualTo(200);

    var one = http.get("/topics/meta-offsets/partitions/1/offsets");
    var zero = http.get("/topics/meta-offsets/partitions/0/offsets");

    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(one.contentType()).startsWith(TestHttp.V2);
    assertThat(one.json().toString()).isEqualTo("{\"beginning_offset\":0,\"end_offset\":3}");
    assertThat(zero.json().toString()).isEqualTo("{\"beginning_offset\":0,\"end_offset\":0}");
  }

  @Test
  void brokers_lists_the_live_node() {
    var r = http.get("/brokers");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.contentType()).startsWith(TestHttp.V2);
    assertThat(r.json().toString()).isEqualTo("{\"brokers\":[" + nodeId + "]}");
  }

  @Test
  void an_unknown_topic_is_404_with_40401_on_every_metadata_path() {
    assertAnswers(
        404,
        40401,
        "/topics/nope",
        "/topics/nope/partitions",
        "/topics/nope/partitions/0",
        "/topics/nope/partitions/0/offsets");
  }

  @Test
  void an_unknown_partition_is_404_with_40402() {
    assertAnswers(
        404,
        40402,
        "/topics/meta-b/partitions/3",
        "/topics/meta-b/partitions/3/offsets",
        "/topics/meta-b/partitions/-1");
  }

  @Test
  void a_non_numeric_partition_is_400_with_40002() {
    assertAnswers(
        400, 40002, "/topics/meta-b/partitions/x", "/topics/meta-b/partitions/1x/offsets");
  }

  private static void assertAnswers(int status, int errorCode, String... paths) {
    for (String path : paths) {
      var r = http.get(path);
      assertThat(r.status()).as(path).isEqualTo(status);
      assertThat(r.errorCode()).as(path).isEqualTo(errorCode);
    }
  }

  private static List<String> names(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }
}
