package io.rowstream.kafka.groups;

import io.rowstream.support.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;

/**
 * A classic group member in a JVM of its own, for a test to kill with SIGKILL: {@code bootstrap
 * group topic file} subscribes, appends each record's value to {@code file} as it reads it, and
 * commits after each poll, until the process dies.
 */
public final class ChildConsumer {
  private ChildConsumer() {}

  public static void main(String[] args) {
    String bootstrap = args[0];
    String group = args[1];
    String topic = args[2];
    Path file = Path.of(args[3]);
    Map<String, Object> config = new java.util.HashMap<>(PollingMember.classic(group));
    config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(bootstrap, config)) {
      consumer.subscribe(List.of(topic));
      while (true) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        StringBuilder read = new StringBuilder();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          read.append(new String(r.value(), StandardCharsets.UTF_8)).append('\n');
        }
        if (!records.isEmpty()) {
          Files.writeString(
              file,
              read,
              java.nio.file.StandardOpenOption.APPEND,
              java.nio.file.StandardOpenOption.CREATE);
          consumer.commitSync();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
