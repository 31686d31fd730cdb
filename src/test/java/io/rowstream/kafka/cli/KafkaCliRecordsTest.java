package io.rowstream.kafka.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.KafkaCli;
import io.rowstream.support.KafkaCli.Run;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka CLI's record tools from kafka-tools ({@code kafka-console-producer.sh}: ConsoleProducer,
 * {@code kafka-console-consumer.sh}: ConsoleConsumer, {@code kafka-get-offsets.sh}: GetOffsetShell)
 * against the Kafka port, their printed output checked, and what they wrote read over HTTP.
 */
class KafkaCliRecordsTest {
  private static TestBroker broker;
  private static TestHttp http;
  private static String bootstrap;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-cli-records");
    http = broker.http();
    bootstrap = broker.kafkaBootstrap();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** The partition Kafka's default partitioner (and Rowstream's) gives a string key of {@code n}. */
  private static int partitionOf(String key, int n) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % n;
  }

  @Test
  void
      console_producer_writes_keyed_lines_with_headers_that_the_console_consumer_reads_by_offset() {
    http.createTopic("orders", 3);
    // As the README shows it: keyed lines.
    Run produced = KafkaCli.consoleProducer(
        "alice:first\nalice:second\n",
        "--bootstrap-server",
        bootstrap,
        "--topic",
        "orders",
        "--reader-property",
        "parse.key=true",
        "--reader-property",
        "key.separator=:");
    assertThat(produced.status()).as(produced.err()).isZero();
    assertThat(produced.out()).isEmpty();
    // Headers before a tab, and a producer setting.
    Run withHeaders = KafkaCli.consoleProducer(
        "source:cli,n:3\talice:third\n",
        "--bootstrap-server",
        bootstrap,
        "--topic",
        "orders",
        "--reader-property",
        "parse.key=true",
        "--reader-property",
        "key.separator=:",
        "--reader-property",
        "parse.headers=true",
        "--command-property",
        "acks=all");
    assertThat(withHeaders.status()).as(withHeaders.err()).isZero();
    int partition = partitionOf("alice", 3);
    assertThat(partition).as("the README's --partition 0").isZero();
    JsonNode overHttp = http.get(
            "/topics/orders/partitions/" + partition + "/records?offset=0",
            "Accept",
            TestHttp.BINARY)
        .json();
    assertThat(overHttp)
        .as("the three keyed lines, in the key's partition, read over HTTP")
        .hasSize(3);
    long firstTime = overHttp.get(0).get("timestamp").asLong();

    Run all = KafkaCli.consoleConsumer(
        "--bootstrap-server",
        bootstrap,
        "--topic",
        "orders",
        "--partition",
        Integer.toString(partition),
        "--offset",
        "earliest",
        "--max-messages",
        "3",
        "--formatter-property",
        "print.key=true",
        "--formatter-property",
        "print.headers=true",
        "--formatter-property",
        "print.timestamp=true",
        "--formatter-property",
        "print.offset=true");
    assertThat(all.status()).as(all.err()).isZero();
    assertThat(all.out().lines())
        .hasSize(3)
        .first()
        .isEqualTo("CreateTime:" + firstTime + "\tOffset:0\tNO_HEADERS\talice\tfirst");
    assertThat(all.out().lines())
        .element(2)
        .asString()
        .matches("CreateTime:\\d+\tOffset:2\tsource:cli,n:3\talice\tthird");
    assertThat(all.err()).contains("Processed a total of 3 messages");

    Run fromOne = KafkaCli.consoleConsumer(
        "--bootstrap-server",
        bootstrap,
        "--topic",
        "orders",
        "--partition",
        Integer.toString(partition),
        "--offset",
        "1",
        "--max-messages",
        "1");
    assertThat(fromOne.status()).as(fromOne.err()).isZero();
    assertThat(fromOne.out()).isEqualTo("second\n");

    int node = broker.node(0).services().nodeId();
    Run described =
        KafkaCli.topics("--bootstrap-server", bootstrap, "--describe", "--topic", "orders");
    assertThat(described.status()).as(described.err()).isZero();
    assertThat(described.out())
        .contains("\tPartitionCount: 3\tReplicationFactor: 1\t")
        .contains("\tTopic: orders\tPartition: " + partition + "\tLeader: " + node + "\tReplicas: "
            + node + "\tIsr: " + node);

    assertThat(getOffsets("orders", "-2").lines())
        .containsExactly("orders:0:0", "orders:1:0", "orders:2:0");
    assertThat(getOffsets("orders", "-1").lines())
        .contains("orders:" + partition + ":3")
        .hasSize(3);
  }

  @Test
  void get_offsets_answers_earliest_latest_by_time_and_max_timestamp() {
    writeTimed(http, "cli-timed", 1_000, 3_000, 2_000);

    assertThat(getOffsets("cli-timed", "-2")).isEqualTo("cli-timed:0:0\n");
    assertThat(getOffsets("cli-timed", "-1")).isEqualTo("cli-timed:0:3\n");
    assertThat(getOffsets("cli-timed", "1500")).isEqualTo("cli-timed:0:1\n");
    assertThat(getOffsets("cli-timed", "-3"))
        .as("max timestamp: the record with the greatest timestamp")
        .isEqualTo("cli-timed:0:1\n");
    assertThat(getOffsets("cli-timed", "4000"))
        .as("no record at or after the time: nothing printed, as against Kafka")
        .isEmpty();
  }

  /**
   * Creates a one-partition topic and writes to it over HTTP one record a timestamp, with the values
   * a, b, c… in that order.
   */
  static void writeTimed(TestHttp http, String topic, long... timestamps) {
    http.createTopic(topic, 1);
    List<Map<String, Object>> records = new ArrayList<>();
    for (int i = 0; i < timestamps.length; i++) {
      byte[] value = {(byte) ('a' + i)};
      records.add(
          Map.of("value", Base64.getEncoder().encodeToString(value), "timestamp", timestamps[i]));
    }
    http.post(
            "/topics/" + topic + "/partitions/0",
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", records)))
        .expectStatus(200);
  }

  private static String getOffsets(String topic, String time) {
    Run run =
        KafkaCli.getOffsets("--bootstrap-server", bootstrap, "--topic", topic, "--time", time);
    assertThat(run.status()).as(run.err()).isZero();
    return run.out();
  }
}
