package io.rowstream.kafka.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rowstream.support.Await;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.Kcat;
import io.rowstream.support.TestBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client compatibility matrix (README, "Kafka clients covered"): one scenario, the same
 * outcome, through every Kafka client this machine has. Each client produces 60 keyed records into
 * a topic of its own (3 partitions), consumes 25 of them as the one member of a consumer group and
 * commits what it processed, stops, and a new member of the group (a restarted consumer) reads the
 * other 35: nothing lost, nothing read twice, and the group's committed offsets end at the log end
 * of every partition, as Admin, HTTP v3 and SQL see them.
 */
class ClientCompatibilityMatrixTest {
  private static final int RECORDS = 60;
  private static final int FIRST_RUN = 25;
  private static final int PARTITIONS = 3;

  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("client-matrix");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** One Kafka client: produces keyed values, and consumes a count of values in a group, committing them. */
  interface GroupClient {
    void produce(String bootstrap, String topic, List<String> keys, List<String> values);

    /** Reads {@code count} values as a member of {@code group}, commits them, leaves; the values read. */
    List<String> consumeAndCommit(String bootstrap, String group, String topic, int count);
  }

  static Stream<Arguments> clients() {
    return Stream.of(
        Arguments.of("kafka-clients, group.protocol=classic", new JavaClient("classic")),
        Arguments.of("kafka-clients, group.protocol=consumer", new JavaClient("consumer")),
        Arguments.of("librdkafka (kcat)", new KcatClient()),
        Arguments.of(
            "kafka-python",
            new ScriptClient(
                List.of("/usr/bin/python3", "src/test/clients/kafka-python/scenario.py"),
                List.of("/usr/bin/python3", "-c", "import kafka"),
                "apt-get install python3-kafka")),
        Arguments.of(
            "kafkajs",
            new ScriptClient(
                List.of("node", "src/test/clients/kafkajs/scenario.js"),
                List.of(
                    "node",
                    "-e",
                    "require.resolve('./src/test/clients/kafkajs/node_modules/kafkajs')"),
                "apt-get install nodejs npm; npm ci --prefix src/test/clients/kafkajs")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void produce_group_consume_commit_restart_and_resume(String name, GroupClient client) {
    String slug = name.replaceAll("[^a-z0-9]+", "-");
    String topic = "matrix-" + slug;
    String group = "matrix-group-" + slug;
    broker.http().createTopic(topic, PARTITIONS);
    List<String> keys = IntStream.range(0, RECORDS).mapToObj(i -> "k" + i).toList();
    List<String> values = IntStream.range(0, RECORDS).mapToObj(i -> "v" + i).toList();

    client.produce(broker.kafkaBootstrap(), topic, keys, values);
    assertThat(broker.queryLong(
            "select sum(log_end_offset) from topic_partition join topic using (topic_id) "
                + "where name = '" + topic + "'"))
        .isEqualTo(RECORDS);

    List<String> first = client.consumeAndCommit(broker.kafkaBootstrap(), group, topic, FIRST_RUN);
    List<String> resumed =
        client.consumeAndCommit(broker.kafkaBootstrap(), group, topic, RECORDS - FIRST_RUN);

    List<String> all = new ArrayList<>(first);
    all.addAll(resumed);
    assertThat(first).hasSize(FIRST_RUN);
    assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(values);
    assertThat(
            broker.queryLong("select coalesce(sum(o.committed_offset), 0) from committed_offset o "
                + "join topic t using (topic_id) where o.group_name = '" + group
                + "' and t.name = '" + topic + "'"))
        .as("the group's commits end at the log end of every partition")
        .isEqualTo(RECORDS);
    try (var admin = KafkaClients.admin(broker.kafkaBootstrap())) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      assertThat(
              committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
          .isEqualTo(RECORDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(broker.queryLong(
            "select coalesce(sum(lag), -1) from consumer_lag_overview where \"group\" = '" + group
                + "'"))
        .as("no lag left, as SQL shows it")
        .isZero();
  }

  /** kafka-clients' KafkaProducer and KafkaConsumer (subscribe, manual commitSync of what was processed). */
  private record JavaClient(String protocol) implements GroupClient {
    @Override
    public void produce(String bootstrap, String topic, List<String> keys, List<String> values) {
      try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap, Map.of())) {
        for (int i = 0; i < values.size(); i++) {
          producer.send(new ProducerRecord<>(topic, bytes(keys.get(i)), bytes(values.get(i))));
        }
        producer.flush();
      }
    }

    @Override
    public List<String> consumeAndCommit(String bootstrap, String group, String topic, int count) {
      List<String> read = new ArrayList<>();
      Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
      try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(
          bootstrap,
          Map.of(
              ConsumerConfig.GROUP_ID_CONFIG,
              group,
              ConsumerConfig.GROUP_PROTOCOL_CONFIG,
              protocol))) {
        consumer.subscribe(List.of(topic));
        Await.until(count + " records read in group " + group, Duration.ofSeconds(60), () -> {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (read.size() == count) {
              break;
            }
            read.add(new String(r.value(), StandardCharsets.UTF_8));
            processed.put(
                new TopicPartition(r.topic(), r.partition()),
                new OffsetAndMetadata(r.offset() + 1));
          }
          return read.size() == count;
        });
        consumer.commitSync(processed);
      }
      return read;
    }
  }

  /**
   * librdkafka through kcat: {@code -P -K:} to produce, {@code -G} (a balanced consumer group
   * member) with {@code -c} to consume; librdkafka commits the offsets of what it delivered when it
   * closes (enable.auto.commit, its default).
   */
  private static final class KcatClient implements GroupClient {
    @Override
    public void produce(String bootstrap, String topic, List<String> keys, List<String> values) {
      Kcat.assumeInstalled();
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < values.size(); i++) {
        lines.append(keys.get(i)).append(':').append(values.get(i)).append('\n');
      }
      Kcat.Run run = Kcat.run(bootstrap, lines.toString(), "-P", "-t", topic, "-K", ":");
      assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Override
    public List<String> consumeAndCommit(String bootstrap, String group, String topic, int count) {
      Kcat.Run run = Kcat.run(
          bootstrap,
          null,
          "-G",
          group,
          "-c",
          Integer.toString(count),
          "-f",
          "%s\\n",
          "-X",
          "auto.offset.reset=earliest",
          "-q",
          topic);
      assertThat(run.exitCode()).as(run.err()).isZero();
      return Arrays.stream(run.out().split("\n")).filter(s -> !s.isEmpty()).toList();
    }
  }

  /**
   * A client driven by a script of ours under src/test/clients/ ({@code produce BOOTSTRAP TOPIC}
   * with key:value lines on stdin; {@code consume BOOTSTRAP GROUP TOPIC N} printing the values
   * read). Skipped where the client is not installed, except under CI, which installs it.
   */
  private record ScriptClient(List<String> script, List<String> probe, String install)
      implements GroupClient {
    @Override
    public void produce(String bootstrap, String topic, List<String> keys, List<String> values) {
      assumeInstalled();
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < values.size(); i++) {
        lines.append(keys.get(i)).append(':').append(values.get(i)).append('\n');
      }
      run(lines.toString(), "produce", bootstrap, topic);
    }

    @Override
    public List<String> consumeAndCommit(String bootstrap, String group, String topic, int count) {
      String out = run("", "consume", bootstrap, group, topic, Integer.toString(count));
      return Arrays.stream(out.split("\n")).filter(s -> !s.isEmpty()).toList();
    }

    private void assumeInstalled() {
      boolean installed;
      try {
        installed = new ProcessBuilder(probe).redirectErrorStream(true).start().waitFor() == 0;
      } catch (IOException e) {
        installed = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (!installed && System.getenv("CI") != null) {
        throw new IllegalStateException(
            script.getLast() + " cannot run; .ci/run installs it (" + install + ")");
      }
      assumeTrue(installed, script.getLast() + " cannot run here (" + install + ")");
    }

    /** Runs the script with {@code args}, feeding {@code stdin}; its standard output. */
    private String run(String stdin, String... args) {
      List<String> command = new ArrayList<>(script);
      command.addAll(List.of(args));
      try {
        Process p = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not end within 90 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + err).isZero();
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
