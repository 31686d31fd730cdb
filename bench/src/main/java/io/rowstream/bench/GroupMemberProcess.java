package io.rowstream.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One member of {@link GroupRebalanceBench}'s group, in a JVM of its own so that the bench can kill
 * it as a crash kills a consumer (SIGKILL: no LeaveGroup, its partitions move only after its
 * session times out). It subscribes to the topic and prints, on standard output, a line
 * {@code POLLING} before its first poll and a line {@code OWNED p,p,...} (partition numbers) after
 * every rebalance callback, with what it owns then. SIGTERM closes it cleanly (LeaveGroup).
 *
 * <pre>
 * GroupMemberProcess --bootstrap HOST:PORT --topic T --group G --protocol classic|consumer
 *                    --assignor NAME [--session-timeout-ms 10000]
 * </pre>
 *
 * {@code --assignor} is a classic assignor's class name, or KIP-848's server assignor (uniform,
 * range).
 */
public final class GroupMemberProcess {
  private GroupMemberProcess() {}

  public static void main(String[] args) {
    Map<String, String> flags = Cli.flags(args, "see GroupMemberProcess's class comment");
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, flags.get("bootstrap"));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, flags.get("group"));
    config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, flags.get("protocol"));
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    if (flags.get("protocol").equals("classic")) {
      config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, flags.get("assignor"));
      config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, flags.getOrDefault("session-timeout-ms", "10000"));
      config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
    } else {
      config.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, flags.get("assignor"));
    }
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config);
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      consumer.wakeup();
      try {
        main.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    consumer.subscribe(List.of(flags.get("topic")), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        owned(consumer, partitions);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        owned(consumer, List.of());
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        owned(consumer, partitions);
      }
    });
    System.out.println("POLLING");
    System.out.flush();
    try (consumer) {
      while (true) {
        consumer.poll(Duration.ofMillis(100));
      }
    } catch (WakeupException e) {
      // SIGTERM: close() below leaves the group.
    }
  }

  /** Prints what it owns once {@code leaving} (being revoked or lost) is gone. */
  private static void owned(KafkaConsumer<?, ?> consumer, Collection<TopicPartition> leaving) {
    System.out.println("OWNED " + consumer.assignment().stream()
        .filter(p -> !leaving.contains(p))
        .map(p -> Integer.toString(p.partition()))
        .sorted()
        .collect(Collectors.joining(",")));
    System.out.flush();
  }
}
