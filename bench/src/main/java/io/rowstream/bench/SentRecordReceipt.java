package io.rowstream.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Commit → received for records sent from SQL (bench/sql-send.sh): a Kafka consumer on every
 * partition of a topic, from its end, receives for a while and measures, for each record, the time
 * from its send to its receipt. The sender puts its {@code clock_timestamp()} as text before an
 * {@code x} at the start of the value (a single-statement transaction commits right after it); the
 * database and this process share the machine's clock.
 *
 * <p>{@code java -cp rowstream.jar io.rowstream.bench.SentRecordReceipt BOOTSTRAP TOPIC PARTITIONS
 * SECONDS}: prints one line with the count and the percentiles in ms.
 */
public final class SentRecordReceipt {
  private SentRecordReceipt() {}

  public static void main(String[] args) {
    String bootstrap = args[0];
    String topic = args[1];
    int partitions = Integer.parseInt(args[2]);
    long until = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
    Histogram micros = new Histogram(60_000_000L, 3);
    // From the append (the record's LogAppendTime, on a topic that stamps it) to the receipt.
    Histogram appendedMicros = new Histogram(60_000_000L, 3);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> all = java.util.stream.IntStream.range(0, partitions)
          .mapToObj(p -> new TopicPartition(topic, p))
          .toList();
      consumer.assign(all);
      consumer.seekToEnd(all);
      all.forEach(consumer::position); // from the end as it is now
      System.out.println("receiving");
      while (System.nanoTime() < until) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          OffsetDateTime received = OffsetDateTime.now();
          micros.recordValue(Math.max(0, ChronoUnit.MICROS.between(sentAt(r.value()), received)));
          if (r.timestampType() == org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME) {
            appendedMicros.recordValue(
                Math.max(0, received.toInstant().toEpochMilli() - r.timestamp()) * 1000);
          }
        }
      }
    }
    System.out.printf(
        "%d records, commit -> received ms: p50 %.1f  p99 %.1f  max %.1f%n",
        micros.getTotalCount(),
        micros.getValueAtPercentile(50) / 1000.0,
        micros.getValueAtPercentile(99) / 1000.0,
        micros.getMaxValue() / 1000.0);
    if (appendedMicros.getTotalCount() > 0) {
      System.out.printf(
          "appended -> received ms: p50 %.1f  p99 %.1f  max %.1f%n",
          appendedMicros.getValueAtPercentile(50) / 1000.0,
          appendedMicros.getValueAtPercentile(99) / 1000.0,
          appendedMicros.getMaxValue() / 1000.0);
    }
  }

  /** The sender's clock_timestamp() as PostgreSQL writes it, e.g. 2026-12-05 06:10:11.1234+00. */
  private static OffsetDateTime sentAt(byte[] value) {
    String text = new String(value, 0, Math.min(value.length, 40), StandardCharsets.UTF_8);
    String stamp = text.substring(0, text.indexOf('x')).replace(' ', 'T');
    if (stamp.matches(".*[+-]\\d\\d$")) {
      stamp += ":00";
    }
    return OffsetDateTime.parse(stamp);
  }
}
