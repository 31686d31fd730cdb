package io.rowstream.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka's ConsumerPerformance without a consumer group, for brokers that serve no group APIs.
 * ConsumerPerformance 4.4 always {@code subscribe}s (FindCoordinator, JoinGroup, SyncGroup,
 * heartbeats, OffsetFetch); this reads the same way otherwise: it {@code assign}s every partition of
 * the topic and seeks to the beginning, with ConsumerPerformance's consumer settings
 * ({@code receive.buffer.bytes} = {@code --socket-buffer-size}, {@code max.partition.fetch.bytes}
 * = {@code --fetch-size}, {@code check.crcs=false}, byte-array deserializers, the rest kafka-clients'
 * defaults), the same loop ({@code poll(100 ms)}, key and value bytes counted, until
 * {@code --num-records} are read or none came for {@code --timeout} ms), timed the same way (from
 * just before assigning to the last poll), and prints ConsumerPerformance's result line, with a
 * rebalance time of 0.
 *
 * <p>{@code java -cp target/rowstream.jar io.rowstream.bench.AssignedConsumer --bootstrap-server
 * host:port --topic T --num-records N [--timeout 10000] [--fetch-size 1048576]
 * [--socket-buffer-size 2097152]}
 */
public final class AssignedConsumer {
  static final String USAGE = """
      usage: AssignedConsumer --bootstrap-server host:port --topic T --num-records N [--timeout 10000]
                              [--fetch-size 1048576] [--socket-buffer-size 2097152]""";

  private AssignedConsumer() {}

  public static void main(String[] args) {
    Map<String, String> flags = Cli.parseOrExit(args, a -> Cli.flags(a, USAGE));
    String bootstrap = required(flags, "bootstrap-server");
    String topic = required(flags, "topic");
    long wanted = Long.parseLong(required(flags, "num-records"));
    long timeoutMs = Long.parseLong(flags.getOrDefault("timeout", "10000"));
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, flags.getOrDefault("socket-buffer-size", "2097152"));
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, flags.getOrDefault("fetch-size", "1048576"));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.CHECK_CRCS_CONFIG, "false");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "perf-consumer-client");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");

    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      long startMs = System.currentTimeMillis();
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long records = 0;
      long bytes = 0;
      long now = System.currentTimeMillis();
      long lastConsumedMs = now;
      while (records < wanted && now - lastConsumedMs <= timeoutMs) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(100));
        now = System.currentTimeMillis();
        if (!polled.isEmpty()) {
          lastConsumedMs = now;
        }
        for (ConsumerRecord<byte[], byte[]> record : polled) {
          records++;
          bytes += (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
        }
      }
      long endMs = System.currentTimeMillis();
      if (records < wanted) {
        System.out.printf("WARNING: Exiting before consuming the expected number of records: timeout (%d ms) exceeded.%n",
            timeoutMs);
      }
      System.out.println(ConsumerPerfSummary.format(startMs, endMs, records, bytes, 0));
    }
  }

  private static String required(Map<String, String> flags, String name) {
    String value = flags.get(name);
    if (value == null) {
      System.err.println("--" + name + " is required\n" + USAGE);
      System.exit(2);
    }
    return value;
  }
}
