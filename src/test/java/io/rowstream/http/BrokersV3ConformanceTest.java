package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.Await;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The openapi's broker operations over real HTTP on two nodes with authentication on: configs of
 * one broker and of all (the cluster-wide defaults, read-only per broker), the replicas a broker
 * holds, and their documented errors (unknown broker 404, unknown config 404, 403 without the ACL).
 */
class BrokersV3ConformanceTest extends TwoSecuredNodes {
  @BeforeAll
  static void start() {
    startTwoNodes("brokers_v3_conformance");
    admin.createTopic("seen", 2);
    admin.createTopic("hidden", 2);
    cluster.allow("TOPIC", "seen", "User:alice", "DESCRIBE");
    Await.until(
        "the controller recorded a replica of each partition on both nodes",
        Duration.ofSeconds(20),
        () -> broker.queryLong("select count(*) from replica_state") == 8);
  }

  @Test
  void a_brokers_configs_are_the_cluster_defaults_marked_read_only() {
    assertThat(admin
            .method(
                "PUT",
                base + "/broker-configs/log.retention.ms",
                "application/json",
                "{\"value\":\"3600000\"}")
            .status())
        .isEqualTo(204);
    try {
      JsonNode list = admin.get(base + "/brokers/2/configs").json();
      assertThat(list.get("kind").asText()).isEqualTo("KafkaBrokerConfigList");
      assertThat(list.get("metadata").get("self").asText()).endsWith(base + "/brokers/2/configs");
      JsonNode one = admin.get(base + "/brokers/2/configs/log.retention.ms").json();
      assertThat(one.get("kind").asText()).isEqualTo("KafkaBrokerConfig");
      assertThat(one.get("metadata").get("self").asText())
          .endsWith(base + "/brokers/2/configs/log.retention.ms");
      assertThat(one.get("metadata").get("resource_name").asText())
          .isEqualTo("crn:///kafka=" + admin.clusterId() + "/broker=2/config=log.retention.ms");
      assertThat(one.get("broker_id").asInt()).isEqualTo(2);
      assertThat(one.get("value").asText()).isEqualTo("3600000");
      assertThat(one.get("source").asText()).isEqualTo("DYNAMIC_DEFAULT_BROKER_CONFIG");
      assertThat(one.get("is_read_only").asBoolean()).isTrue();
      assertThat(list.get("data")).contains(one);

      JsonNode all = admin.get(base + "/brokers/-/configs").json();
      assertThat(all.get("data")).hasSize(2 * list.get("data").size());
      assertThat(all.get("data")).extracting(c -> c.get("broker_id").asInt()).containsOnly(1, 2);
    } finally {
      admin.delete(base + "/broker-configs/log.retention.ms");
    }
  }

  @Test
  void a_change_named_for_one_broker_is_refused_and_writes_nothing() {
    TestHttp.assertError(
        admin.method(
            "PUT",
            base + "/brokers/1/configs/log.retention.ms",
            "application/json",
            "{\"value\":\"1000\"}"),
        400,
        40002);
    TestHttp.assertError(admin.delete(base + "/brokers/1/configs/log.retention.ms"), 400, 40002);
    TestHttp.assertError(
        admin.post(
            base + "/brokers/1/configs:alter",
            "application/json",
            "{\"data\":[{\"name\":\"log.retention.ms\",\"value\":\"1000\"}]}"),
        400,
        40002);
    assertThat(admin
            .post(
                base + "/brokers/1/configs:alter",
                "application/json",
                "{\"data\":[{\"name\":\"log.retention.ms\",\"value\":\"1000\"}]}")
            .body())
        .contains("/broker-configs");
    assertThat(broker.queryLong("select count(*) from cluster_config")).isZero();
  }

  @Test
  void unknown_brokers_and_configs_are_404() {
    TestHttp.assertError(admin.get(base + "/brokers/99/configs"), 404, 404);
    TestHttp.assertError(admin.get(base + "/brokers/99/configs/log.retention.ms"), 404, 404);
    TestHttp.assertError(admin.get(base + "/brokers/1/configs/no.such.config"), 404, 404);
    TestHttp.assertError(
        admin.method(
            "PUT",
            base + "/brokers/99/configs/log.retention.ms",
            "application/json",
            "{\"value\":\"1000\"}"),
        404,
        404);
    TestHttp.assertError(admin.get(base + "/brokers/99/partition-replicas"), 404, 404);
    // The routes answer them, not the router: they name the broker and the config.
    assertThat(admin.get(base + "/brokers/99/configs").json().get("message").asText())
        .isEqualTo("Broker 99 not found.");
    assertThat(admin
            .get(base + "/brokers/99/partition-replicas")
            .json()
            .get("message")
            .asText())
        .isEqualTo("Broker 99 not found.");
    assertThat(admin
            .get(base + "/brokers/1/configs/no.such.config")
            .json()
            .get("message")
            .asText())
        .isEqualTo("Config no.such.config of broker 1 not found.");
  }

  @Test
  void a_broker_lists_its_replicas_of_the_topics_the_caller_may_describe() {
    JsonNode list = admin.get(base + "/brokers/2/partition-replicas").json();
    assertThat(list.get("kind").asText()).isEqualTo("KafkaReplicaList");
    assertThat(list.get("data"))
        .extracting(
            r -> r.get("topic_name").asText() + "-" + r.get("partition_id").asInt())
        .containsExactly("hidden-0", "hidden-1", "seen-0", "seen-1");
    JsonNode first = list.get("data").get(0);
    assertThat(first.get("kind").asText()).isEqualTo("KafkaReplica");
    assertThat(first.get("broker_id").asInt()).isEqualTo(2);
    assertThat(first.get("is_leader").asBoolean())
        .isEqualTo(broker.queryLong(
                "select leader_node_id from "
                    + "topic_partition p join topic t using (topic_id) where t.name = 'hidden' and partition_id = 0")
            == 2);
    assertThat(first.get("broker").get("related").asText()).endsWith(base + "/brokers/2");

    assertThat(alice.get(base + "/brokers/2/partition-replicas").json().get("data"))
        .extracting(r -> r.get("topic_name").asText())
        .containsOnly("seen");
  }

  @Test
  void broker_configs_need_describe_configs_and_alter_configs_on_the_cluster() {
    TestHttp.assertError(alice.get(base + "/brokers/1/configs"), 403, 40301);
    TestHttp.assertError(alice.get(base + "/brokers/-/configs"), 403, 40301);
    TestHttp.assertError(alice.get(base + "/brokers/1/configs/log.retention.ms"), 403, 40301);
    TestHttp.assertError(
        alice.post(base + "/brokers/1/configs:alter", "application/json", "{\"data\":[]}"),
        403,
        40301);
    Response anonymous = new TestHttp(broker.http().baseUrl()).get(base + "/brokers/1/configs");
    TestHttp.assertError(anonymous, 401, 40101);
  }
}
