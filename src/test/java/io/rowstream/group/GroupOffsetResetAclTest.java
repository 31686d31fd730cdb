package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ACLs of {@code …/offsets:reset}, as Kafka checks an Admin offset commit: Read on the group,
 * and Read on every topic whose offsets move.
 */
class GroupOffsetResetAclTest {
  static TestBroker broker;
  static TestHttp admin;

  @BeforeAll
  static void start() {
    broker = TestBroker.startWithAuth("group_reset_acl");
    admin = broker.admin();
    admin.createTopic("guarded", 1);
    String member = "/consumers/g-acl/instances/m";
    admin
        .post(
            "/consumers/g-acl", TestHttp.V2, TestHttp.json(Map.of("name", "m", "format", "binary")))
        .expectStatus(200);
    GroupCalls.post204(admin, member + "/assignments", GroupCalls.partitions("guarded", 0));
    admin.delete(member).expectStatus(204);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static TestHttp.Response reset(TestHttp as) {
    return as.post(
        "/v3/clusters/" + admin.clusterId() + "/consumer-groups/g-acl/offsets:reset",
        "application/json",
        TestHttp.json(Map.of(
            "strategy",
            "offsets",
            "offsets",
            List.of(Map.of("topic_name", "guarded", "partition_id", 0, "offset", 0)))));
  }

  @Test
  void read_on_the_group_and_on_each_topic_is_required() {
    TestHttp alice = admin.createUser("alice", "alice-pw");
    TestHttp.assertError(reset(alice), 403, 40301);

    admin.allow("User:alice", "READ", "GROUP", "g-acl");
    var noTopic = reset(alice);
    TestHttp.assertError(noTopic, 403, 40301);
    assertThat(noTopic.json().get("message").asText()).contains("guarded");

    admin.allow("User:alice", "READ", "TOPIC", "guarded");
    assertThat(reset(alice).expectStatus(200).json().get("data")).hasSize(1);
  }
}
