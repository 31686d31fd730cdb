package io.rowstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The admin APIs' authorization with authentication on, as Kafka authorizes them: the node's own
 * ACLs (granted over HTTP by the super user) decide for a Kafka connection authenticated by
 * SASL/PLAIN as a user of its own per test, each request sent as a raw frame on the real port.
 */
class KafkaAdminAuthorizationTest {
  private static TestBroker broker;
  private static TestHttp admin;
  /** A connection signed in as each test's own user, so that one test's grants reach no other. */
  private KafkaWire user;

  private String principal;

  @BeforeAll
  static void start() throws Exception {
    broker = TestBroker.startWithKafkaSasl("kafka-admin-authz");
    admin = broker.admin();
  }

  @BeforeEach
  void newUser(TestInfo test) throws IOException {
    String name = "u" + Math.abs(test.getDisplayName().hashCode());
    principal = "User:" + name;
    admin.createUser(name, name + "-pw");
    user = KafkaWire.signedIn(broker.node(0).kafkaPort(), name, name + "-pw");
  }

  @AfterEach
  void signOut() throws IOException {
    user.close();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private ApiMessage call(AbstractRequest request) {
    try {
      return user.call(request.apiKey(), request.version(), request.data()).data();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void allow(String operation, String type, String name) {
    admin.allow(principal, operation, type, name);
  }

  private CreateTopicsResponseData create(String... names) {
    CreateTopicsRequestData.CreatableTopicCollection topics =
        new CreateTopicsRequestData.CreatableTopicCollection();
    for (String name : names) {
      topics.add(new CreateTopicsRequestData.CreatableTopic()
          .setName(name)
          .setNumPartitions(1)
          .setReplicationFactor((short) 1));
    }
    return (CreateTopicsResponseData)
        call(new CreateTopicsRequest.Builder(new CreateTopicsRequestData().setTopics(topics))
            .build((short) 7));
  }

  @Test
  void create_topics_needs_create_on_the_cluster_or_the_topic_each_topic_on_its_own() {
    allow("CREATE", "TOPIC", "az-mine");
    CreateTopicsResponseData r = create("az-mine", "az-theirs");
    assertThat(r.topics().find("az-mine").errorCode()).isEqualTo(Errors.NONE.code());
    // Created, but the user may not DESCRIBE_CONFIGS it: its configs are withheld, as Kafka does.
    assertThat(r.topics().find("az-mine").topicConfigErrorCode())
        .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    assertThat(r.topics().find("az-mine").configs()).isEmpty();
    assertThat(r.topics().find("az-theirs").errorCode())
        .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    admin.get("/v3/clusters/" + admin.clusterId() + "/topics/az-theirs").expectStatus(404);
  }

  @Test
  void delete_topics_needs_describe_then_delete_on_the_topic() {
    admin.createTopic("az-doomed", 1);
    assertThat(delete("az-doomed")).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
    allow("DESCRIBE", "TOPIC", "az-doomed");
    allow("DESCRIBE", "TOPIC", "az-never");
    assertThat(delete("az-never")).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    assertThat(delete("az-doomed")).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
    admin.get("/v3/clusters/" + admin.clusterId() + "/topics/az-doomed").expectStatus(200);
    allow("DELETE", "TOPIC", "az-doomed");
    assertThat(delete("az-doomed")).isEqualTo(Errors.NONE);
    admin.get("/v3/clusters/" + admin.clusterId() + "/topics/az-doomed").expectStatus(404);
  }

  private Errors delete(String name) {
    DeleteTopicsResponseData r = (DeleteTopicsResponseData) call(
        new DeleteTopicsRequest.Builder(new DeleteTopicsRequestData()
                .setTopics(List.of(new DeleteTopicsRequestData.DeleteTopicState().setName(name))))
            .build((short) 6));
    return Errors.forCode(r.responses().iterator().next().errorCode());
  }

  @Test
  void create_partitions_needs_alter_on_the_topic() {
    admin.createTopic("az-growing", 1);
    CreatePartitionsRequestData.CreatePartitionsTopicCollection topics =
        new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
    topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic()
        .setName("az-growing")
        .setCount(2));
    CreatePartitionsRequest request = new CreatePartitionsRequest.Builder(
            new CreatePartitionsRequestData().setTopics(topics))
        .build((short) 3);
    assertThat(((CreatePartitionsResponseData) call(request)).results().get(0).errorCode())
        .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    allow("ALTER", "TOPIC", "az-growing");
    assertThat(((CreatePartitionsResponseData) call(request)).results().get(0).errorCode())
        .isEqualTo(Errors.NONE.code());
  }

  @Test
  void configs_need_describe_configs_or_alter_configs_on_the_topic_or_the_cluster() {
    admin.createTopic("az-configured", 1);
    assertThat(describeConfigs(ConfigResource.Type.TOPIC, "az-configured"))
        .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
    assertThat(describeConfigs(ConfigResource.Type.BROKER, ""))
        .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);
    assertThat(alterConfig(ConfigResource.Type.TOPIC, "az-configured", "retention.ms", "1000"))
        .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
    assertThat(alterConfig(ConfigResource.Type.BROKER, "", "log.retention.hours", "1"))
        .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);

    allow("DESCRIBE_CONFIGS", "TOPIC", "az-configured");
    allow("DESCRIBE_CONFIGS", "CLUSTER", "kafka-cluster");
    assertThat(describeConfigs(ConfigResource.Type.TOPIC, "az-configured")).isEqualTo(Errors.NONE);
    assertThat(describeConfigs(ConfigResource.Type.BROKER, "")).isEqualTo(Errors.NONE);
    assertThat(alterConfig(ConfigResource.Type.TOPIC, "az-configured", "retention.ms", "1000"))
        .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);

    allow("ALTER_CONFIGS", "TOPIC", "az-configured");
    allow("ALTER_CONFIGS", "CLUSTER", "kafka-cluster");
    assertThat(alterConfig(ConfigResource.Type.TOPIC, "az-configured", "retention.ms", "1000"))
        .isEqualTo(Errors.NONE);
    assertThat(alterConfig(ConfigResource.Type.BROKER, "", "log.retention.hours", "1"))
        .isEqualTo(Errors.NONE);
    assertThat(admin
            .get("/v3/clusters/" + admin.clusterId() + "/broker-configs/log.retention.hours")
            .json()
            .get("value")
            .asText())
        .isEqualTo("1");
  }

  private Errors describeConfigs(ConfigResource.Type type, String name) {
    DescribeConfigsResponseData r = (DescribeConfigsResponseData) call(
        new DescribeConfigsRequest.Builder(new DescribeConfigsRequestData()
                .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType(type.id())
                    .setResourceName(name))))
            .build((short) 4));
    return Errors.forCode(r.results().get(0).errorCode());
  }

  private Errors alterConfig(ConfigResource.Type type, String name, String config, String value) {
    IncrementalAlterConfigsRequestData.AlterableConfigCollection configs =
        new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
    configs.add(new IncrementalAlterConfigsRequestData.AlterableConfig()
        .setName(config)
        .setValue(value)
        .setConfigOperation((byte) 0));
    IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources =
        new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
    resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
        .setResourceType(type.id())
        .setResourceName(name)
        .setConfigs(configs));
    IncrementalAlterConfigsResponseData r =
        (IncrementalAlterConfigsResponseData) call(new IncrementalAlterConfigsRequest.Builder(
                new IncrementalAlterConfigsRequestData().setResources(resources))
            .build((short) 1));
    return Errors.forCode(r.responses().get(0).errorCode());
  }

  @Test
  void describe_cluster_answers_anyone_and_reports_operations_only_to_a_describer() {
    DescribeClusterRequest request = new DescribeClusterRequest.Builder(
            new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true))
        .build((short) 2);
    DescribeClusterResponseData before = (DescribeClusterResponseData) call(request);
    assertThat(before.errorCode()).isEqualTo(Errors.NONE.code());
    assertThat(before.brokers()).hasSize(1);
    assertThat(before.clusterAuthorizedOperations()).isZero();

    allow("DESCRIBE", "CLUSTER", "kafka-cluster");
    allow("CREATE", "CLUSTER", "kafka-cluster");
    DescribeClusterResponseData after = (DescribeClusterResponseData) call(request);
    assertThat(Utils.from32BitField(after.clusterAuthorizedOperations()))
        .containsExactlyInAnyOrder(AclOperation.DESCRIBE.code(), AclOperation.CREATE.code());
  }

  @Test
  void metadata_auto_creates_only_for_a_caller_that_may_describe_and_create_the_topic() {
    String setting =
        "/v3/clusters/" + admin.clusterId() + "/broker-configs/auto.create.topics.enable";
    admin.method("PUT", setting, "application/json", "{\"value\":\"true\"}").expectStatus(204);
    try {
      assertThat(metadata("az-auto")).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
      allow("DESCRIBE", "TOPIC", "az-auto");
      assertThat(metadata("az-auto")).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
      admin.get("/v3/clusters/" + admin.clusterId() + "/topics/az-auto").expectStatus(404);
      allow("CREATE", "TOPIC", "az-auto");
      assertThat(metadata("az-auto")).isEqualTo(Errors.NONE);
      admin.get("/v3/clusters/" + admin.clusterId() + "/topics/az-auto").expectStatus(200);
    } finally {
      admin.delete(setting).expectStatus(204);
    }
  }

  private Errors metadata(String topic) {
    MetadataResponseData r =
        (MetadataResponseData) call(new MetadataRequest.Builder(new MetadataRequestData()
                .setAllowAutoTopicCreation(true)
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic))))
            .build((short) 12));
    return Errors.forCode(r.topics().find(topic).errorCode());
  }
}
