package io.rowstream.kafka.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.KafkaCli;
import io.rowstream.support.KafkaCli.Run;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka CLI's own classes ({@code kafka-topics.sh}: TopicCommand, {@code kafka-configs.sh}:
 * ConfigCommand, from kafka-tools) against the Kafka port, their printed output checked, and what
 * they did checked over HTTP v3.
 */
class KafkaCliAdminTest {
  private static TestBroker broker;
  private static TestHttp http;
  private static String bootstrap;
  private static String cluster;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-cli-admin");
    http = broker.http();
    bootstrap = broker.kafkaBootstrap();
    cluster = "/v3/clusters/" + http.clusterId();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Run topics(String... args) {
    return KafkaCli.topics(prepend(args));
  }

  private static Run configs(String... args) {
    return KafkaCli.configs(prepend(args));
  }

  private static String[] prepend(String[] args) {
    String[] all = new String[args.length + 2];
    all[0] = "--bootstrap-server";
    all[1] = bootstrap;
    System.arraycopy(args, 0, all, 2, args.length);
    return all;
  }

  @Test
  void kafka_topics_creates_describes_lists_grows_and_deletes_a_topic() {
    Run created = topics(
        "--create",
        "--topic",
        "cli-orders",
        "--partitions",
        "3",
        "--replication-factor",
        "1",
        "--config",
        "retention.ms=3600000");
    assertThat(created.status()).as(created.err()).isZero();
    assertThat(created.out()).isEqualTo("Created topic cli-orders.\n");
    assertThat(http.get(cluster + "/topics/cli-orders/configs/retention.ms")
            .json()
            .get("value")
            .asText())
        .isEqualTo("3600000");

    Run again = topics("--create", "--topic", "cli-orders", "--partitions", "1");
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.out()).contains("Topic 'cli-orders' already exists.");

    Run described = topics("--describe", "--topic", "cli-orders");
    assertThat(described.status()).as(described.err()).isZero();
    String id =
        broker.queryText("select topic_uuid::text from rowstream.topic where name = 'cli-orders'");
    java.util.UUID uuid = java.util.UUID.fromString(id);
    String kafkaId = new org.apache.kafka.common.Uuid(
            uuid.getMostSignificantBits(), uuid.getLeastSignificantBits())
        .toString();
    int node = broker.node(0).services().nodeId();
    assertThat(described.out())
        .startsWith("Topic: cli-orders\tTopicId: " + kafkaId
            + "\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: retention.ms=3600000\n")
        .contains("\tTopic: cli-orders\tPartition: 0\tLeader: " + node + "\tReplicas: " + node
            + "\tIsr: " + node)
        .contains("\tTopic: cli-orders\tPartition: 2\t");

    Run grown = topics("--alter", "--topic", "cli-orders", "--partitions", "5");
    assertThat(grown.status()).as(grown.err()).isZero();
    assertThat(http.get(cluster + "/topics/cli-orders")
            .json()
            .get("partitions_count")
            .asInt())
        .isEqualTo(5);
    Run shrunk = topics("--alter", "--topic", "cli-orders", "--partitions", "2");
    assertThat(shrunk.status()).isEqualTo(1);
    assertThat(shrunk.out()).contains("the new count must be larger");

    assertThat(topics("--list").out().lines()).contains("cli-orders");

    Run deleted = topics("--delete", "--topic", "cli-orders");
    assertThat(deleted.status()).as(deleted.err()).isZero();
    http.get(cluster + "/topics/cli-orders").expectStatus(404);
    assertThat(topics("--list").out().lines()).doesNotContain("cli-orders");
  }

  @Test
  void kafka_configs_alters_and_describes_topic_configs_and_the_cluster_wide_broker_defaults() {
    http.createTopic("cli-configured", 1);
    Run added = configs(
        "--entity-type",
        "topics",
        "--entity-name",
        "cli-configured",
        "--alter",
        "--add-config",
        "retention.ms=1000,cleanup.policy=[compact,delete]");
    assertThat(added.status()).as(added.err()).isZero();
    assertThat(added.out()).isEqualTo("Completed updating config for topic cli-configured.\n");
    assertThat(configs("--entity-type", "topics", "--entity-name", "cli-configured", "--describe")
            .out())
        .isEqualTo(
            "Dynamic configs for topic cli-configured are:\n"
                + "  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}\n"
                + "  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000, DEFAULT_CONFIG:log.retention.hours=168}\n");

    Run removed = configs(
        "--entity-type",
        "topics",
        "--entity-name",
        "cli-configured",
        "--alter",
        "--delete-config",
        "retention.ms");
    assertThat(removed.status()).as(removed.err()).isZero();
    assertThat(http.get(cluster + "/topics/cli-configured/configs/retention.ms")
            .json()
            .get("source")
            .asText())
        .isEqualTo("DEFAULT_CONFIG");

    Run unknown = configs(
        "--entity-type",
        "topics",
        "--entity-name",
        "cli-configured",
        "--alter",
        "--add-config",
        "no.such=1");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.out() + unknown.err()).contains("Unknown topic config 'no.such'");

    Run defaults = configs(
        "--entity-type",
        "brokers",
        "--entity-default",
        "--alter",
        "--add-config",
        "log.retention.hours=48");
    assertThat(defaults.status()).as(defaults.err()).isZero();
    assertThat(defaults.out())
        .isEqualTo("Completed updating default config for brokers in the cluster.\n");
    assertThat(http.get(cluster + "/broker-configs/log.retention.hours")
            .json()
            .get("value")
            .asText())
        .isEqualTo("48");
    assertThat(configs("--entity-type", "brokers", "--entity-default", "--describe")
            .out())
        .isEqualTo(
            "Default configs for brokers in the cluster are:\n"
                + "  log.retention.hours=48 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.hours=48, DEFAULT_CONFIG:log.retention.hours=168}\n");
    String node = Integer.toString(broker.node(0).services().nodeId());
    assertThat(configs("--entity-type", "brokers", "--entity-name", node, "--describe", "--all")
            .out())
        .startsWith("All configs for broker " + node + " are:\n")
        .contains(
            "  auto.create.topics.enable=false sensitive=false synonyms={DEFAULT_CONFIG:auto.create.topics.enable=false}\n")
        .contains(
            "  log.retention.hours=48 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.hours=48, DEFAULT_CONFIG:log.retention.hours=168}\n");

    Run reset = configs(
        "--entity-type",
        "brokers",
        "--entity-default",
        "--alter",
        "--delete-config",
        "log.retention.hours");
    assertThat(reset.status()).as(reset.err()).isZero();
    assertThat(http.get(cluster + "/broker-configs/log.retention.hours")
            .json()
            .get("source")
            .asText())
        .isEqualTo("DEFAULT_CONFIG");
  }
}
