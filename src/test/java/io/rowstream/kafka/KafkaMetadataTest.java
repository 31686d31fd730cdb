package io.rowstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metadata over the Kafka port, read by kafka-clients' Admin on a two-node cluster: every node with
 * its own Kafka address, a controller among them, the cluster id the HTTP API gives, and each
 * topic with its Kafka topic id and each partition's leader, epoch and replicas as Rowstream's
 * leadership has them.
 */
class KafkaMetadataTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-metadata");
    broker.startNode();
    broker.http().createTopic("orders", 4);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Admin admin(int node) {
    return KafkaClients.admin(broker.kafkaBootstrap(node));
  }

  @Test
  void the_cluster_lists_every_node_at_its_kafka_address_and_a_listed_controller()
      throws Exception {
    try (Admin admin = admin(1)) {
      DescribeClusterResult cluster = admin.describeCluster();
      Map<Integer, Integer> ports =
          cluster.nodes().get().stream().collect(Collectors.toMap(Node::id, Node::port));
      assertThat(ports)
          .containsExactlyInAnyOrderEntriesOf(Map.of(
              broker.node(0).services().nodeId(), broker.node(0).kafkaPort(),
              broker.node(1).services().nodeId(), broker.node(1).kafkaPort()));
      assertThat(cluster.nodes().get())
          .allSatisfy(n -> assertThat(n.host()).isEqualTo("localhost"));
      assertThat(ports).containsKey(cluster.controller().get().id());
      assertThat(cluster.clusterId().get())
          .isEqualTo(
              broker.http().get("/v3/clusters").json().at("/data/0/cluster_id").asText());
    }
  }

  @Test
  void a_topic_is_described_with_its_kafka_id_and_each_partitions_leader_and_replicas()
      throws Exception {
    try (Admin admin = admin(0)) {
      assertThat(admin.listTopics().names().get()).contains("orders");
      TopicDescription orders =
          admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
      Uuid expected = Uuid.fromString(uuidAsKafkaString(
          broker.queryText("select topic_uuid::text from rowstream.topic where name = 'orders'")));
      assertThat(orders.topicId()).isEqualTo(expected);
      assertThat(orders.isInternal()).isFalse();
      assertThat(orders.partitions()).hasSize(4);
      Map<Integer, Integer> leaders = leadersOverHttp();
      Set<Integer> nodes =
          Set.of(broker.node(0).services().nodeId(), broker.node(1).services().nodeId());
      for (TopicPartitionInfo p : orders.partitions()) {
        assertThat(p.leader().id()).isEqualTo(leaders.get(p.partition()));
        assertThat(p.replicas())
            .extracting(Node::id)
            .isSubsetOf(nodes)
            .contains(p.leader().id());
        assertThat(p.isr()).extracting(Node::id).contains(p.leader().id());
      }
      // By id too (Metadata v12+ carries topic ids).
      TopicDescription byId = admin
          .describeTopics(org.apache.kafka.common.TopicCollection.ofTopicIds(List.of(expected)))
          .allTopicIds()
          .get()
          .get(expected);
      assertThat(byId.name()).isEqualTo("orders");
    }
  }

  @Test
  void an_unknown_topic_is_unknown_topic_or_partition() {
    try (Admin admin = admin(0)) {
      assertThatThrownBy(() ->
              admin.describeTopics(List.of("no-such-topic")).allTopicNames().get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }
  }

  private static Map<Integer, Integer> leadersOverHttp() {
    var partitions = broker
        .http()
        .get("/v3/clusters/" + clusterId() + "/topics/orders/partitions")
        .json()
        .at("/data");
    Map<Integer, Integer> leaders = new java.util.HashMap<>();
    for (var p : partitions) {
      String leader = p.at("/leader/related").asText();
      leaders.put(
          p.get("partition_id").asInt(),
          Integer.parseInt(leader.substring(leader.lastIndexOf('/') + 1)));
    }
    return leaders;
  }

  private static String clusterId() {
    return broker.http().get("/v3/clusters").json().at("/data/0/cluster_id").asText();
  }

  /** A PostgreSQL uuid's text as Kafka prints ids: URL-safe base64 of its 16 bytes, no padding. */
  private static String uuidAsKafkaString(String uuid) {
    java.util.UUID u = java.util.UUID.fromString(uuid);
    return new Uuid(u.getMostSignificantBits(), u.getLeastSignificantBits()).toString();
  }
}
