package io.rowstream.kafka.groups;

import static io.rowstream.kafka.groups.KafkaClassicGroupTest.produce;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.Kcat;
import io.rowstream.support.TestBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * librdkafka's balanced consumer ({@code kcat -G}): two kcat processes in one classic group share
 * the partitions (each holds some in {@code consumer_assignment}), read every record once between
 * them, and commit what they read.
 */
class KafkaClassicGroupKcatTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-classic-kcat");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Process kcat(String group, String topic, Path out) {
    try {
      return new ProcessBuilder(
              "kcat",
              "-b",
              broker.kafkaBootstrap(),
              "-u", // unbuffered: each record in the file as soon as it is read
              "-G",
              group,
              "-o",
              "beginning",
              "-f",
              "%s\\n",
              "-X",
              "session.timeout.ms=6000",
              "-X",
              "heartbeat.interval.ms=500",
              "-X",
              "auto.commit.interval.ms=100",
              topic)
          .redirectOutput(out.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void two_kcat_processes_in_one_group_share_the_partitions_and_commit() throws Exception {
    Kcat.assumeInstalled();
    String topic = "kcat-balanced";
    String group = "kcat-group";
    broker.http().createTopic(topic, 6);
    Path first = Files.createTempFile("kcat-first", ".out");
    Path second = Files.createTempFile("kcat-second", ".out");
    List<Process> processes = new ArrayList<>();
    try {
      processes.add(kcat(group, topic, first));
      processes.add(kcat(group, topic, second));
      Await.until(
          "both kcat processes hold partitions",
          Duration.ofSeconds(30),
          () -> broker.queryLong("select count(distinct instance_id) from consumer_assignment"
                      + " where group_name = '" + group + "' and generation is not null")
                  == 2
              && broker.queryLong("select count(*) from consumer_assignment"
                      + " where group_name = '" + group + "' and generation is not null")
                  == 6);
      produce(broker.kafkaBootstrap(), topic, 0, 60);
      Await.until(
          "every record read",
          Duration.ofSeconds(30),
          () -> lines(first).size() + lines(second).size() >= 60);
      Await.until(
          "every partition committed to its end",
          Duration.ofSeconds(30),
          () -> broker.queryLong("select count(*) from committed_offset" + " where group_name = '"
                  + group + "' and committed_offset = 10")
              == 6);
      List<String> all = new ArrayList<>(lines(first));
      all.addAll(lines(second));
      assertThat(all).hasSize(60).doesNotHaveDuplicates();
      assertThat(lines(first)).isNotEmpty();
      assertThat(lines(second)).isNotEmpty();
      assertThat(broker.queryText(
              "select state from consumer_group where group_name = '" + group + "'"))
          .isEqualTo("STABLE");
    } finally {
      processes.forEach(Process::destroy);
      for (Process p : processes) {
        p.waitFor();
      }
      Files.deleteIfExists(first);
      Files.deleteIfExists(second);
    }
  }
}
