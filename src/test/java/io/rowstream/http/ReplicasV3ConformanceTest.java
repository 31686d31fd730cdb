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
 * The openapi's replica, reassignment and consumer-assignment reads over real HTTP on two nodes with
 * authentication on: shapes, agreement with the {@code replica_state} rows, and the documented
 * errors (unknown topic, partition or broker 404, 403 without the ACL).
 */
class ReplicasV3ConformanceTest extends TwoSecuredNodes {
  @BeforeAll
  static void start() {
    startTwoNodes("replicas_v3_conformance");
    admin.createTopic("placed", 2);
    Await.until(
        "the controller recorded a replica of each partition on both nodes",
        Duration.ofSeconds(20),
        () -> broker.queryLong("select count(*) from replica_state") == 4);
  }

  private static long leaderOf(int partition) {
    return broker.queryLong(
        "select leader_node_id from topic_partition p join topic t using (topic_id) "
            + "where t.name = 'placed' and partition_id = " + partition);
  }

  @Test
  void a_partitions_replicas_are_its_replica_state_rows_and_its_leader_link_resolves() {
    JsonNode list = admin.get(base + "/topics/placed/partitions/1/replicas").json();
    assertThat(list.get("kind").asText()).isEqualTo("KafkaReplicaList");
    assertThat(list.get("data")).extracting(r -> r.get("broker_id").asInt()).containsExactly(1, 2);
    assertThat(list.get("data"))
        .extracting(r -> r.get("is_in_sync").asBoolean())
        .containsOnly(true);
    assertThat(list.get("data"))
        .filteredOn(r -> r.get("is_leader").asBoolean())
        .extracting(r -> r.get("broker_id").asLong())
        .containsExactly(leaderOf(1));

    String leader = admin
        .get(base + "/topics/placed/partitions/1")
        .json()
        .get("leader")
        .get("related")
        .asText();
    JsonNode replica = admin.get(leader.substring(admin.baseUrl().length())).json();
    assertThat(replica.get("kind").asText()).isEqualTo("KafkaReplica");
    assertThat(replica.get("metadata").get("self").asText()).isEqualTo(leader);
    assertThat(replica.get("metadata").get("resource_name").asText())
        .isEqualTo("crn:///kafka=" + admin.clusterId() + "/topic=placed/partition=1/replica="
            + leaderOf(1));
    assertThat(replica.get("topic_name").asText()).isEqualTo("placed");
    assertThat(replica.get("partition_id").asInt()).isEqualTo(1);
    assertThat(replica.get("is_leader").asBoolean()).isTrue();
  }

  @Test
  void unknown_topics_partitions_and_brokers_are_404() {
    TestHttp.assertError(admin.get(base + "/topics/nope/partitions/0/replicas"), 404, 40403);
    TestHttp.assertError(admin.get(base + "/topics/placed/partitions/7/replicas"), 404, 404);
    TestHttp.assertError(admin.get(base + "/topics/placed/partitions/0/replicas/99"), 404, 404);
    TestHttp.assertError(admin.get(base + "/topics/nope/partitions/-/reassignment"), 404, 40403);
    TestHttp.assertError(admin.get(base + "/topics/placed/partitions/7/reassignment"), 404, 404);
  }

  @Test
  void a_registered_broker_without_replicas_yet_is_being_added_to_every_partition() {
    assertThat(admin.get(base + "/topics/-/partitions/-/reassignment").json().get("data"))
        .isEmpty();
    Response still = admin.get(base + "/topics/placed/partitions/0/reassignment");
    assertThat(still.status())
        .as("a partition's reassignment link resolves while nothing moves")
        .isEqualTo(200);
    assertThat(still.json().get("kind").asText()).isEqualTo("KafkaReassignment");
    assertThat(
            still.json().get("adding_replicas").toString() + still.json().get("removing_replicas"))
        .isEqualTo("[][]");

    // A broker registered but never live: the controller, which rewrites replica states only when
    // the live brokers or the partitions change, has not recorded a replica on it.
    broker.queryLong(
        "insert into broker (node_id, advertised_url, started_at, heartbeat_at, lease_expires_at) "
            + "values (77, 'http://127.0.0.1:1', now(), now(), now()) returning 1");
    try {
      JsonNode all = admin.get(base + "/topics/-/partitions/-/reassignment").json();
      assertThat(all.get("kind").asText()).isEqualTo("KafkaReassignmentList");
      assertThat(all.get("data"))
          .extracting(
              r -> r.get("topic_name").asText() + "-" + r.get("partition_id").asInt() + " "
                  + r.get("adding_replicas") + r.get("removing_replicas"))
          .containsExactly("placed-0 [77][]", "placed-1 [77][]");
      assertThat(admin
              .get(base + "/topics/placed/partitions/-/reassignment")
              .json()
              .get("data"))
          .hasSize(2);
      JsonNode one =
          admin.get(base + "/topics/placed/partitions/1/reassignment").json();
      assertThat(one.get("kind").asText()).isEqualTo("KafkaReassignment");
      assertThat(one.get("replicas").get("related").asText())
          .endsWith(base + "/topics/placed/partitions/1/replicas");
    } finally {
      broker.queryLong(
          "with d as (delete from broker where node_id = 77 returning 1) select count(*) from d");
    }
  }

  @Test
  void one_assignment_of_a_consumer_by_partition() {
    assertThat(admin
            .post("/consumers/placers", TestHttp.V2, "{\"name\":\"p1\",\"format\":\"binary\"}")
            .status())
        .isEqualTo(200);
    assertThat(admin
            .post(
                "/consumers/placers/instances/p1/subscription",
                TestHttp.V2,
                "{\"topics\":[\"placed\"]}")
            .status())
        .isEqualTo(204);
    String consumerId = admin
        .get(base + "/consumer-groups/placers/consumers")
        .json()
        .get("data")
        .get(0)
        .get("consumer_id")
        .asText();
    String assignments = base + "/consumer-groups/placers/consumers/" + consumerId + "/assignments";
    JsonNode one = admin.get(assignments + "/placed/partitions/1").json();
    assertThat(one.get("kind").asText()).isEqualTo("KafkaConsumerAssignment");
    assertThat(one.get("consumer_id").asText()).isEqualTo(consumerId);
    assertThat(one.get("partition_id").asInt()).isEqualTo(1);
    assertThat(admin.get(assignments).json().get("data")).contains(one);
    TestHttp.assertError(admin.get(assignments + "/placed/partitions/5"), 404, 404);
    TestHttp.assertError(
        admin.get(
            base + "/consumer-groups/placers/consumers/nobody/assignments/placed/partitions/1"),
        404,
        404);
    TestHttp.assertError(alice.get(assignments + "/placed/partitions/1"), 403, 40301);
  }

  @Test
  void replicas_need_describe_on_the_topic_and_reassignments_describe_on_the_cluster() {
    TestHttp.assertError(alice.get(base + "/topics/placed/partitions/0/replicas"), 403, 40301);
    TestHttp.assertError(alice.get(base + "/topics/placed/partitions/0/replicas/1"), 403, 40301);
    TestHttp.assertError(alice.get(base + "/topics/-/partitions/-/reassignment"), 403, 40301);
    TestHttp.assertError(alice.get(base + "/topics/placed/partitions/-/reassignment"), 403, 40301);
    TestHttp.assertError(alice.get(base + "/topics/placed/partitions/0/reassignment"), 403, 40301);
  }
}
