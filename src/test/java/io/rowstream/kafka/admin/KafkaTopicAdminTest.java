package io.rowstream.kafka.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CreateTopics, DeleteTopics and CreatePartitions over the Kafka port with kafka-clients' Admin, on
 * one node, each checked over HTTP v3 too: one store, two doors.
 */
class KafkaTopicAdminTest {
  private static TestBroker broker;
  private static TestHttp http;
  private static String topics;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-topic-admin");
    http = broker.http();
    topics = "/v3/clusters/" + http.clusterId() + "/topics/";
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Admin admin() {
    return KafkaClients.admin(broker.kafkaBootstrap());
  }

  private static Uuid storedId(String topic) {
    String uuid = broker.queryText(
        "select topic_uuid::text from rowstream.topic where name = '" + topic + "'");
    return new Uuid(
        java.util.UUID.fromString(uuid).getMostSignificantBits(),
        java.util.UUID.fromString(uuid).getLeastSignificantBits());
  }

  @Test
  void a_topic_created_with_configs_answers_its_id_count_and_configs_and_is_seen_over_http()
      throws Exception {
    try (Admin admin = admin()) {
      CreateTopicsResult created =
          admin.createTopics(List.of(new NewTopic("kt-orders", 3, (short) 1)
              .configs(Map.of("retention.ms", "3600000", "cleanup.policy", "compact, delete"))));
      created.all().get();
      assertThat(created.topicId("kt-orders").get()).isEqualTo(storedId("kt-orders"));
      assertThat(created.numPartitions("kt-orders").get()).isEqualTo(3);
      assertThat(created.replicationFactor("kt-orders").get()).isEqualTo(1);
      Config configs = created.config("kt-orders").get();
      assertThat(configs.get("retention.ms").value()).isEqualTo("3600000");
      assertThat(configs.get("retention.ms").source())
          .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
      assertThat(configs.get("cleanup.policy").value()).isEqualTo("compact,delete");
      assertThat(configs.get("segment.bytes").value()).isEqualTo("1073741824");
      assertThat(configs.get("segment.bytes").source())
          .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }
    assertThat(http.get(topics + "kt-orders")
            .expectStatus(200)
            .json()
            .get("partitions_count")
            .asInt())
        .isEqualTo(3);
    var retention =
        http.get(topics + "kt-orders/configs/retention.ms").expectStatus(200).json();
    assertThat(retention.get("value").asText()).isEqualTo("3600000");
    assertThat(retention.get("source").asText()).isEqualTo("DYNAMIC_TOPIC_CONFIG");
    assertThat(http.get(topics + "kt-orders/configs/cleanup.policy")
            .json()
            .get("value")
            .asText())
        .isEqualTo("compact,delete");
  }

  @Test
  void minus_one_partitions_and_replication_factor_take_the_broker_defaults() throws Exception {
    try (Admin admin = admin()) {
      CreateTopicsResult created = admin.createTopics(
          List.of(new NewTopic("kt-defaults", Optional.empty(), Optional.empty())));
      assertThat(created.numPartitions("kt-defaults").get()).isEqualTo(1);
      assertThat(created.replicationFactor("kt-defaults").get()).isEqualTo(1);
    }
    assertThat(http.get(topics + "kt-defaults")
            .expectStatus(200)
            .json()
            .get("replication_factor")
            .asInt())
        .isEqualTo(1);
  }

  @Test
  void validate_only_checks_the_topic_and_creates_nothing() throws Exception {
    try (Admin admin = admin()) {
      CreateTopicsResult checked = admin.createTopics(
          List.of(new NewTopic("kt-checked", 2, (short) 1).configs(Map.of("retention.ms", "1000"))),
          new CreateTopicsOptions().validateOnly(true));
      checked.all().get();
      assertThat(checked.numPartitions("kt-checked").get()).isEqualTo(2);
      assertThat(checked.config("kt-checked").get().get("retention.ms").value()).isEqualTo("1000");
      assertThat(admin.listTopics().names().get()).doesNotContain("kt-checked");
      CreateTopicsResult refused = admin.createTopics(
          List.of(new NewTopic("kt-checked", 2, (short) 1).configs(Map.of("retention.ms", "x"))),
          new CreateTopicsOptions().validateOnly(true));
      assertThatThrownBy(() -> refused.all().get())
          .hasCauseInstanceOf(InvalidConfigurationException.class);
    }
    http.get(topics + "kt-checked").expectStatus(404);
  }

  @Test
  void each_topic_of_a_create_request_fails_or_succeeds_with_its_own_kafka_error()
      throws Exception {
    http.createTopic("kt-taken", 1);
    try (Admin admin = admin()) {
      CreateTopicsResult result = admin.createTopics(List.of(
          new NewTopic("kt-taken", 1, (short) 1),
          new NewTopic("kt bad name", 1, (short) 1),
          new NewTopic("kt-no-partitions", 0, (short) 1),
          new NewTopic("kt-too-many-copies", 1, (short) 3),
          new NewTopic("kt-unknown-config", 1, (short) 1).configs(Map.of("no.such.config", "1")),
          new NewTopic("kt-bad-value", 1, (short) 1).configs(Map.of("min.insync.replicas", "0")),
          new NewTopic("kt-fine", 1, (short) 1)));
      Map<String, Class<? extends Throwable>> expected = Map.of(
          "kt-taken", TopicExistsException.class,
          "kt bad name", InvalidTopicException.class,
          "kt-no-partitions", InvalidPartitionsException.class,
          "kt-too-many-copies", InvalidReplicationFactorException.class,
          "kt-unknown-config", InvalidConfigurationException.class,
          "kt-bad-value", InvalidConfigurationException.class);
      expected.forEach(
          (topic, error) -> assertThatThrownBy(() -> result.values().get(topic).get())
              .as(topic)
              .isInstanceOf(ExecutionException.class)
              .hasCauseInstanceOf(error));
      result.values().get("kt-fine").get();
      assertThat(admin.listTopics().names().get())
          .contains("kt-fine")
          .doesNotContain("kt-no-partitions", "kt-too-many-copies", "kt-unknown-config");
    }
  }

  @Test
  void topics_are_deleted_by_name_and_by_id() throws Exception {
    http.createTopic("kt-gone-by-name", 1);
    http.createTopic("kt-gone-by-id", 2);
    Uuid id = storedId("kt-gone-by-id");
    try (Admin admin = admin()) {
      admin
          .deleteTopics(TopicCollection.ofTopicNames(List.of("kt-gone-by-name")))
          .all()
          .get();
      admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get();
      assertThatThrownBy(() -> admin
              .deleteTopics(TopicCollection.ofTopicNames(List.of("kt-never")))
              .all()
              .get())
          .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
      assertThatThrownBy(() -> admin
              .deleteTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid())))
              .all()
              .get())
          .hasCauseInstanceOf(UnknownTopicIdException.class);
    }
    http.get(topics + "kt-gone-by-name").expectStatus(404);
    http.get(topics + "kt-gone-by-id").expectStatus(404);
  }

  @Test
  void partitions_grow_only_validate_only_writes_nothing_and_assignments_are_refused()
      throws Exception {
    http.createTopic("kt-growing", 2);
    try (Admin admin = admin()) {
      admin
          .createPartitions(
              Map.of("kt-growing", NewPartitions.increaseTo(4)),
              new CreatePartitionsOptions().validateOnly(true))
          .all()
          .get();
      assertThat(partitionCount("kt-growing")).isEqualTo(2);
      admin
          .createPartitions(Map.of("kt-growing", NewPartitions.increaseTo(4)))
          .all()
          .get();
      assertThat(partitionCount("kt-growing")).isEqualTo(4);
      assertThatThrownBy(() -> admin
              .createPartitions(Map.of("kt-growing", NewPartitions.increaseTo(3)))
              .all()
              .get())
          .hasCauseInstanceOf(InvalidPartitionsException.class);
      assertThatThrownBy(() -> admin
              .createPartitions(Map.of(
                  "kt-growing", NewPartitions.increaseTo(6, List.of(List.of(1), List.of(1)))))
              .all()
              .get())
          .hasCauseInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("assignments are not supported");
      assertThatThrownBy(() -> admin
              .createPartitions(Map.of("kt-nowhere", NewPartitions.increaseTo(3)))
              .all()
              .get())
          .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }
    assertThat(partitionCount("kt-growing")).isEqualTo(4);
  }

  private static int partitionCount(String topic) {
    return http.get(topics + topic)
        .expectStatus(200)
        .json()
        .get("partitions_count")
        .asInt();
  }

  @Test
  void metadata_creates_an_unknown_topic_only_while_auto_create_topics_enable_is_true()
      throws Exception {
    String setting =
        "/v3/clusters/" + http.clusterId() + "/broker-configs/auto.create.topics.enable";
    var byDefault = http.get(setting).expectStatus(200).json();
    assertThat(byDefault.get("value").asText()).isEqualTo("false");
    assertThat(byDefault.get("source").asText()).isEqualTo("DEFAULT_CONFIG");
    assertThat(metadataError("kt-auto", true)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    http.get(topics + "kt-auto").expectStatus(404);

    http.method("PUT", setting, "application/json", "{\"value\":\"true\"}").expectStatus(204);
    try {
      assertThat(metadataError("kt-auto", false)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
      http.get(topics + "kt-auto").expectStatus(404);
      assertThat(metadataError("kt-auto", true)).isEqualTo(Errors.NONE);
      assertThat(partitionCount("kt-auto")).isEqualTo(1);
      assertThat(metadataError("kt bad name", true)).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    } finally {
      http.delete(setting).expectStatus(204);
    }
    assertThat(metadataError("kt-auto-later", true)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
  }

  /** The topic's error in a Metadata v12 answer for it alone, with auto-creation allowed or not. */
  private static Errors metadataError(String topic, boolean allowAutoCreation) throws Exception {
    MetadataRequestData request = new MetadataRequestData()
        .setAllowAutoTopicCreation(allowAutoCreation)
        .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic)));
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      MetadataResponse response =
          (MetadataResponse) wire.call(ApiKeys.METADATA, (short) 12, request);
      return Errors.forCode(response.data().topics().find(topic).errorCode());
    }
  }

  @Test
  void describe_cluster_answers_metadatas_view_and_refuses_the_controller_endpoint()
      throws Exception {
    try (Admin admin = admin();
        KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      var cluster = admin.describeCluster();
      int node = broker.node(0).services().nodeId();
      assertThat(cluster.clusterId().get()).isEqualTo(http.clusterId());
      assertThat(cluster.controller().get().id()).isEqualTo(node);
      assertThat(cluster.nodes().get())
          .singleElement()
          .satisfies(n -> assertThat(n.port()).isEqualTo(broker.node(0).kafkaPort()));
      DescribeClusterResponse v0 = (DescribeClusterResponse)
          wire.call(ApiKeys.DESCRIBE_CLUSTER, (short) 0, new DescribeClusterRequestData());
      assertThat(v0.data().brokers()).extracting(b -> b.brokerId()).containsExactly(node);
      DescribeClusterResponse controllers = (DescribeClusterResponse) wire.call(
          ApiKeys.DESCRIBE_CLUSTER,
          (short) 1,
          new DescribeClusterRequestData().setEndpointType((byte) 2));
      assertThat(controllers.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_ENDPOINT_TYPE.code());
    }
  }

  @Test
  void the_oldest_versions_other_clients_send_are_answered_without_later_fields() throws Exception {
    CreateTopicsRequestData.CreatableTopicCollection create =
        new CreateTopicsRequestData.CreatableTopicCollection();
    create.add(new CreateTopicsRequestData.CreatableTopic()
        .setName("kt-v2")
        .setNumPartitions(2)
        .setReplicationFactor((short) 1));
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      CreateTopicsResponse created = (CreateTopicsResponse) wire.call(
          ApiKeys.CREATE_TOPICS, (short) 2, new CreateTopicsRequestData().setTopics(create));
      assertThat(created.data().topics().find("kt-v2").errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(partitionCount("kt-v2")).isEqualTo(2);

      DescribeConfigsResponse described = (DescribeConfigsResponse) wire.call(
          ApiKeys.DESCRIBE_CONFIGS,
          (short) 1,
          new DescribeConfigsRequestData()
              .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                  .setResourceType(ConfigResource.Type.TOPIC.id())
                  .setResourceName("kt-v2")
                  .setConfigurationKeys(List.of("retention.ms")))));
      var result = described.data().results().get(0);
      assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(result.configs())
          .singleElement()
          .satisfies(c -> assertThat(c.value()).isEqualTo("604800000"));

      DeleteTopicsResponse deleted = (DeleteTopicsResponse) wire.call(
          ApiKeys.DELETE_TOPICS,
          (short) 1,
          new DeleteTopicsRequestData().setTopicNames(List.of("kt-v2")));
      assertThat(deleted.data().responses().find("kt-v2").errorCode())
          .isEqualTo(Errors.NONE.code());
    }
    http.get(topics + "kt-v2").expectStatus(404);
  }
}
