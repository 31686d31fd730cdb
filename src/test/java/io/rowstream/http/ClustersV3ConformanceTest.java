package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.SecuredCluster;
import io.rowstream.support.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The openapi's cluster operations ({@code GET /v3/clusters}, {@code GET /v3/clusters/{cid}}) with
 * authentication on: any signed-in principal may describe the cluster (no ACL needed, as Kafka's
 * metadata), an anonymous caller is 401, an unknown cluster 404. The happy paths' shapes are in
 * ClusterV3Test.
 */
class ClustersV3ConformanceTest {
  static SecuredCluster cluster;
  static TestHttp alice;

  @BeforeAll
  static void start() {
    cluster = SecuredCluster.start("clusters_v3_conformance", 1);
    alice = cluster.user("alice");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void a_signed_in_principal_without_acls_describes_the_cluster() {
    assertThat(alice
            .get("/v3/clusters")
            .json()
            .get("data")
            .get(0)
            .get("cluster_id")
            .asText())
        .isEqualTo(cluster.admin().clusterId());
    assertThat(alice.get(cluster.base()).json().get("kind").asText()).isEqualTo("KafkaCluster");
  }

  @Test
  void an_anonymous_caller_is_401_on_both_operations() {
    TestHttp anonymous = new TestHttp(cluster.broker().http().baseUrl());
    TestHttp.assertError(anonymous.get("/v3/clusters"), 401, 40101);
    TestHttp.assertError(anonymous.get(cluster.base()), 401, 40101);
    TestHttp.assertError(
        cluster.broker().http().as("alice", "wrong").get(cluster.base()), 401, 40101);
  }

  @Test
  void an_unknown_cluster_is_404_with_404() {
    TestHttp.assertError(alice.get("/v3/clusters/elsewhere"), 404, 404);
  }
}
