package io.rowstream.kafka.groups;

import io.rowstream.support.KafkaClients;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

/**
 * A KafkaConsumer in a classic group on a thread of its own: it subscribes, polls, hands every
 * record to a shared sink and commits synchronously after each poll that returned records (and
 * before partitions are revoked, as a consumer that must not read twice does), until it
 * is closed (LeaveGroup) or dropped (closed without LeaveGroup: its heartbeats stop, as if it
 * died). Test settings: short session and rebalance timeouts.
 */
final class PollingMember implements AutoCloseable {
  /** A record as read: where it was and by whom. */
  record Read(String member, TopicPartition partition, long offset, String value) {}

  private final String name;
  private final Thread thread;
  private final AtomicReference<Set<TopicPartition>> assignment = new AtomicReference<>(Set.of());
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running = true;
  private volatile boolean leave = true;
  private volatile int rebalances;

  PollingMember(
      String name,
      String bootstrap,
      String group,
      String topic,
      Map<String, Object> extra,
      ConcurrentLinkedQueue<Read> sink) {
    this.name = name;
    Map<String, Object> config = new HashMap<>(classic(group));
    config.putAll(extra);
    this.thread = Thread.ofPlatform().name("member-" + name).start(() -> {
      try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(bootstrap, config)) {
        run(consumer, topic, sink);
      } catch (RuntimeException e) {
        failure.set(e);
      }
    });
  }

  /**
   * A node that takes the short sessions of {@link #classic} (Kafka's
   * group.min.session.timeout.ms, 6 s by default, would refuse them).
   */
  static io.rowstream.config.NodeConfig allowingShortSessions(io.rowstream.config.NodeConfig c) {
    return c.withKafka(
        c.kafka().withGroups(c.kafka().groups().withClassicBounds(1_000, 1_800_000)));
  }

  /** A classic group member's settings, with timeouts short enough for tests. */
  static Map<String, Object> classic(String group) {
    return Map.of(
        ConsumerConfig.GROUP_ID_CONFIG,
        group,
        ConsumerConfig.GROUP_PROTOCOL_CONFIG,
        "classic",
        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
        3000,
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        300,
        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
        15000,
        ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        10000);
  }

  private void run(
      KafkaConsumer<byte[], byte[]> consumer, String topic, ConcurrentLinkedQueue<Read> sink) {
    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        consumer.commitSync(); // what it read of them, before another member gets them
      }

      /**
       * Partitions lost (the member is out of the group: its session ended, or it closes in the
       * middle of a rebalance) belong to another member already: there is nothing it may commit
       * for them, so unlike the default it does not commit as for a revocation (the commit would
       * fail, and a close calling this fails with it).
       */
      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {}

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        rebalances++;
      }
    });
    while (running) {
      ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
      for (ConsumerRecord<byte[], byte[]> r : records) {
        sink.add(new Read(
            name,
            new TopicPartition(r.topic(), r.partition()),
            r.offset(),
            new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)));
      }
      if (!records.isEmpty()) {
        try {
          consumer.commitSync();
        } catch (RebalanceInProgressException e) {
          // a cooperative rebalance is under way: the partitions are still this member's, and
          // the next commit (or the one before they are revoked) covers these records
        }
      }
      assignment.set(Set.copyOf(consumer.assignment()));
    }
    if (!leave) {
      consumer.close(CloseOptions.groupMembershipOperation(
          CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
    }
  }

  String name() {
    return name;
  }

  /** The partitions it held after its last poll. */
  Set<TopicPartition> assignment() {
    return assignment.get();
  }

  /** How many times partitions were assigned to it (onPartitionsAssigned calls). */
  int rebalances() {
    return rebalances;
  }

  Throwable failure() {
    return failure.get();
  }

  /** Stops it without LeaveGroup: the group learns of it only when its session times out. */
  void drop() {
    leave = false;
    close();
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
