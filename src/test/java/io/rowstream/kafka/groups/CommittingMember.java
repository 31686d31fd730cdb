package io.rowstream.kafka.groups;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A group member on a thread of its own: polls, commits what each poll returned with
 * {@code commitSync} (the next offset of each partition), and reports a record as read only once
 * its commit succeeded. A poll whose commit fails is read again (its partitions sought back while
 * still assigned; a partition taken away is read again by its next owner from the last commit). So
 * a record reported twice was handed to two owners at once, and one never reported was lost.
 * {@link ChildMember} runs one in a JVM of its own, so that a test can kill it with SIGKILL.
 */
final class CommittingMember implements AutoCloseable {
  /** A record as read: topic, partition, offset. */
  record Read(String topic, int partition, long offset) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Consumer<Read> onRead;
  private final Thread thread;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Set<TopicPartition> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile Throwable failure;

  private CommittingMember(
      KafkaConsumer<byte[], byte[]> consumer,
      Consumer<Read> onRead,
      Consumer<KafkaConsumer<byte[], byte[]>> subscribe,
      String name) {
    this.consumer = consumer;
    this.onRead = onRead;
    this.thread = Thread.ofPlatform().name(name).start(() -> loop(subscribe));
  }

  /** Subscribes {@code consumer} to {@code topics} and consumes until closed. */
  static CommittingMember subscribe(
      KafkaConsumer<byte[], byte[]> consumer, List<String> topics, Consumer<Read> onRead) {
    return new CommittingMember(
        consumer, onRead, c -> c.subscribe(topics, listener(c)), "member-" + topics);
  }

  /** Subscribes {@code consumer} to a regex (the broker matches it) and consumes until closed. */
  static CommittingMember subscribe(
      KafkaConsumer<byte[], byte[]> consumer, String regex, Consumer<Read> onRead) {
    return new CommittingMember(
        consumer,
        onRead,
        c -> c.subscribe(new SubscriptionPattern(regex), listener(c)),
        "member-" + regex);
  }

  /**
   * A rebalance listener: with one, the consumer gives a partition up only inside {@code poll} on
   * this thread, so never between a poll and the commit of what it returned.
   */
  private static ConsumerRebalanceListener listener(KafkaConsumer<byte[], byte[]> c) {
    return new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
    };
  }

  private void loop(Consumer<KafkaConsumer<byte[], byte[]>> subscribe) {
    try {
      subscribe.accept(consumer);
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        assigned.clear();
        assigned.addAll(consumer.assignment());
        if (records.isEmpty()) {
          continue;
        }
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        List<Read> batch = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          first.putIfAbsent(tp, r.offset());
          next.put(tp, new OffsetAndMetadata(r.offset() + 1));
          batch.add(new Read(r.topic(), r.partition(), r.offset()));
        }
        try {
          consumer.commitSync(next);
          batch.forEach(onRead);
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          Set<TopicPartition> still = new HashSet<>(consumer.assignment());
          first.forEach((tp, offset) -> {
            if (still.contains(tp)) {
              consumer.seek(tp, offset);
            }
          });
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (Throwable e) {
      failure = e;
    } finally {
      consumer.close(
          org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
    }
  }

  /** The partitions the member held at its last poll. */
  Set<TopicPartition> assignment() {
    return Set.copyOf(assigned);
  }

  /** What ended the member's loop other than {@link #close}; null while none. */
  Throwable failure() {
    return failure;
  }

  /** Leaves the group (the consumer's close) and waits for it. */
  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Collects reads from several members. */
  static final class Reads implements Consumer<Read> {
    private final ConcurrentLinkedQueue<Read> all = new ConcurrentLinkedQueue<>();

    @Override
    public void accept(Read read) {
      all.add(read);
    }

    List<Read> all() {
      return List.copyOf(all);
    }

    int size() {
      return all.size();
    }
  }

  /** Waits until the member's loop ends (a child JVM's main thread). */
  void awaitEnd() throws InterruptedException {
    thread.join();
  }
}
