package io.rowstream.kafka.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigType;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DescribeConfigs, AlterConfigs (legacy, full replace) and IncrementalAlterConfigs over the Kafka
 * port with kafka-clients' Admin, on topics and on the cluster-wide broker defaults, each checked
 * against HTTP v3, which reads and writes the same rows.
 */
class KafkaConfigAdminTest {
  private static TestBroker broker;
  private static TestHttp http;
  private static String cluster;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-config-admin");
    http = broker.http();
    cluster = "/v3/clusters/" + http.clusterId();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Admin admin() {
    return KafkaClients.admin(broker.kafkaBootstrap());
  }

  private static ConfigResource topic(String name) {
    return new ConfigResource(ConfigResource.Type.TOPIC, name);
  }

  private static void createOverHttp(String topic, Map<String, String> configs) {
    List<Map<String, String>> entries = configs.entrySet().stream()
        .map(e -> Map.of("name", e.getKey(), "value", e.getValue()))
        .toList();
    http.post(
            cluster + "/topics",
            "application/json",
            TestHttp.json(Map.of("topic_name", topic, "partitions_count", 1, "configs", entries)))
        .expectStatus(201);
  }

  private static JsonNode httpConfig(String topic, String name) {
    return http.get(cluster + "/topics/" + topic + "/configs/" + name)
        .expectStatus(200)
        .json();
  }

  private static Config describe(Admin admin, ConfigResource resource) throws Exception {
    return admin
        .describeConfigs(
            List.of(resource),
            new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true))
        .all()
        .get()
        .get(resource);
  }

  @Test
  void a_topic_created_over_http_is_described_over_kafka_with_sources_synonyms_types_and_docs()
      throws Exception {
    createOverHttp("kc-described", Map.of("retention.ms", "60000", "cleanup.policy", "compact"));
    try (Admin admin = admin()) {
      Config config = describe(admin, topic("kc-described"));
      ConfigEntry retention = config.get("retention.ms");
      assertThat(retention.value()).isEqualTo("60000");
      assertThat(retention.source()).isEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
      assertThat(retention.type()).isEqualTo(ConfigType.LONG);
      assertThat(retention.documentation()).contains("delete");
      assertThat(retention.synonyms())
          .extracting(ConfigEntry.ConfigSynonym::name, ConfigEntry.ConfigSynonym::source)
          .startsWith(org.assertj.core.groups.Tuple.tuple(
              "retention.ms", ConfigSource.DYNAMIC_TOPIC_CONFIG))
          .contains(org.assertj.core.groups.Tuple.tuple(
              "log.retention.hours", ConfigSource.DEFAULT_CONFIG));
      assertThat(config.get("cleanup.policy").type()).isEqualTo(ConfigType.LIST);
      assertThat(config.get("preallocate").type()).isEqualTo(ConfigType.BOOLEAN);
      assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
      assertThat(config.get("segment.bytes").isDefault()).isTrue();
      // Every config the HTTP door lists, with the same values.
      JsonNode listed =
          http.get(cluster + "/topics/kc-described/configs").expectStatus(200).json();
      for (JsonNode c : listed.get("data")) {
        assertThat(config.get(c.get("name").asText()))
            .as(c.get("name").asText())
            .isNotNull()
            .extracting(ConfigEntry::value)
            .isEqualTo(c.get("value").asText());
      }
      assertThatThrownBy(() -> describe(admin, topic("kc-nowhere")))
          .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }
  }

  @Test
  void incremental_set_delete_append_and_subtract_change_a_topic_as_http_then_reads_it()
      throws Exception {
    createOverHttp("kc-incremental", Map.of("segment.bytes", "2097152"));
    ConfigResource t = topic("kc-incremental");
    try (Admin admin = admin()) {
      admin
          .incrementalAlterConfigs(Map.of(
              t,
              List.of(
                  new AlterConfigOp(
                      new ConfigEntry("retention.ms", "120000"), AlterConfigOp.OpType.SET),
                  new AlterConfigOp(
                      new ConfigEntry("segment.bytes", null), AlterConfigOp.OpType.DELETE),
                  new AlterConfigOp(
                      new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND))))
          .all()
          .get();
      assertThat(httpConfig("kc-incremental", "retention.ms").get("value").asText())
          .isEqualTo("120000");
      assertThat(httpConfig("kc-incremental", "segment.bytes").get("source").asText())
          .isEqualTo("DEFAULT_CONFIG");
      assertThat(httpConfig("kc-incremental", "cleanup.policy").get("value").asText())
          .isEqualTo("delete,compact");

      admin
          .incrementalAlterConfigs(Map.of(
              t,
              List.of(new AlterConfigOp(
                  new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SUBTRACT))))
          .all()
          .get();
      assertThat(httpConfig("kc-incremental", "cleanup.policy").get("value").asText())
          .isEqualTo("compact");

      admin
          .incrementalAlterConfigs(
              Map.of(
                  t,
                  List.of(new AlterConfigOp(
                      new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET))),
              new AlterConfigsOptions().validateOnly(true))
          .all()
          .get();
      assertThat(httpConfig("kc-incremental", "retention.ms").get("value").asText())
          .isEqualTo("120000");

      for (AlterConfigOp refused : List.of(
          new AlterConfigOp(new ConfigEntry("retention.ms", "5"), AlterConfigOp.OpType.APPEND),
          new AlterConfigOp(new ConfigEntry("no.such.config", "5"), AlterConfigOp.OpType.SET),
          new AlterConfigOp(new ConfigEntry("retention.ms", "soon"), AlterConfigOp.OpType.SET))) {
        assertThatThrownBy(() -> admin
                .incrementalAlterConfigs(Map.of(
                    t,
                    List.of(
                        new AlterConfigOp(
                            new ConfigEntry("max.message.bytes", "5000"), AlterConfigOp.OpType.SET),
                        refused)))
                .all()
                .get())
            .as(refused.toString())
            .hasCauseInstanceOf(InvalidConfigurationException.class);
      }
      assertThat(httpConfig("kc-incremental", "max.message.bytes").get("source").asText())
          .isEqualTo("DEFAULT_CONFIG");
    }
  }

  /**
   * Kafka's legacy AlterConfigs (v2) on raw frames: kafka-clients 4 no longer sends it, librdkafka,
   * kafkajs and kafka-python still do. Returns the resource's error.
   */
  private static Errors legacyAlter(ConfigResource resource, Map<String, String> configs)
      throws Exception {
    AlterConfigsRequestData.AlterableConfigCollection entries =
        new AlterConfigsRequestData.AlterableConfigCollection();
    configs.forEach((name, value) ->
        entries.add(new AlterConfigsRequestData.AlterableConfig().setName(name).setValue(value)));
    AlterConfigsRequestData.AlterConfigsResourceCollection resources =
        new AlterConfigsRequestData.AlterConfigsResourceCollection();
    resources.add(new AlterConfigsRequestData.AlterConfigsResource()
        .setResourceType(resource.type().id())
        .setResourceName(resource.name())
        .setConfigs(entries));
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      AlterConfigsResponse response = (AlterConfigsResponse) wire.call(
          ApiKeys.ALTER_CONFIGS, (short) 2, new AlterConfigsRequestData().setResources(resources));
      return Errors.forCode(response.data().responses().get(0).errorCode());
    }
  }

  @Test
  void legacy_alter_configs_replaces_every_override_of_a_topic() throws Exception {
    createOverHttp("kc-legacy", Map.of("retention.ms", "60000", "segment.bytes", "2097152"));
    ConfigResource t = topic("kc-legacy");
    try (Admin admin = admin()) {
      assertThat(legacyAlter(t, Map.of("max.message.bytes", "4096"))).isEqualTo(Errors.NONE);
      Config after = describe(admin, t);
      assertThat(after.get("max.message.bytes").value()).isEqualTo("4096");
      assertThat(after.get("retention.ms").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
      assertThat(after.get("segment.bytes").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
      assertThat(legacyAlter(t, Map.of("max.message.bytes", "-3")))
          .isEqualTo(Errors.INVALID_CONFIG);
      assertThat(legacyAlter(topic("kc-nowhere"), Map.of()))
          .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }
    assertThat(httpConfig("kc-legacy", "max.message.bytes").get("value").asText())
        .isEqualTo("4096");
    assertThat(httpConfig("kc-legacy", "retention.ms").get("source").asText())
        .isEqualTo("DEFAULT_CONFIG");
  }

  @Test
  void broker_configs_are_the_cluster_wide_defaults_of_the_http_broker_configs_routes()
      throws Exception {
    String nodeId = Integer.toString(broker.node(0).services().nodeId());
    ConfigResource defaults = new ConfigResource(ConfigResource.Type.BROKER, "");
    ConfigResource one = new ConfigResource(ConfigResource.Type.BROKER, nodeId);
    try (Admin admin = admin()) {
      admin
          .incrementalAlterConfigs(Map.of(
              defaults,
              List.of(new AlterConfigOp(
                  new ConfigEntry("log.retention.hours", "48"), AlterConfigOp.OpType.SET))))
          .all()
          .get();
      JsonNode overHttp = http.get(cluster + "/broker-configs/log.retention.hours")
          .expectStatus(200)
          .json();
      assertThat(overHttp.get("value").asText()).isEqualTo("48");
      assertThat(overHttp.get("source").asText()).isEqualTo("DYNAMIC_DEFAULT_BROKER_CONFIG");

      Collection<ConfigEntry> set = describe(admin, defaults).entries();
      assertThat(set).extracting(ConfigEntry::name).containsExactly("log.retention.hours");
      Config ofBroker = describe(admin, one);
      assertThat(ofBroker.get("log.retention.hours").value()).isEqualTo("48");
      assertThat(ofBroker.get("log.retention.hours").source())
          .isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
      assertThat(ofBroker.get("log.retention.hours").isReadOnly()).isTrue();
      assertThat(ofBroker.get("log.segment.bytes").value()).isEqualTo("1073741824");

      createOverHttp("kc-under-defaults", Map.of());
      Config topicConfig = describe(admin, topic("kc-under-defaults"));
      assertThat(topicConfig.get("retention.ms").value()).isEqualTo("172800000");
      assertThat(topicConfig.get("retention.ms").source())
          .isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);

      assertThatThrownBy(() -> admin
              .incrementalAlterConfigs(Map.of(
                  one,
                  List.of(new AlterConfigOp(
                      new ConfigEntry("log.retention.hours", "24"), AlterConfigOp.OpType.SET))))
              .all()
              .get())
          .hasCauseInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("no configs of its own");

      // Legacy AlterConfigs replaces the defaults set: log.retention.hours goes back to built in.
      assertThat(legacyAlter(defaults, Map.of("log.segment.bytes", "2097152")))
          .isEqualTo(Errors.NONE);
      assertThat(legacyAlter(one, Map.of("log.segment.bytes", "2097152")))
          .isEqualTo(Errors.INVALID_CONFIG);
      assertThat(describe(admin, defaults).entries())
          .extracting(ConfigEntry::name, ConfigEntry::value)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("log.segment.bytes", "2097152"));
      assertThat(http.get(cluster + "/broker-configs/log.retention.hours")
              .json()
              .get("source")
              .asText())
          .isEqualTo("DEFAULT_CONFIG");
      admin
          .incrementalAlterConfigs(Map.of(
              defaults,
              List.of(new AlterConfigOp(
                  new ConfigEntry("log.segment.bytes", null), AlterConfigOp.OpType.DELETE))))
          .all()
          .get();
    }
  }
}
