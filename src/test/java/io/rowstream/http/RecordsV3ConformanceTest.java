package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.SecuredCluster;
import io.rowstream.support.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The openapi's record operations ({@code POST …/records}, {@code …/records:batch}) with
 * authentication on: WRITE on the topic lets a caller produce, without it 403 / 40301 and nothing
 * written; anonymous callers 401; unknown cluster 404 / 404 and unknown topic 404 / 40401. The
 * happy paths, 422s and per-record errors are in ProduceV3Test and V3ErrorCodesTest.
 */
class RecordsV3ConformanceTest {
  static final String RECORD = "{\"value\":{\"type\":\"BINARY\",\"data\":\"aGk=\"}}";
  static final String BATCH =
      "{\"entries\":[{\"id\":\"1\",\"value\":{\"type\":\"BINARY\",\"data\":\"aGk=\"}}]}";
  static SecuredCluster cluster;
  static TestHttp alice;
  static String topics;

  @BeforeAll
  static void start() {
    cluster = SecuredCluster.start("records_v3_conformance", 1);
    topics = cluster.base() + "/topics";
    cluster.admin().createTopic("open", 1);
    cluster.admin().createTopic("closed", 1);
    alice = cluster.user("alice");
    cluster.allow("TOPIC", "open", "User:alice", "WRITE");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void write_on_the_topic_lets_a_caller_produce_on_both_operations() {
    var stream = alice.post(topics + "/open/records", "application/json", RECORD);
    assertThat(stream.status()).as(stream.body()).isEqualTo(200);
    assertThat(stream.json().get("error_code").asInt()).isEqualTo(200);
    var batch = alice.post(topics + "/open/records:batch", "application/json", BATCH);
    assertThat(batch.status()).as(batch.body()).isEqualTo(207);
    assertThat(batch.json().get("successes")).hasSize(1);
    assertThat(endOffset("open")).isEqualTo(2);
  }

  @Test
  void producing_without_write_is_403_and_writes_nothing() {
    TestHttp.assertError(
        alice.post(topics + "/closed/records", "application/json", RECORD), 403, 40301);
    TestHttp.assertError(
        alice.post(topics + "/closed/records:batch", "application/json", BATCH), 403, 40301);
    assertThat(endOffset("closed")).isZero();
  }

  @Test
  void an_anonymous_caller_is_401_and_writes_nothing() {
    TestHttp anonymous = new TestHttp(cluster.broker().http().baseUrl());
    TestHttp.assertError(
        anonymous.post(topics + "/closed/records", "application/json", RECORD), 401, 40101);
    TestHttp.assertError(
        anonymous.post(topics + "/closed/records:batch", "application/json", BATCH), 401, 40101);
    assertThat(endOffset("closed")).isZero();
  }

  @Test
  void an_unknown_cluster_or_topic_is_404() {
    TestHttp.assertError(
        cluster
            .admin()
            .post("/v3/clusters/elsewhere/topics/open/records", "application/json", RECORD),
        404,
        404);
    TestHttp.assertError(
        cluster
            .admin()
            .post("/v3/clusters/elsewhere/topics/open/records:batch", "application/json", BATCH),
        404,
        404);
    TestHttp.assertError(
        cluster.admin().post(topics + "/ghost/records", "application/json", RECORD), 404, 40401);
    TestHttp.assertError(
        cluster.admin().post(topics + "/ghost/records:batch", "application/json", BATCH),
        404,
        40401);
  }

  private static long endOffset(String topic) {
    return cluster
        .broker()
        .queryLong("select sum(log_end_offset) from topic_partition p join topic t"
            + " using (topic_id) where t.name = '" + topic + "'");
  }
}
