package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.SecuredCluster;
import io.rowstream.support.TestHttp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The openapi's consumer-group operations with authentication on: each read of a group needs
 * DESCRIBE on it (403 / 40301 without), anonymous callers 401, an unknown cluster, group or
 * consumer 404 / 404 on every operation. The happy paths' contents are in GroupInspectionV3Test.
 */
class ConsumerGroupsV3ConformanceTest {
  static final List<String> GROUP_OPERATIONS = List.of(
      "",
      "/consumers",
      "/consumers/c-1",
      "/consumers/c-1/assignments",
      "/consumers/c-1/assignments/t/partitions/0",
      "/lags",
      "/lags/t/partitions/0",
      "/lag-summary");
  static SecuredCluster cluster;
  static TestHttp alice;
  static String groups;

  @BeforeAll
  static void start() {
    cluster = SecuredCluster.start("groups_v3_conformance", 1);
    groups = cluster.base() + "/consumer-groups";
    alice = cluster.user("alice");
    cluster.allow("GROUP", "visible", "User:alice", "DESCRIBE");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void every_group_operation_without_describe_on_the_group_is_403() {
    for (String op : GROUP_OPERATIONS) {
      TestHttp.assertError(alice.get(groups + "/secret" + op), 403, 40301);
    }
  }

  @Test
  void with_describe_an_unknown_group_is_404_on_every_operation() {
    for (String op : GROUP_OPERATIONS) {
      var r = alice.get(groups + "/visible" + op);
      assertThat(r.status()).as(op + ": " + r.body()).isEqualTo(404);
      assertThat(r.errorCode()).as(op).isEqualTo(404);
    }
  }

  @Test
  void an_anonymous_caller_is_401_on_the_list_and_every_group_operation() {
    TestHttp anonymous = new TestHttp(cluster.broker().http().baseUrl());
    TestHttp.assertError(anonymous.get(groups), 401, 40101);
    for (String op : GROUP_OPERATIONS) {
      TestHttp.assertError(anonymous.get(groups + "/visible" + op), 401, 40101);
    }
  }

  @Test
  void the_list_answers_a_signed_in_caller_and_an_unknown_cluster_is_404() {
    assertThat(alice.get(groups).json().get("kind").asText()).isEqualTo("KafkaConsumerGroupList");
    TestHttp.assertError(alice.get("/v3/clusters/elsewhere/consumer-groups"), 404, 404);
    TestHttp.assertError(alice.get("/v3/clusters/elsewhere/consumer-groups/visible"), 404, 404);
  }
}
