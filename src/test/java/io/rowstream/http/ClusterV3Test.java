package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** v3 clusters and brokers over real HTTP, with a second node that has stopped. */
class ClusterV3Test {
  static TestBroker broker;
  static TestHttp http;
  static String cid;
  static String base;
  static int liveId;
  static int stoppedId;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("cluster_v3");
    http = broker.http();
    cid = broker.node(0).services().clusterId();
    base = http.baseUrl() + "/v3/clusters/" + cid;
    liveId = broker.node(0).services().nodeId();
    int second = broker.startNode();
    stoppedId = broker.node(second).services().nodeId();
    broker.stopNode(second);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void clusters_lists_this_cluster_with_self_links_from_the_request_host() {
    var r = http.get("/v3/clusters");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode list = r.json();
    assertThat(list.get("kind").asText()).isEqualTo("KafkaClusterList");
    assertThat(list.get("metadata").get("self").asText())
        .isEqualTo(http.baseUrl() + "/v3/clusters");
    assertThat(list.get("metadata").get("next").isNull()).isTrue();
    assertThat(list.get("data")).hasSize(1);
    assertThat(list.get("data").get(0).get("cluster_id").asText()).isEqualTo(cid);
  }

  @Test
  void cluster_by_id_carries_its_metadata_and_related_links() {
    var r = http.get("/v3/clusters/" + cid);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode cluster = r.json();
    assertThat(cluster.get("kind").asText()).isEqualTo("KafkaCluster");
    assertThat(cluster.get("metadata").get("self").asText()).isEqualTo(base);
    assertThat(cluster.get("metadata").get("resource_name").asText())
        .isEqualTo("crn:///kafka=" + cid);
    assertThat(cluster.get("cluster_id").asText()).isEqualTo(cid);
    assertThat(cluster.get("controller").get("related").asText())
        .isEqualTo(base + "/brokers/" + liveId);
    assertThat(cluster.get("brokers").get("related").asText()).isEqualTo(base + "/brokers");
    assertThat(cluster.get("topics").get("related").asText()).isEqualTo(base + "/topics");
    assertThat(cluster.get("consumer_groups").get("related").asText())
        .isEqualTo(base + "/consumer-groups");
    assertThat(cluster.get("partition_reassignments").get("related").asText())
        .isEqualTo(base + "/topics/-/partitions/-/reassignment");
  }

  @Test
  void an_unknown_cluster_id_is_404_on_every_v3_path() {
    for (String path : List.of(
        "/v3/clusters/wrong",
        "/v3/clusters/wrong/brokers",
        "/v3/clusters/wrong/topics",
        "/v3/clusters/wrong/topics/t/configs",
        "/v3/clusters/wrong/topics/t/partitions")) {
      var r = http.get(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.errorCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void v3_brokers_lists_every_registered_node_with_host_port_and_state() {
    var r = http.get("/v3/clusters/" + cid + "/brokers");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode list = r.json();
    assertThat(list.get("kind").asText()).isEqualTo("KafkaBrokerList");
    assertThat(list.get("metadata").get("self").asText()).isEqualTo(base + "/brokers");
    assertThat(list.get("data")).hasSize(2);
    JsonNode live = list.get("data").get(0);
    assertThat(live.get("kind").asText()).isEqualTo("KafkaBroker");
    assertThat(live.get("broker_id").asInt()).isEqualTo(liveId);
    assertThat(live.get("cluster_id").asText()).isEqualTo(cid);
    assertThat(live.get("host").asText()).isEqualTo("localhost");
    assertThat(live.get("port").asInt()).isEqualTo(broker.node(0).port());
    assertThat(live.get("state").asText()).isEqualTo("LIVE");
    assertThat(live.get("metadata").get("self").asText()).isEqualTo(base + "/brokers/" + liveId);
    assertThat(live.get("metadata").get("resource_name").asText())
        .isEqualTo("crn:///kafka=" + cid + "/broker=" + liveId);
    JsonNode stopped = list.get("data").get(1);
    assertThat(stopped.get("broker_id").asInt()).isEqualTo(stoppedId);
    assertThat(stopped.get("state").asText()).isEqualTo("OFFLINE");
  }

  @Test
  void v3_broker_by_id_answers_the_node_and_404_for_an_unknown_id() {
    var r = http.get("/v3/clusters/" + cid + "/brokers/" + liveId);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("broker_id").asInt()).isEqualTo(liveId);

    var unknown = http.get("/v3/clusters/" + cid + "/brokers/999");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo(404);
  }

  @Test
  void v2_brokers_lists_only_the_live_node() {
    var r = http.get("/brokers");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().toString()).isEqualTo("{\"brokers\":[" + liveId + "]}");
  }
}
