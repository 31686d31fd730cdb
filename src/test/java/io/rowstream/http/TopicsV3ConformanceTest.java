package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.SecuredCluster;
import io.rowstream.support.TestHttp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The openapi's topic and partition operations with authentication on: each needs the ACL Kafka's
 * AdminClient call would (DESCRIBE to read, CREATE on the cluster or topic, DELETE, ALTER), 403 /
 * 40301 without it and nothing written; anonymous callers 401; unknown cluster and topic 404. The
 * happy paths and 400s are in TopicsV3Test, unknown-topic codes in V3ErrorCodesTest.
 */
class TopicsV3ConformanceTest {
  static SecuredCluster cluster;
  static TestHttp alice;
  static String topics;

  @BeforeAll
  static void start() {
    cluster = SecuredCluster.start("topics_v3_conformance", 1);
    topics = cluster.base() + "/topics";
    cluster.admin().createTopic("seen", 2);
    cluster.admin().createTopic("hidden", 2);
    alice = cluster.user("alice");
    cluster.allow("TOPIC", "seen", "User:alice", "DESCRIBE");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void describe_lets_a_caller_list_and_read_a_topic_and_its_partitions() {
    assertThat(alice.get(topics).json().get("data"))
        .extracting(t -> t.get("topic_name").asText())
        .containsExactly("seen");
    assertThat(alice.get(topics + "/seen").json().get("partitions_count").asInt())
        .isEqualTo(2);
    assertThat(alice.get(topics + "/seen/partitions").json().get("data")).hasSize(2);
    assertThat(
            alice.get(topics + "/seen/partitions/1").json().get("partition_id").asInt())
        .isEqualTo(1);
  }

  @Test
  void reading_a_topic_without_describe_is_403() {
    TestHttp.assertError(alice.get(topics + "/hidden"), 403, 40301);
    TestHttp.assertError(alice.get(topics + "/hidden/partitions"), 403, 40301);
    TestHttp.assertError(alice.get(topics + "/hidden/partitions/0"), 403, 40301);
  }

  @Test
  void changing_topics_without_create_delete_or_alter_is_403_and_writes_nothing() {
    TestHttp.assertError(
        alice.post(topics, "application/json", TestHttp.json(Map.of("topic_name", "mine"))),
        403,
        40301);
    TestHttp.assertError(alice.delete(topics + "/seen"), 403, 40301);
    TestHttp.assertError(
        alice.method("PATCH", topics + "/seen", "application/json", "{\"partitions_count\":4}"),
        403,
        40301);
    TestHttp.assertError(
        alice.post(topics + "/seen/partitions", "application/json", "{\"partitions_count\":4}"),
        403,
        40301);
    assertThat(cluster.broker().queryLong("select count(*) from topic where name = 'mine'"))
        .isZero();
    assertThat(
            cluster.admin().get(topics + "/seen").json().get("partitions_count").asInt())
        .isEqualTo(2);
  }

  @Test
  void create_on_the_cluster_lets_a_caller_create_and_delete_on_the_topic_lets_it_delete() {
    TestHttp bob = cluster.user("bob");
    cluster.allow("CLUSTER", "kafka-cluster", "User:bob", "CREATE");
    cluster.allow("TOPIC", "bobs", "User:bob", "DELETE");
    bob.post(topics, "application/json", TestHttp.json(Map.of("topic_name", "bobs")))
        .expectStatus(201);
    bob.delete(topics + "/bobs").expectStatus(204);
    assertThat(cluster.broker().queryLong("select count(*) from topic where name = 'bobs'"))
        .isZero();
  }

  @Test
  void an_anonymous_caller_is_401_on_every_topic_operation() {
    TestHttp anonymous = new TestHttp(cluster.broker().http().baseUrl());
    TestHttp.assertError(anonymous.get(topics), 401, 40101);
    TestHttp.assertError(anonymous.get(topics + "/seen"), 401, 40101);
    TestHttp.assertError(
        anonymous.post(topics, "application/json", TestHttp.json(Map.of("topic_name", "anon"))),
        401,
        40101);
    TestHttp.assertError(anonymous.delete(topics + "/seen"), 401, 40101);
    TestHttp.assertError(
        anonymous.method("PATCH", topics + "/seen", "application/json", "{\"partitions_count\":4}"),
        401,
        40101);
    TestHttp.assertError(anonymous.get(topics + "/seen/partitions/0"), 401, 40101);
    assertThat(cluster.broker().queryLong("select count(*) from topic where name = 'anon'"))
        .isZero();
  }

  @Test
  void an_unknown_cluster_or_topic_is_404() {
    TestHttp.assertError(cluster.admin().get("/v3/clusters/elsewhere/topics"), 404, 404);
    TestHttp.assertError(
        cluster.admin().get("/v3/clusters/elsewhere/topics/seen/partitions"), 404, 404);
    TestHttp.assertError(cluster.admin().get(topics + "/ghost"), 404, 40403);
    TestHttp.assertError(cluster.admin().get(topics + "/ghost/partitions/0"), 404, 40403);
  }
}
