package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The openapi document's partition operations, walked over real HTTP with authentication on:
 * listKafkaPartitions, getKafkaPartition and listKafkaPartitionOffsets
 * ({@code partitions/{p}/offset}: earliest and latest offsets), with their documented errors
 * (unknown topic or partition, bad offset_type, not authorized).
 */
class PartitionsV3ConformanceTest {
  private static final String RECORDS =
      "{\"records\":[{\"value\":\"aGk=\"},{\"value\":\"aGk=\"},{\"value\":\"aGk=\"}]}";

  private static TestBroker broker;
  private static TestHttp admin;
  private static TestHttp alice;
  private static String cid;
  private static String topics;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithAuth("partitions_v3_conformance");
    admin = broker.admin();
    cid = admin.clusterId();
    topics = "/v3/clusters/" + cid + "/topics";
    alice = admin.createUser("alice", "alice-pw");
    admin.createTopic("events", 2);
    admin.createTopic("hidden", 1);
    admin.allow("User:alice", "DESCRIBE", "TOPIC", "events");
    admin.post("/topics/events/partitions/1", TestHttp.BINARY, RECORDS).expectStatus(200);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void offset_answers_the_earliest_and_latest_offsets_of_a_partition() {
    Response r = alice.get(topics + "/events/partitions/1/offset");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode offsets = r.json();
    assertThat(offsets.get("kind").asText()).isEqualTo("KafkaPartitionWithOffsets");
    assertThat(offsets.get("metadata").get("self").asText())
        .isEqualTo(admin.baseUrl() + topics + "/events/partitions/1/offset");
    assertThat(offsets.get("metadata").get("resource_name").asText())
        .isEqualTo("crn:///kafka=" + cid + "/topic=events/partition=1/offset");
    assertThat(offsets.get("cluster_id").asText()).isEqualTo(cid);
    assertThat(offsets.get("topic_name").asText()).isEqualTo("events");
    assertThat(offsets.get("partition_id").asInt()).isEqualTo(1);
    assertThat(offsets.get("earliest_offset").asLong()).isZero();
    assertThat(offsets.get("latest_offset").asLong()).isEqualTo(3);

    JsonNode empty = alice
        .get(topics + "/events/partitions/0/offset?offset_type=earliest_and_latest")
        .expectStatus(200)
        .json();
    assertThat(empty.get("earliest_offset").asLong()).isZero();
    assertThat(empty.get("latest_offset").asLong()).isZero();
  }

  @Test
  void offset_of_an_unknown_topic_or_partition_is_404() {
    assertThat(admin.get(topics + "/no-such-topic/partitions/0/offset").status())
        .isEqualTo(404);
    assertThat(admin.get(topics + "/events/partitions/7/offset").status()).isEqualTo(404);
    assertThat(admin
            .get("/v3/clusters/not-" + cid + "/topics/events/partitions/0/offset")
            .status())
        .isEqualTo(404);
  }

  @Test
  void offset_refuses_an_unknown_offset_type_with_400() {
    TestHttp.assertError(
        admin.get(topics + "/events/partitions/0/offset?offset_type=middle"), 400, 400);
  }

  @Test
  void offset_needs_describe_on_the_topic() {
    TestHttp.assertError(alice.get(topics + "/hidden/partitions/0/offset"), 403, 40301);
  }

  @Test
  void partitions_are_listed_and_read_one_by_one() {
    JsonNode list = alice.get(topics + "/events/partitions").expectStatus(200).json();
    assertThat(list.get("kind").asText()).isEqualTo("KafkaPartitionList");
    assertThat(list.get("data")).hasSize(2);
    JsonNode one = alice.get(topics + "/events/partitions/1").expectStatus(200).json();
    assertThat(one.get("kind").asText()).isEqualTo("KafkaPartition");
    assertThat(one.get("partition_id").asInt()).isEqualTo(1);
    assertThat(admin.get(topics + "/events/partitions/9").status()).isEqualTo(404);
    TestHttp.assertError(alice.get(topics + "/hidden/partitions"), 403, 40301);
  }
}
